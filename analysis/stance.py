"""Stance along quote/reply edges: agree, disagree or neutral, with a score and the cues that decided it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

import threads
from analysis.schemas import STANCE_SCHEMA, rows_frame
from analysis.stance_features import FEATURES, PairFeatures, pair_features
from analysis.stance_model import LABELS, FloatArray, StanceModel, default_model

MAX_CUES = 5
MAX_WORD_CUES = 2
# Pairs scored by one matrix product. The model's arrays hold a row of every feature (627 columns)
# per pair, several arrays at once: all 131,802 links of the 100,000-post benchmark thread at once
# took over 4 GB. A thousand pairs keep the products large enough that per-call costs stay small.
_PAIRS_AT_ONCE = 1024


@dataclass(frozen=True, slots=True)
class PairStance:
    """The stance of a response toward the text it answers.

    `score` is P(agree) - P(disagree) under the model, in -1..1; `cues` are the evidence of the
    features that pushed the decided label most, strongest first (e.g. "lexicon:totally wrong").
    """

    stance: str
    score: float
    cues: tuple[str, ...]


def pair_stance(quote_text: str, response_text: str, *, model: StanceModel | None = None) -> PairStance:
    """Decide whether `response_text` agrees with, disagrees with or is neutral to `quote_text`.

    Args:
        quote_text: the text responded to: the quoted passage, or the parent post's own text.
        response_text: the responding post's own text.
        model: a fitted model; the one shipped with the package by default.

    Returns:
        The stance, its score and its cues.
    """
    return pair_stances([(quote_text, response_text)], model=model)[0]


def pair_stances(
    pairs: Sequence[tuple[str, str]],
    *,
    model: StanceModel | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PairStance]:
    """`pair_stance` of many (quote text, response text) pairs, the model applied to batches of them.

    Args:
        pairs: (text responded to, response's own text) per pair.
        model: a fitted model; the one shipped with the package by default.
        progress: called as `progress(pairs_done, pairs)` after each batch of pairs.

    Returns:
        One decision per pair, in order.
    """
    fitted = default_model() if model is None else model
    if fitted.features[: len(FEATURES)] != FEATURES:
        raise ValueError("the stance model was fitted on other features; refit it")
    decided: list[PairStance] = []
    for first in range(0, len(pairs), _PAIRS_AT_ONCE):
        decided += _batch_stances(pairs[first : first + _PAIRS_AT_ONCE], fitted)
        if progress is not None:
            progress(len(decided), len(pairs))
    return decided


def _batch_stances(pairs: Sequence[tuple[str, str]], fitted: StanceModel) -> list[PairStance]:
    featurized = [pair_features(quote_text, response_text) for quote_text, response_text in pairs]
    vectors = fitted.matrix(featurized)
    standardized = fitted.standardized(vectors)
    probabilities = fitted.probabilities_of(standardized)
    labels = probabilities.argmax(axis=1)  # the first of equal maxima, as max() over the labels
    contributions = fitted.contributions_of(standardized, labels)
    agree, disagree = LABELS.index("agree"), LABELS.index("disagree")
    # The features that can give a cue, for every pair at once: those that pushed toward the
    # decided label, among the named features and the words the response has.
    pushing = contributions > 0
    pushing[:, len(FEATURES) :] &= vectors[:, len(FEATURES) :] != 0
    decided = []
    for row, features in enumerate(featurized):
        cues = _cues(features, fitted, np.flatnonzero(pushing[row]), contributions[row])
        score = float(probabilities[row, agree]) - float(probabilities[row, disagree])
        decided.append(PairStance(LABELS[labels[row]], round(score, 4), cues))
    return decided


def _cues(
    features: PairFeatures, model: StanceModel, pushing: npt.NDArray[np.intp], contributions: FloatArray
) -> tuple[str, ...]:
    """The evidence of the features that pushed the decided label most, strongest first.

    `pushing` holds, in index order, the named features and the response's words whose
    contribution is above 0: only those can give a cue. Sorted stably by contribution, they keep
    their index order among equals.
    """
    # Named evidence (lexicon, negation, contrast, question, polarity) first, then at most
    # MAX_WORD_CUES single words.
    named: list[str] = []
    words: list[str] = []
    for index in pushing[(-contributions[pushing]).argsort(kind="stable")].tolist():
        if index < len(FEATURES):
            named.extend(cue for cue in features.evidence.get(FEATURES[index], ()) if cue not in named)
        elif len(words) < MAX_WORD_CUES:
            words.append(model.features[index])
    return tuple((named + words)[:MAX_CUES])


def edge_stance(
    thread: threads.Thread,
    *,
    model: StanceModel | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """The stance of every quote, reply and inferred edge: how the later post answers the earlier.

    The answered text is what `src` quotes of `dst` when it quotes it, else `dst`'s own text; the
    response is `src`'s own text. A response with no own text is neutral with no cues; a response
    with no English in it is neutral with a `language:<code>` cue, because the
    lexicons and the model are English-only (as tone leaves such text unscored).

    Args:
        thread: an assembled thread.
        model: a fitted stance model; the shipped one by default.
        progress: called as `progress(links_done, links)`: at the start, after each batch the
            model decides and at the end (with `links_done == links`).

    Returns:
        A frame with `STANCE_SCHEMA`, one row per edge in the thread's edge order.
    """
    posts = {post.id: post for post in thread.posts}
    quoted: dict[tuple[str, str], list[str]] = {}
    for quote in thread.quotes:
        if quote.source_post_id is not None:
            passage = posts[quote.post_id].text[quote.start : quote.end]
            quoted.setdefault((quote.post_id, quote.source_post_id), []).append(passage)
    decided: list[PairStance | None] = []  # None: decided by the model, below
    scored: list[tuple[str, str]] = []
    for edge in thread.edges:
        src, dst = posts[edge.src], posts[edge.dst]
        if src.languages and "en" not in src.languages:
            decided.append(PairStance("neutral", 0.0, (f"language:{src.language}",)))
        elif src.own_text.strip():
            answered = "\n".join(quoted.get((edge.src, edge.dst), [])) or dst.own_text
            scored.append((answered, src.own_text))
            decided.append(None)
        else:
            decided.append(PairStance("neutral", 0.0, ()))
    links = len(thread.edges)
    if progress is not None:
        progress(0, links)
        if links and not scored:
            progress(links, links)
    # The links left out of `scored` (no English, no own text) are decided already: counted as done.
    by_pairs = None if progress is None else _counted_after(progress, links - len(scored), links)
    by_model = iter(pair_stances(scored, model=model, progress=by_pairs))
    rows = []
    for edge, fixed in zip(thread.edges, decided, strict=True):
        stance = next(by_model) if fixed is None else fixed
        rows.append(
            (
                edge.src,
                edge.dst,
                edge.kind,
                posts[edge.src].author,
                posts[edge.dst].author,
                stance.stance,
                stance.score,
                stance.cues,
            )
        )
    return rows_frame(rows, STANCE_SCHEMA)


def _counted_after(
    progress: Callable[[int, int], None], already: int, total: int
) -> Callable[[int, int], None]:
    """`progress` as a callback of a part of the work: `already` units done before it, `total` in all."""
    return lambda done, _: progress(already + done, total)


def stance_counts(stance: pl.DataFrame, *, inferred: bool = False) -> dict[str, int]:
    """Stance values counted over the declared or detected links (quote, reply), or over the inferred ones.

    Inferred links (`threads.replies`: the addressed author's latest post, else the first post)
    are guesses at what a post answers; the stance measured on them is kept apart from the
    stance measured on links the source or the quote finder established.

    Args:
        stance: the stance table (`kind`, `stance`).
        inferred: count the inferred links instead of the quote and reply links.

    Returns:
        Counts of "agree", "disagree" and "neutral", each present (0 when absent).
    """
    chosen = pl.col("kind") == "inferred"
    counts = dict.fromkeys(("agree", "disagree", "neutral"), 0)
    for value in stance.filter(chosen if inferred else ~chosen).get_column("stance").to_list():
        counts[value] += 1
    return counts
