"""Stance errors by response length: per-bucket accuracy, label counts and word evidence (5-fold CV).

Usage: .venv/bin/python benchmarks/stance_by_length.py [PAIRS.csv]

For each bucket of response length (words) on the Reddit agreement pairs it prints the number of
pairs, the cross-validated accuracy, the true and predicted label counts (disagree / neutral /
agree) and the mean absolute disagree-minus-agree logit that the `word:` features add: the
figure that grew with length before word evidence was capped (`WORD_EVIDENCE_WORDS`).
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from pathlib import Path

from analysis.stance_eval import folds_of, read_pairs, score
from analysis.stance_features import FEATURES, pair_features
from analysis.stance_model import LABELS, fit_stance_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("THREADLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
DEFAULT_PAIRS = CORPUS / "subreddit-agreement" / "SubReddit-CovidVaccine.csv"
BUCKETS = ((0, 20), (20, 50), (50, 100), (100, 200), (200, None))


def main(argv: list[str]) -> int:
    pairs = read_pairs(argv[0] if argv else DEFAULT_PAIRS)
    featurized = [pair_features(pair.quote_text, pair.response_text) for pair in pairs]
    labels = [pair.label for pair in pairs]
    assignment = folds_of(labels)
    predicted, word_logit = [0] * len(pairs), [0.0] * len(pairs)
    disagree, agree = LABELS.index("disagree"), LABELS.index("agree")
    for fold in range(5):
        train = [index for index, value in enumerate(assignment) if value != fold]
        model = fit_stance_model([featurized[i] for i in train], [labels[i] for i in train])
        for index, value in enumerate(assignment):
            if value == fold:
                vector = model.vector(featurized[index])
                probabilities = model.probabilities(vector)
                predicted[index] = max(range(len(LABELS)), key=probabilities.__getitem__)
                words_part = slice(len(FEATURES), None)
                word_logit[index] = abs(
                    float(model.contributions(vector, disagree)[words_part].sum())
                    - float(model.contributions(vector, agree)[words_part].sum())
                )
    print(f"{len(pairs)} pairs; 5-fold CV macro-F1 {score('cv', labels, predicted).macro_f1:.3f}")
    print(f"{'words':<9}{'pairs':>6}{'accuracy':>10}  {'true d/n/a':<13}{'predicted d/n/a':<17}word logit")
    position = FEATURES.index("response_words")
    for low, high in BUCKETS:
        members = [
            index
            for index, pair in enumerate(featurized)
            if low <= math.expm1(pair.values[position])
            and (high is None or math.expm1(pair.values[position]) < high)
        ]
        if not members:
            continue
        true, guessed = Counter(labels[i] for i in members), Counter(predicted[i] for i in members)
        accuracy = sum(labels[i] == predicted[i] for i in members) / len(members)
        name = f"{low}-{high}" if high is not None else f"{low}+"
        print(
            f"{name:<9}{len(members):>6}{accuracy:>10.3f}  "
            f"{'/'.join(str(true[k]) for k in range(3)):<13}{'/'.join(str(guessed[k]) for k in range(3)):<17}"
            f"{sum(word_logit[i] for i in members) / len(members):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
