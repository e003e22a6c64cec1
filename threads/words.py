"""Word tokens of a post for matching quoted text: casefolded, punctuation dropped, with char offsets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

# Han, kana and CJK compatibility characters are written without spaces, so each one is a token;
# every other run of letters and digits is one word. Punctuation and white space separate tokens
# and never take part in a match, which makes matching tolerant of re-wrapped or re-punctuated text.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_SEPARATOR = "\x00"


def normalized_words(text: str) -> list[str]:
    """The casefolded word tokens of `text`, in order.

    Args:
        text: any text.

    Returns:
        One string per token (see `WORD`), casefolded.
    """
    found = WORD.findall(text)
    if not found:
        return []
    # One casefold over the joined tokens is much faster than one per token; casefolding never
    # produces the separator, so the split gives back exactly one string per token.
    return _SEPARATOR.join(found).casefold().split(_SEPARATOR)


@dataclass(slots=True)
class PostWords:
    """A post's tokens, and (computed on first use) the char span of each token in the post text.

    Not frozen: the offsets are filled in lazily because most posts never need them.
    """

    text: str
    words: list[str]
    _spans: list[tuple[int, int]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, text: str) -> PostWords:
        """Tokenize `text`."""
        return cls(text=text, words=normalized_words(text))

    @property
    def spans(self) -> list[tuple[int, int]]:
        """`(start, end)` char offsets of every token in `text`."""
        if self._spans is None:
            self._spans = [match.span() for match in WORD.finditer(self.text)]
        return self._spans

    def char_span(self, first: int, stop: int) -> tuple[int, int]:
        """Char offsets covering tokens `first` to `stop - 1` (`stop > first`)."""
        spans = self.spans
        return spans[first][0], spans[stop - 1][1]

    def token_range(self, start: int, end: int, *, touching: bool = False) -> tuple[int, int]:
        """The tokens inside chars `[start, end)`, as a `[first, stop)` token range.

        Args:
            start: first char.
            end: char after the last.
            touching: also count tokens that only partly overlap the chars.
        """
        spans = self.spans
        if touching:
            first = bisect_right(spans, start, key=_end_of)
            stop = bisect_left(spans, end, lo=first, key=_start_of)
        else:
            first = bisect_left(spans, start, key=_start_of)
            stop = bisect_right(spans, end, lo=first, key=_end_of)
        return first, max(first, stop)


def _start_of(span: tuple[int, int]) -> int:
    return span[0]


def _end_of(span: tuple[int, int]) -> int:
    return span[1]
