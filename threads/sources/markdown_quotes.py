"""`>` quote blocks of Markdown posts (Reddit, forum-dl text): cut the markers, find the quoted post."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_QUOTE_LINE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_NOISE = re.compile(r"[*_~`>#\[\]()]+")
# Shorter passages ("> yes") match too many posts by chance to name a source.
MIN_MATCH_CHARS = 12
# Beyond the reply ancestors, only this many latest earlier posts are searched: a bound that keeps
# a huge thread full of unattributable quotes linear, far above how far back people quote.
MAX_EARLIER_SEARCHED = 1_000


@dataclass(frozen=True, slots=True)
class QuotedMarkdown:
    """Markdown with its `>` markers removed: `text`, and the `spans` of `text` that were quoted."""

    text: str
    spans: tuple[tuple[int, int], ...]


def split_quotes(markdown: str) -> QuotedMarkdown:
    """Remove the `>` markers of quote lines and return the text with the spans they covered.

    Consecutive quote lines (an empty `>` line included) form one span; a line without the
    marker ends it.
    """
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    open_start: int | None = None
    for line in markdown.splitlines(keepends=True):
        marker = _QUOTE_LINE.match(line)
        body = line[marker.end() :] if marker else line
        if marker and open_start is None:
            open_start = cursor
        elif not marker and open_start is not None:
            spans.append((open_start, cursor))
            open_start = None
        pieces.append(body)
        cursor += len(body)
    if open_start is not None:
        spans.append((open_start, cursor))
    text = "".join(pieces)
    trimmed = (_trimmed(text, start, end) for start, end in spans)
    return QuotedMarkdown(text=text, spans=tuple(span for span in trimmed if span[0] < span[1]))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def normalized(text: str) -> str:
    """Text reduced for matching a quote to its source: no Markdown marks, one space, case folded."""
    return " ".join(_NOISE.sub(" ", text).split()).casefold()


def find_source(
    passage: str,
    *,
    ancestors: Sequence[int],
    earlier: range,
    own_texts: Sequence[str],
) -> int | None:
    """Index of the post whose own text contains `passage`: nearest ancestor first, then latest earlier post.

    Only the `MAX_EARLIER_SEARCHED` latest earlier posts are searched beyond the ancestors.

    Args:
        passage: the quoted text.
        ancestors: indexes of the quoting post's reply ancestors, nearest first.
        earlier: indexes of every earlier post.
        own_texts: per post index, its own text already `normalized` (quoted spans removed).

    Returns:
        The index of the source post, or None when no post contains the passage.
    """
    needle = normalized(passage)
    if len(needle) < MIN_MATCH_CHARS:
        return None
    for index in ancestors:
        if needle in own_texts[index]:
            return index
    for index in reversed(earlier[-MAX_EARLIER_SEARCHED:]):
        if needle in own_texts[index]:
            return index
    return None
