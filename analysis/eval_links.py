"""Implicit quote detection and text segmentation scored against the quote links page markup declares.

A saved page whose markup declares quotes (XenForo `data-source`, vBulletin post links, ...) is
its own answer key: render it to the text a reader would copy (quote wrappers and attribution
lines gone, quoted passages inline), then ask the text pipeline to find the quotes again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import threads
from threads.model import PostDraft, Quote, Thread, ThreadDraft
from threads.read import draft_bytes

LINK_SCORES_SCHEMA = {
    "file": pl.String,
    "format": pl.String,
    "posts": pl.Int32,
    "declared": pl.Int32,
    "detected": pl.Int32,
    "unchecked": pl.Int32,
    "found": pl.Int32,
    "right": pl.Int32,
    "precision": pl.Float64,
    "recall": pl.Float64,
    "text_posts": pl.Int32,
    "boundary_precision": pl.Float64,
    "boundary_recall": pl.Float64,
}


@dataclass(frozen=True, slots=True)
class LinkScores:
    """Scores of one page.

    `declared` counts the markup's quote -> source links whose source is on the page; `detected`
    the links implicit detection found in the plain-text twin (post boundaries given), except
    `unchecked` ones inside quotes whose markup names no source post. A detection and a
    declared link agree when they name the same quoting post and source and their spans overlap:
    `found` counts declared links some detection agrees with (recall), `right` detections some
    declared link agrees with (precision; a quote detected in two pieces is right twice).
    `text_posts` is how many posts the text reader finds when it must also cut the rendered page
    into posts; a post boundary it finds is correct when it falls in a true post's header (author
    and title lines) or at its first body character.
    """

    file: str
    format: str
    posts: int
    declared: int
    detected: int
    unchecked: int
    found: int
    right: int
    precision: float | None
    recall: float | None
    text_posts: int
    boundary_precision: float | None
    boundary_recall: float | None


def evaluate_links(path: str | os.PathLike[str], *, engine: str | None = None) -> LinkScores:
    """Score implicit quote detection and text segmentation on one page with declared quote links.

    Args:
        path: a saved forum page (or any input whose reader marks quotes from markup).
        engine: the forum engine of an HTML page, instead of detecting it.

    Returns:
        The page's scores; precision and recall are None when nothing was detected or declared.

    Raises:
        InputError: the file cannot be read as a thread.
    """
    thread = threads.read(path, engine=engine)
    declared, unlinked = _declared(thread, path, engine)
    linked = [quote for quote in _plain_quotes(thread) if quote.source_post_id]
    # A detection inside a quote whose markup names no post (phpBB "X wrote:") cannot be checked.
    detected = [quote for quote in linked if not any(_overlap(quote, mark) for mark in unlinked)]
    found = sum(any(_same_link(truth, quote) for quote in detected) for truth in declared)
    right = sum(any(_same_link(truth, quote) for truth in declared) for quote in detected)
    page, spans = page_text(thread)
    boundaries, text_posts = _text_boundaries(page)
    hits = _boundary_hits(boundaries, spans)
    return LinkScores(
        file=os.fspath(path),
        format=thread.format,
        posts=len(thread.posts),
        declared=len(declared),
        detected=len(detected),
        unchecked=len(linked) - len(detected),
        found=found,
        right=right,
        precision=right / len(detected) if detected else None,
        recall=found / len(declared) if declared else None,
        text_posts=text_posts,
        boundary_precision=hits / len(boundaries) if boundaries else None,
        boundary_recall=hits / len(spans) if spans else None,
    )


def link_scores_frame(scores: Sequence[LinkScores]) -> pl.DataFrame:
    """Scores of several pages as a polars DataFrame with `LINK_SCORES_SCHEMA`."""
    rows = [{name: getattr(score, name) for name in LINK_SCORES_SCHEMA} for score in scores]
    return pl.DataFrame(rows, schema=LINK_SCORES_SCHEMA, orient="row" if not rows else None)


def page_text(thread: Thread) -> tuple[str, list[tuple[int, int]]]:
    """The thread as a reader copies it from the page: author line, member titles, body, a blank line.

    Returns:
        The text, and for every post the `(header_start, body_start)` offsets in it.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for post in thread.posts:
        header = "".join(f"{line}\n" for line in (post.author, *post.ranks) if line)
        block = f"{header}{post.text.strip()}\n\n"
        spans.append((length, length + len(header)))
        parts.append(block)
        length += len(block)
    return "".join(parts), spans


def _declared(
    thread: Thread, path: str | os.PathLike[str], engine: str | None
) -> tuple[list[Quote], list[Quote]]:
    """The quotes the markup itself declares: those linked to a post on the page, and the others.

    Taken from the reader's draft, before any resolver adds sources found by author and text.
    """
    draft = draft_bytes(Path(path).read_bytes(), source=os.fspath(path), engine=engine)
    on_page = {post.id for post in thread.posts}
    linked: list[Quote] = []
    unlinked: list[Quote] = []
    for post in draft.posts:
        for mark in post.quotes:
            if mark.method != "markup":
                continue
            source = mark.source_post_id if mark.source_post_id in on_page else None
            quote = Quote(post.id or "", source, mark.start, mark.end, None, None, None, "markup", 1.0)
            (linked if source and source != post.id else unlinked).append(quote)
    return linked, unlinked


def _plain_quotes(thread: Thread) -> list[Quote]:
    """Quotes the pipeline finds in the posts' text alone: boundaries known, no markup marks."""
    posts = [PostDraft(text=post.text, id=post.id, author=post.author) for post in thread.posts]
    plain = threads.assemble(ThreadDraft(format="eval-links", posts=posts))
    return list(plain.quotes)


def _overlap(one: Quote, other: Quote) -> bool:
    return one.post_id == other.post_id and one.start < other.end and other.start < one.end


def _same_link(truth: Quote, quote: Quote) -> bool:
    return truth.source_post_id == quote.source_post_id and _overlap(truth, quote)


def _text_boundaries(page: str) -> tuple[list[int], int]:
    """Where the text reader starts posts in the page text (offsets), and how many posts it found."""
    parsed = threads.parse(page, format="text")
    boundaries = []
    cursor = 0
    for post in parsed.posts:
        opening = _first_line(post.text) or _first_line(post.author or "")
        found = page.find(opening, cursor) if opening else -1
        for rank in post.ranks[:1]:  # a post the reader opened at its member-title line starts there
            at_rank = page.find(rank, cursor)
            if at_rank >= 0 and (found < 0 or at_rank < found):
                found = at_rank
        if found >= 0:
            boundaries.append(found)
            cursor = found + 1
        else:
            boundaries.append(-1)  # text the reader rewrote: an unplaced boundary counts as wrong
    return boundaries, len(parsed.posts)


def _boundary_hits(boundaries: Sequence[int], spans: Sequence[tuple[int, int]]) -> int:
    hits = 0
    index = 0
    for boundary in sorted(b for b in boundaries if b >= 0):
        while index < len(spans) and spans[index][1] < boundary:
            index += 1
        if index < len(spans) and spans[index][0] <= boundary <= spans[index][1]:
            hits += 1
            index += 1
    return hits


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:40]
    return ""
