"""Score argument detection against a brat-annotated Change My View thread (Hidey et al. 2017)."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from analysis.arguments import classify_sentence
from analysis.sentences import sentence_spans
from analysis.stance import pair_stance
from analysis.stance_features import FEATURES, pair_features
from threads.errors import InputError

DEFAULT_CMV = os.path.join("..", "shared", "corpus", "cmv-modes", "positive_95")
POSITIVE_RELATIONS = frozenset({"support", "agreement", "partial_agreement"})
NEGATIVE_RELATIONS = frozenset({"attack", "rebuttal", "undercutter", "disagreement"})
_AGREE_LEXICON = FEATURES.index("agree_lexicon")

EVAL_ARGUMENTS_SCHEMA: dict[str, Any] = {
    "task": pl.String,  # sentences | relation_polarity
    "method": pl.String,
    "items": pl.Int32,  # sentences scored, or cross-turn relations
    "precision": pl.Float64,  # sentences: of those predicted argumentative, share annotated
    "recall": pl.Float64,
    "f1": pl.Float64,
    "accuracy": pl.Float64,  # relation_polarity: share of relations whose polarity is right
    "macro_f1": pl.Float64,  # relation_polarity: mean F1 of the positive and negative classes
}


@dataclass(frozen=True, slots=True)
class BratDocument:
    """A brat standoff annotation: the text, its argument spans, relations and the thread's turns.

    `spans` maps an annotation id ("T3") to (type, [(start, end), ...]); `relations` holds
    (type, arg1 id, arg2 id), arg1 being the responding side; `turns` lists (start, end) offsets of
    each post in order, the title belonging to the first.
    """

    text: str
    spans: dict[str, tuple[str, list[tuple[int, int]]]]
    relations: list[tuple[str, str, str]]
    turns: list[tuple[int, int]]


def read_brat(prefix: str | os.PathLike[str]) -> BratDocument:
    """Read `<prefix>.txt`, `<prefix>.ann` and `<prefix>.metadata` of the change-my-view-modes corpus.

    Args:
        prefix: the path without extension, e.g. "../shared/corpus/cmv-modes/positive_95".

    Returns:
        The parsed document.

    Raises:
        InputError: a file is missing or a line is malformed.
    """
    text = _read(Path(f"{prefix}.txt"))
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[tuple[str, str, str]] = []
    annotations = Path(f"{prefix}.ann")
    for number, line in enumerate(_read(annotations).splitlines(), start=1):
        fields = line.split("\t")
        try:
            if fields[0].startswith("T"):
                kind, offsets = fields[1].split(" ", 1)
                segments = [
                    (int(start), int(end)) for start, end in (part.split() for part in offsets.split(";"))
                ]
                spans[fields[0]] = (kind, segments)
            elif fields[0].startswith("R"):
                kind, first, second = fields[1].split()
                relations.append((kind, first.split(":", 1)[1], second.split(":", 1)[1]))
        except (IndexError, ValueError) as error:
            raise InputError(f"{annotations}:{number}: malformed brat line {line[:60]!r}") from error
    turns: list[tuple[int, int]] = []
    title_start: int | None = None
    metadata = Path(f"{prefix}.metadata")
    for number, line in enumerate(_read(metadata).splitlines(), start=1):
        fields = line.split()
        try:
            if fields and fields[0] == "Title":
                start = int(fields[1])
                title_start = start if title_start is None else min(title_start, start)
            elif fields and fields[0] == "Content":
                turns.append((int(fields[3]), int(fields[4])))
        except (IndexError, ValueError) as error:
            raise InputError(f"{metadata}:{number}: malformed metadata line {line[:60]!r}") from error
    if not turns:
        raise InputError(f"{metadata}: no Content lines, so no turns")
    if title_start is not None:
        turns[0] = (min(title_start, turns[0][0]), turns[0][1])  # the title is the opening post's
    return BratDocument(text=text, spans=spans, relations=relations, turns=turns)


def pair_polarity(quote_text: str, response_text: str) -> str:
    """Support or attack: "positive" when the response agrees in words, else "negative".

    Positive needs two things: `analysis.stance.pair_stance` says agree, and the response states
    agreement explicitly (an agreement-lexicon phrase or a negated disagreement, "I don't
    disagree": the `agree_lexicon` feature). On the Reddit agreement pairs (5-fold CV,
    `benchmarks/agreement_evidence.py`) an `agree` verdict without such a phrase is a coin toss
    between agree and disagree, while one with it is mostly right; on a debate forum, where most
    answers challenge, a coin toss should not overturn that prior. Neutral counts as negative
    for the same reason (the majority baseline makes the same assumption on this corpus).

    Args:
        quote_text: the text responded to.
        response_text: the responding text.

    Returns:
        "positive" or "negative".
    """
    if pair_stance(quote_text, response_text).stance != "agree":
        return "negative"
    return "positive" if states_agreement(response_text) else "negative"


def states_agreement(response_text: str) -> bool:
    """Whether the response has an agreement phrase, or a negated disagreement ("not wrong")."""
    return pair_features("", response_text).values[_AGREE_LEXICON] > 0


def evaluate_arguments(
    prefix: str | os.PathLike[str] = DEFAULT_CMV,
    *,
    polarity: Callable[[str, str], str] = pair_polarity,
) -> pl.DataFrame:
    """Score argumentative-sentence detection and cross-turn relation polarity, beside baselines.

    Sentences: each turn's text is split with `sentence_spans`; a sentence is argumentative in the
    annotation when it overlaps a claim, premise or main-claim span. threadlens predicts
    argumentative when the sentence is the author's own text (not a "&gt;"/">" quoted line, as
    `own_text` drops quotes) and `classify_sentence` gives it a role, told that it answers when it
    is the first own sentence of a reply turn or the first after a quoted line. Baselines: every sentence
    argumentative; every own-text sentence argumentative.

    Relation polarity: relations whose two sides lie in different turns (the title is the first
    turn); gold polarity is positive for support / agreement / partial_agreement, negative for
    attack / rebuttal / undercutter / disagreement. threadlens predicts it with
    `polarity(target text, response text)`; the baseline predicts the majority gold polarity.

    Args:
        prefix: path of the `.txt` / `.ann` / `.metadata` files without extension.
        polarity: the pair scorer: (quote text, response text) -> "positive" | "negative".

    Returns:
        A frame with `EVAL_ARGUMENTS_SCHEMA`: threadlens rows first, then baselines, per task.

    Raises:
        InputError: the files are missing or malformed.
    """
    document = read_brat(prefix)
    return pl.concat([_sentence_rows(document), _polarity_rows(document, polarity)])


def _sentence_rows(document: BratDocument) -> pl.DataFrame:
    text = document.text
    gold_segments = sorted(segment for _, segments in document.spans.values() for segment in segments)
    gold, predicted, own = [], [], []
    for turn_start, turn_end in document.turns:
        region = text[turn_start:turn_end]
        quoted_lines = [
            (match.start() + turn_start, match.end() + turn_start)
            for match in re.finditer(r"(?m)^[ \t]*(?:&gt;|>).*$", region)
        ]
        # As in `argument_sentences`: a reply's first own sentence and the first after a quote answer.
        answers = turn_start != document.turns[0][0]
        for start, end in sentence_spans(region):
            start, end = start + turn_start, end + turn_start
            sentence = text[start:end]
            is_own = not any(line_start <= start < line_end for line_start, line_end in quoted_lines)
            gold.append(any(s < end and start < e for s, e in gold_segments))
            own.append(is_own)
            predicted.append(is_own and classify_sentence(sentence, answers=answers)[0] is not None)
            answers = not is_own
    rows = [
        ("sentences", "threadlens: discourse markers, evaluation cues, answers on own text", predicted),
        ("sentences", "baseline: every sentence argumentative", [True] * len(gold)),
        ("sentences", "baseline: every own-text sentence argumentative", own),
    ]
    return pl.DataFrame(
        [
            (task, method, len(gold), *_precision_recall_f1(gold, guess), None, None)
            for task, method, guess in rows
        ],
        schema=EVAL_ARGUMENTS_SCHEMA,
        orient="row",
    )


def _polarity_rows(document: BratDocument, polarity: Callable[[str, str], str]) -> pl.DataFrame:
    def turn_of(annotation: str) -> int:
        offset = document.spans[annotation][1][0][0]
        return next((index for index, (start, end) in enumerate(document.turns) if start <= offset < end), 0)

    def span_text(annotation: str) -> str:
        return " ".join(document.text[start:end].strip() for start, end in document.spans[annotation][1])

    gold, predicted = [], []
    for kind, response, target in document.relations:
        if kind not in POSITIVE_RELATIONS | NEGATIVE_RELATIONS or response not in document.spans:
            continue
        if target not in document.spans or turn_of(response) == turn_of(target):
            continue
        gold.append("positive" if kind in POSITIVE_RELATIONS else "negative")
        predicted.append(polarity(span_text(target), span_text(response)))
    majority = Counter(gold).most_common(1)[0][0] if gold else "negative"
    rows = [
        ("threadlens: stance pair scorer + stated agreement on (target, response)", predicted),
        (f"baseline: majority polarity ({majority})", [majority] * len(gold)),
    ]
    return pl.DataFrame(
        [
            ("relation_polarity", method, len(gold), None, None, None, *_accuracy_macro_f1(gold, guess))
            for method, guess in rows
        ],
        schema=EVAL_ARGUMENTS_SCHEMA,
        orient="row",
    )


def _precision_recall_f1(gold: list[bool], predicted: list[bool]) -> tuple[float, float, float]:
    hits = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    guessed, relevant = sum(predicted), sum(gold)
    precision = hits / guessed if guessed else 0.0
    recall = hits / relevant if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _accuracy_macro_f1(gold: list[str], predicted: list[str]) -> tuple[float | None, float | None]:
    if not gold:
        return None, None
    accuracy = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold)
    f1s = [
        _precision_recall_f1([g == label for g in gold], [p == label for p in predicted])[2]
        for label in ("positive", "negative")
    ]
    return accuracy, sum(f1s) / len(f1s)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file (expected a change-my-view-modes prefix)") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: unreadable: {error}") from error
