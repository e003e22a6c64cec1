"""Stance evaluation on labelled (quote, response) pairs: cross-validated model vs two baselines."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.stance import pair_stance
from analysis.stance_features import pair_features
from analysis.stance_model import LABELS, fit_stance_model
from analysis.tone import score_sentence
from threads.errors import InputError

PAIR_COLUMNS = ("quote_text", "response_text", "relation")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled pair; `label` indexes `LABELS` (0 disagree, 1 neutral, 2 agree)."""

    quote_text: str
    response_text: str
    label: int


@dataclass(frozen=True, slots=True)
class Scores:
    """How one system did: macro-F1, F1 per label, and `confusion[true][predicted]` counts."""

    system: str
    macro_f1: float
    f1: dict[str, float]
    confusion: tuple[tuple[int, ...], ...]


def read_pairs(path: str | os.PathLike[str]) -> list[LabelledPair]:
    """Read a CSV of labelled pairs with columns quote_text, response_text, relation (0/1/2).

    The bytes are decoded as UTF-8 when they are valid UTF-8, else as cp1252 (what the Reddit
    agreement data uses) with undecodable bytes replaced.

    Raises:
        InputError: the file is missing or unreadable, lacks a column, or has a bad relation value.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [name for name in PAIR_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: no {', '.join(missing)} column (need {', '.join(PAIR_COLUMNS)})")
    pairs = []
    for line, row in enumerate(reader, start=2):
        relation = (row["relation"] or "").strip()
        if relation not in ("0", "1", "2"):
            raise InputError(f"{path}: row {line}: relation must be 0, 1 or 2, not {relation[:20]!r}")
        pairs.append(LabelledPair(row["quote_text"] or "", row["response_text"] or "", int(relation)))
    if not pairs:
        raise InputError(f"{path}: no labelled pairs")
    return pairs


def score(system: str, truth: Sequence[int], predicted: Sequence[int]) -> Scores:
    """Macro-F1, per-label F1 and the confusion matrix of predictions against the truth."""
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for true, guess in zip(truth, predicted, strict=True):
        confusion[true][guess] += 1
    f1 = {}
    for index, label in enumerate(LABELS):
        hits = confusion[index][index]
        predicted_count = sum(row[index] for row in confusion)
        true_count = sum(confusion[index])
        f1[label] = 2 * hits / (predicted_count + true_count) if predicted_count + true_count else 0.0
    return Scores(
        system=system,
        macro_f1=sum(f1.values()) / len(f1),
        f1=f1,
        confusion=tuple(tuple(row) for row in confusion),
    )


def folds_of(labels: Sequence[int], *, folds: int = 5) -> list[int]:
    """A stratified fold number per item: each label's items are dealt round-robin, in file order."""
    seen: Counter[int] = Counter()
    assignment = []
    for label in labels:
        assignment.append(seen[label] % folds)
        seen[label] += 1
    return assignment


def cross_validated_predictions(pairs: Sequence[LabelledPair], *, folds: int = 5) -> list[int]:
    """Predict each pair with a model fitted on the other folds only (stratified k-fold).

    Args:
        pairs: labelled pairs.
        folds: number of folds.

    Returns:
        One predicted label index per pair.
    """
    featurized = [pair_features(pair.quote_text, pair.response_text) for pair in pairs]
    labels = [pair.label for pair in pairs]
    assignment = folds_of(labels, folds=folds)
    predicted = [0] * len(pairs)
    for fold in range(folds):
        # The vocabulary and the weights come from the training folds only.
        train = [index for index, value in enumerate(assignment) if value != fold]
        model = fit_stance_model([featurized[i] for i in train], [labels[i] for i in train])
        for index, value in enumerate(assignment):
            if value == fold:
                probabilities = model.probabilities(model.vector(featurized[index]))
                predicted[index] = max(range(len(LABELS)), key=probabilities.__getitem__)
    return predicted


def majority_predictions(pairs: Sequence[LabelledPair], *, folds: int = 5) -> list[int]:
    """Predict each pair with the most frequent label of the other folds."""
    labels = [pair.label for pair in pairs]
    assignment = folds_of(labels, folds=folds)
    majority = {
        fold: Counter(label for label, f in zip(labels, assignment, strict=True) if f != fold).most_common(1)[
            0
        ][0]
        for fold in range(folds)
    }
    return [majority[fold] for fold in assignment]


def textblob_predictions(pairs: Sequence[LabelledPair]) -> list[int]:
    """The sentiment-is-stance baseline: response polarity > 0 agrees, < 0 disagrees, 0 is neutral."""
    predicted = []
    for pair in pairs:
        polarity = score_sentence(pair.response_text).polarity
        predicted.append(2 if polarity > 0 else 0 if polarity < 0 else 1)
    return predicted


def evaluate(pairs: Sequence[LabelledPair], *, folds: int = 5, shipped: bool = False) -> list[Scores]:
    """Score threadlens stance against the labels, with the majority and TextBlob baselines.

    Args:
        pairs: labelled pairs.
        folds: cross-validation folds for the fitted model (and the majority baseline).
        shipped: also score the model shipped in the package (fitted on this very data when the
            pairs are the corpus file, so that figure is optimistic; it is labelled as such).

    Returns:
        Scores for "threadlens (k-fold CV)", "majority class", "TextBlob polarity" and, when
        asked, "threadlens shipped model".
    """
    truth = [pair.label for pair in pairs]
    results = [
        score(f"threadlens ({folds}-fold CV)", truth, cross_validated_predictions(pairs, folds=folds)),
        score("majority class", truth, majority_predictions(pairs, folds=folds)),
        score("TextBlob polarity", truth, textblob_predictions(pairs)),
    ]
    if shipped:
        predicted = [LABELS.index(pair_stance(pair.quote_text, pair.response_text).stance) for pair in pairs]
        results.append(score("threadlens shipped model (fitted on these pairs)", truth, predicted))
    return results
