"""Score quote detection against the Internet Argument Corpus's gold quote spans (char F1, sources)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import threads
from threads.errors import InputError, UnknownFormatError
from threads.sources import iac

DEFAULT_DISCUSSION = Path("../shared/corpus/iac-4forums/discussion_255.json")
DEFAULT_QUOTES = Path("../shared/corpus/iac-4forums/quotes_255.json")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One labelled quote: chars `[start, end)` of post `post_id` copy post `source_post_id`.

    `source_post_id` is None when the corpus names no source (the quoted post is missing).
    """

    post_id: str
    start: int
    end: int
    source_post_id: str | None


@dataclass(frozen=True, slots=True)
class QuoteScores:
    """Char-level span scores and source-post accuracy of one thread's quotes against gold spans.

    Chars are the non-white-space characters of post texts (where a span starts or ends in the
    white space around a passage is a matter of convention, not of detection). Gold spans whose
    source is outside the thread or missing are `excluded`: their chars count on neither side.
    `source_correct` counts sourced gold spans whose most-overlapping predicted quote names the
    same post; `source_missed` those no predicted quote overlaps.
    """

    posts: int
    gold_spans: int
    excluded_spans: int
    predicted_quotes: int
    gold_chars: int
    predicted_chars: int
    overlap_chars: int
    excluded_chars: int
    source_correct: int
    source_missed: int

    @property
    def precision(self) -> float:
        """Share of predicted quote chars that are gold quote chars."""
        return self.overlap_chars / self.predicted_chars if self.predicted_chars else 0.0

    @property
    def recall(self) -> float:
        """Share of gold quote chars that are predicted quote chars."""
        return self.overlap_chars / self.gold_chars if self.gold_chars else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def source_accuracy(self) -> float:
        """Share of sourced gold spans whose overlapping predicted quote names their source."""
        return self.source_correct / self.gold_spans if self.gold_spans else 0.0


def read_iac_discussion(path: Path) -> threads.Thread:
    """Read an IAC `discussion_<id>.json` with the `iac` reader (`threads.sources.iac`).

    Raises:
        InputError: the file is missing or unreadable, or IAC-shaped with wrong field types.
        UnknownFormatError: it is not an IAC discussion (another thread format).
    """
    if not path.exists():
        raise InputError(f"{path}: no such file (pass --discussion FILE)")
    thread = threads.read(path, format="json")
    if thread.format != iac.FORMAT:
        raise UnknownFormatError(f"{path}: not an IAC discussion (it reads as {thread.format})")
    return thread


def read_iac_quotes(path: Path) -> list[GoldSpan]:
    """Read an IAC `quotes_<id>.json`: `[post_id, [start, end, {quote_id, author}]]` per span.

    Raises:
        InputError: the file is missing or not in that shape.
    """
    document = _load_quotes_json(path)
    if not isinstance(document, list):
        raise InputError(f"{path}: not an IAC quotes file (expected a list of [post_id, [start, end, data]])")
    spans = []
    for number, item in enumerate(document, start=1):
        try:
            post_id, (start, end, data) = item
            source = data.get("quote_id") if isinstance(data, dict) else None
            spans.append(
                GoldSpan(str(post_id), int(start), int(end), None if source is None else str(source))
            )
        except (TypeError, ValueError) as error:
            raise InputError(f"{path}: entry {number} is not [post_id, [start, end, data]]") from error
    return spans


def score_quotes(thread: threads.Thread, gold: list[GoldSpan]) -> QuoteScores:
    """Compare a thread's quotes with gold spans, char by char and by source post.

    Args:
        thread: the thread built from the same posts the gold spans index.
        gold: the labelled spans.

    Returns:
        The counts behind precision, recall, F1 and source accuracy.

    Raises:
        InputError: a gold span names a post the thread lacks or lies outside its text.
    """
    texts = {post.id: post.text for post in thread.posts}
    for span in gold:
        text = texts.get(span.post_id)
        if text is None:
            raise InputError(f"gold span of post {span.post_id}: no such post in the discussion")
        if not 0 <= span.start < span.end <= len(text):
            raise InputError(f"gold span {span.start}-{span.end} of post {span.post_id} is outside its text")
    sourced = [span for span in gold if span.source_post_id in texts]
    unsourced = [span for span in gold if span.source_post_id not in texts]
    predicted = list(thread.quotes)
    counts = {"gold": 0, "predicted": 0, "overlap": 0, "excluded": 0}
    for post_id, text in texts.items():
        counted = [not char.isspace() for char in text]
        excluded = _mask(len(text), [(s.start, s.end) for s in unsourced if s.post_id == post_id])
        gold_mask = _mask(len(text), [(s.start, s.end) for s in sourced if s.post_id == post_id])
        predicted_mask = _mask(len(text), [(q.start, q.end) for q in predicted if q.post_id == post_id])
        for index, scored in enumerate(counted):
            if not scored:
                continue
            if excluded[index]:
                counts["excluded"] += 1
                continue
            counts["gold"] += gold_mask[index]
            counts["predicted"] += predicted_mask[index]
            counts["overlap"] += gold_mask[index] and predicted_mask[index]
    correct = missed = 0
    for span in sourced:
        text = texts[span.post_id]
        best: tuple[int, str | None] | None = None
        for quote in predicted:
            if quote.post_id != span.post_id:
                continue
            low, high = max(span.start, quote.start), min(span.end, quote.end)
            shared = sum(not char.isspace() for char in text[low:high]) if high > low else 0
            if shared and (best is None or shared > best[0]):
                best = (shared, quote.source_post_id)
        if best is None:
            missed += 1
        elif best[1] == span.source_post_id:
            correct += 1
    return QuoteScores(
        posts=len(thread.posts),
        gold_spans=len(sourced),
        excluded_spans=len(unsourced),
        predicted_quotes=len(predicted),
        gold_chars=counts["gold"],
        predicted_chars=counts["predicted"],
        overlap_chars=counts["overlap"],
        excluded_chars=counts["excluded"],
        source_correct=correct,
        source_missed=missed,
    )


def evaluate_iac(discussion: Path, quotes: Path) -> QuoteScores:
    """Read an IAC discussion with the `iac` reader and score its quotes on the gold spans.

    Args:
        discussion: the `discussion_<id>.json` file.
        quotes: the matching `quotes_<id>.json` file.

    Returns:
        The scores.

    Raises:
        InputError: a file is missing or malformed (`UnknownFormatError`: not an IAC discussion).
    """
    thread = read_iac_discussion(discussion)
    return score_quotes(thread, read_iac_quotes(quotes))


def _mask(length: int, spans: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * length
    for start, end in spans:
        mask[start:end] = [True] * (end - start)
    return mask


def _load_quotes_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file (pass --quotes FILE)") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a directory (pass --quotes FILE)") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: unreadable: {error}") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not JSON: {error.msg} at line {error.lineno}") from error
