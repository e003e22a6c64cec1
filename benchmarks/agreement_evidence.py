"""How often a cross-validated `agree` verdict is right, with and without a stated agreement phrase.

Usage: .venv/bin/python benchmarks/agreement_evidence.py [PAIRS.csv]

On the Reddit agreement pairs (5-fold CV, as `threadlens eval stance`), the pairs the model calls
`agree` are split by whether the response states agreement (`eval_arguments.states_agreement`:
an agreement-lexicon phrase or a negated disagreement). Printed: the true labels of each group.
This is the evidence behind `analysis.eval_arguments.pair_polarity`, measured on other data than
the Change My View thread it is evaluated on.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from analysis.eval_arguments import states_agreement
from analysis.stance_eval import cross_validated_predictions, read_pairs
from analysis.stance_model import LABELS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("THREADLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
DEFAULT_PAIRS = CORPUS / "subreddit-agreement" / "SubReddit-CovidVaccine.csv"


def main(argv: list[str]) -> int:
    pairs = read_pairs(argv[0] if argv else DEFAULT_PAIRS)
    predicted = cross_validated_predictions(pairs)
    groups: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    for pair, label in zip(pairs, predicted, strict=True):
        if LABELS[label] == "agree":
            groups[states_agreement(pair.response_text)][LABELS[pair.label]] += 1
    print(f"{len(pairs)} pairs; true labels of the pairs the model calls agree (5-fold CV):")
    for stated, counts in groups.items():
        total = sum(counts.values())
        shares = ", ".join(f"{name} {counts[name]} ({counts[name] / max(total, 1):.2f})" for name in LABELS)
        print(f"  {'states agreement' if stated else 'no agreement phrase':<20} {total:>4}: {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
