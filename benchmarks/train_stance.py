"""Fit the shipped stance model on the labelled Reddit pairs and print its weights and CV figures.

Usage: .venv/bin/python benchmarks/train_stance.py [PAIRS.csv] [--write]

Without --write it only prints; with --write it replaces analysis/stance_model.json. The figures
that count are the 5-fold cross-validated ones (`threadlens eval stance`): the shipped model is
fitted on all pairs, so its score on the same pairs is optimistic.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.stance_eval import evaluate, read_pairs
from analysis.stance_features import pair_features
from analysis.stance_model import MODEL_RESOURCE, fit_stance_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("THREADLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
DEFAULT_PAIRS = CORPUS / "subreddit-agreement" / "SubReddit-CovidVaccine.csv"


def main(argv: list[str]) -> int:
    paths = [arg for arg in argv if not arg.startswith("--")]
    pairs = read_pairs(paths[0] if paths else DEFAULT_PAIRS)
    featurized = [pair_features(pair.quote_text, pair.response_text) for pair in pairs]
    model = fit_stance_model(featurized, [pair.label for pair in pairs])
    print(f"{len(pairs)} pairs; weights per standardized feature (strongest first):")
    print(f"  {'feature':<26}{'disagree':>9}{'neutral':>9}{'agree':>9}")
    for name, disagree, neutral, agree in model.weights_table()[: int(os.environ.get("TOP", "60"))]:
        print(f"  {name:<26}{disagree:>+9.3f}{neutral:>+9.3f}{agree:>+9.3f}")
    for result in evaluate(pairs):
        print(f"{result.system}: macro-F1 {result.macro_f1:.3f}")
    if "--write" in argv:
        target = ROOT / "analysis" / MODEL_RESOURCE
        target.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
