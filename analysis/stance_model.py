"""A transparent stance model: multinomial logistic regression over named features, stored as JSON."""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.stance_features import FEATURES, PairFeatures
from threads.errors import InputError

LABELS = ("disagree", "neutral", "agree")  # index = the corpus's relation code 0 / 1 / 2
MODEL_RESOURCE = "stance_model.json"
WORD_PREFIX = "word:"
# Chosen by 5-fold cross-validation on the Reddit agreement pairs (docs/analyses.md).
DEFAULT_L2 = 100.0
DEFAULT_MIN_COUNT = 3
DEFAULT_MAX_WORDS = 600
# A response's word indicators together weigh as much as those of a response this long, at most:
# summed over every word of a 400-word post they otherwise swamp the named features (measured in
# docs/analyses.md). About the median response length of the Reddit training pairs (23 words).
WORD_EVIDENCE_WORDS = 25.0
_RESPONSE_WORDS = FEATURES.index("response_words")

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StanceModel:
    """Fitted weights: `weights[c][i]` is the weight of feature `features[i]` for class `LABELS[c]`.

    `features` are the named features of `analysis.stance_features.FEATURES`, then `word:w` for
    each vocabulary word or word pair w: 1.0 when the response contains it, scaled down to
    `WORD_EVIDENCE_WORDS / words` in a response longer than that, so that long posts do not get
    more word evidence than short ones. Features are
    standardized with `means`/`scales` before the weights apply; `bias[c]` is the intercept of
    class c. Fitted by `StanceModel.fit`; nothing else changes it.
    """

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]

    @classmethod
    def fit(
        cls,
        rows: Sequence[Sequence[float]],
        labels: Sequence[int],
        *,
        features: Sequence[str],
        l2: float = DEFAULT_L2,
        iterations: int = 600,
    ) -> StanceModel:
        """Fit balanced-class multinomial logistic regression by full-batch gradient descent.

        Args:
            rows: one feature vector per pair, in `features` order.
            labels: class index per pair (0 disagree, 1 neutral, 2 agree).
            features: the feature names.
            l2: L2 penalty on the weights (not the biases), per pair-weight unit.
            iterations: gradient steps; the loss is convex, so more only refines.

        Returns:
            The fitted model.
        """
        x = np.asarray(rows, dtype=np.float64)
        y = np.asarray(labels, dtype=np.int64)
        means = x.mean(axis=0)
        scales = x.std(axis=0)
        scales[scales == 0] = 1.0
        z = (x - means) / scales
        classes = len(LABELS)
        onehot = np.eye(classes)[y]
        counts = np.bincount(y, minlength=classes).astype(np.float64)
        # Balanced weights: each class contributes equally, which is what macro-F1 rewards.
        sample_weight = (len(y) / (classes * np.maximum(counts, 1.0)))[y]
        total = sample_weight.sum()
        weights = np.zeros((classes, z.shape[1]))
        bias = np.zeros(classes)
        step = 0.5
        for _ in range(iterations):
            # einsum, not `@`: multithreaded BLAS on a busy two-core machine ran ten times slower.
            probabilities = _softmax(np.einsum("nd,cd->nc", z, weights) + bias)
            error = (probabilities - onehot) * sample_weight[:, None]
            weights -= step * (np.einsum("nc,nd->cd", error, z) / total + l2 * weights / len(y))
            bias -= step * error.sum(axis=0) / total
        return cls(
            features=tuple(features),
            means=tuple(float(value) for value in means),
            scales=tuple(float(value) for value in scales),
            weights=tuple(tuple(float(value) for value in row) for row in weights),
            bias=tuple(float(value) for value in bias),
        )

    def vector(self, pair: PairFeatures) -> list[float]:
        """The model's input for one pair: the named feature values, then its word indicators."""
        vector = [*pair.values, *[0.0] * (len(self.features) - len(FEATURES))]
        column = self._word_columns
        words = math.expm1(pair.values[_RESPONSE_WORDS])
        present = min(1.0, WORD_EVIDENCE_WORDS / words) if words > 0 else 1.0
        # A response has hundreds of words and word pairs, few of them features: intersect in C.
        for word in column.keys() & pair.words:
            vector[column[word]] = present
        return vector

    def matrix(self, pairs: Sequence[PairFeatures]) -> FloatArray:
        """The model's inputs for many pairs, one row per pair: `vector` of each, as one array."""
        rows = np.zeros((len(pairs), len(self.features)), dtype=np.float64)
        column = self._word_columns
        for row, pair in enumerate(pairs):
            rows[row, : len(FEATURES)] = pair.values
            words = math.expm1(pair.values[_RESPONSE_WORDS])
            present = min(1.0, WORD_EVIDENCE_WORDS / words) if words > 0 else 1.0
            rows[row, [column[word] for word in self._word_names & pair.words]] = present
        return rows

    def standardized(self, rows: FloatArray) -> FloatArray:
        """Rows of `matrix` on the scale the weights apply to: (value - mean) / scale per feature."""
        return np.asarray((rows - self._means) / self._scales, dtype=np.float64)

    def probabilities_of(self, standardized: FloatArray) -> FloatArray:
        """Class probabilities (disagree, neutral, agree) of each standardized row, one product in all.

        One matrix product for every pair of a thread instead of one small product per pair, whose
        fixed cost per call was most of the model's time.
        """
        # einsum, not `@`: it never hands the product to a multithreaded BLAS (see `fit`).
        return _softmax(np.einsum("nd,cd->nc", standardized, self._weights) + self._bias)

    def contributions_of(self, standardized: FloatArray, labels: npt.NDArray[np.intp]) -> FloatArray:
        """`contributions` of each standardized row toward its own label in `labels`."""
        return np.asarray(standardized * self._centered_weights[labels], dtype=np.float64)

    @functools.cached_property
    def _centered_weights(self) -> FloatArray:
        # Each class's weights above the average class: what `contributions` weighs features by.
        return np.asarray(self._weights - self._weights.mean(axis=0), dtype=np.float64)

    @functools.cached_property
    def _word_names(self) -> frozenset[str]:
        # A frozenset intersects another without first copying the 600 dict keys into a new set.
        return frozenset(self._word_columns)

    @functools.cached_property
    def _word_columns(self) -> dict[str, int]:
        return {
            name[len(WORD_PREFIX) :]: index
            for index, name in enumerate(self.features)
            if index >= len(FEATURES)
        }

    # Arrays built once per model: converting the tuples on every call dominated prediction time.
    @functools.cached_property
    def _means(self) -> FloatArray:
        return np.asarray(self.means, dtype=np.float64)

    @functools.cached_property
    def _scales(self) -> FloatArray:
        return np.asarray(self.scales, dtype=np.float64)

    @functools.cached_property
    def _weights(self) -> FloatArray:
        return np.asarray(self.weights, dtype=np.float64)

    @functools.cached_property
    def _bias(self) -> FloatArray:
        return np.asarray(self.bias, dtype=np.float64)

    def probabilities(self, values: Sequence[float]) -> tuple[float, ...]:
        """Class probabilities (disagree, neutral, agree) of one feature vector."""
        return tuple(float(p) for p in _softmax(self._logits(values)[None, :])[0])

    def contributions(self, values: Sequence[float], label: int) -> FloatArray:
        """How much each feature pushed class `label` above the average class, for one vector."""
        z = (np.asarray(values, dtype=np.float64) - self._means) / self._scales
        weights = self._weights
        return np.asarray(z * (weights[label] - weights.mean(axis=0)), dtype=np.float64)

    def _logits(self, values: Sequence[float]) -> FloatArray:
        z = (np.asarray(values, dtype=np.float64) - self._means) / self._scales
        return np.asarray(self._weights @ z + self._bias, dtype=np.float64)

    def to_json(self) -> str:
        """The model as JSON, one weight row per feature so a reader can see what it learned."""
        document = {
            "labels": list(LABELS),
            "bias": {label: round(value, 6) for label, value in zip(LABELS, self.bias, strict=True)},
            "features": {
                name: {
                    "mean": round(self.means[index], 6),
                    "scale": round(self.scales[index], 6),
                    **{label: round(self.weights[c][index], 6) for c, label in enumerate(LABELS)},
                }
                for index, name in enumerate(self.features)
            },
        }
        return json.dumps(document, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StanceModel:
        """Read a model written by `to_json`.

        Raises:
            InputError: the JSON is not a stance model.
        """
        try:
            document: dict[str, Any] = json.loads(text)
            names = tuple(document["features"])
            table = document["features"]
            return cls(
                features=names,
                means=tuple(float(table[name]["mean"]) for name in names),
                scales=tuple(float(table[name]["scale"]) for name in names),
                weights=tuple(tuple(float(table[name][label]) for name in names) for label in LABELS),
                bias=tuple(float(document["bias"][label]) for label in LABELS),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"not a stance model: {error}") from error

    def weights_table(self) -> list[tuple[str, float, float, float]]:
        """(feature, disagree, neutral, agree) weight rows, strongest first, for printing."""
        rows = [
            (name, self.weights[0][i], self.weights[1][i], self.weights[2][i])
            for i, name in enumerate(self.features)
        ]
        return sorted(rows, key=lambda row: -max(abs(row[1]), abs(row[2]), abs(row[3])))


def fit_stance_model(
    pairs: Sequence[PairFeatures],
    labels: Sequence[int],
    *,
    l2: float = DEFAULT_L2,
    min_count: int = DEFAULT_MIN_COUNT,
    max_words: int = DEFAULT_MAX_WORDS,
) -> StanceModel:
    """Fit a model on featurized pairs: the named features plus the most common response words.

    Args:
        pairs: `pair_features` of each labelled pair.
        labels: class index per pair (0 disagree, 1 neutral, 2 agree).
        l2: L2 penalty.
        min_count: a word (or word pair) becomes a feature when at least this many responses have it.
        max_words: at most this many word features, the most frequent.

    Returns:
        The fitted model.
    """
    counts: Counter[str] = Counter(word for pair in pairs for word in pair.words)
    ranked = sorted(
        (word for word, count in counts.items() if count >= min_count), key=lambda w: (-counts[w], w)
    )
    names = (*FEATURES, *(WORD_PREFIX + word for word in ranked[:max_words]))
    probe = StanceModel(names, (), (), (), ())
    return StanceModel.fit([probe.vector(pair) for pair in pairs], labels, features=names, l2=l2)


@functools.cache
def default_model() -> StanceModel:
    """The model shipped in the package (`analysis/stance_model.json`), read once."""
    text = resources.files("analysis").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
    return StanceModel.from_json(text)


def _softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted)
    return np.asarray(exponentials / exponentials.sum(axis=1, keepdims=True), dtype=np.float64)
