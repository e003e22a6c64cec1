"""Word tokens of a post for matching quoted text: casefolded, punctuation dropped, with char offsets."""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, chain, repeat
from operator import contains

# Han, kana and CJK compatibility characters are written without spaces, so each one is a token;
# every other run of letters and digits is one word. Punctuation and white space separate tokens
# and never take part in a match, which makes matching tolerant of re-wrapped or re-punctuated text.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_SEPARATOR = "\x00"
# What ends a sentence or a line between two tokens (quoted passages are snapped to these).
SENTENCE_BREAK = re.compile(r"[.!?\n\u3002\uff01\uff1f]")


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
    # produces the separator, so the split gives back exactly one string per token. Interning
    # makes every occurrence of a word one shared object: a 100,000-post thread holds its
    # tokens once per vocabulary word instead of once per occurrence (hundreds of MB), and
    # equal tokens then compare by identity.
    return list(map(sys.intern, _SEPARATOR.join(found).casefold().split(_SEPARATOR)))


@dataclass(slots=True)
class PostWords:
    """A post's tokens and (computed on first use) where each token sits in the post text.

    Not frozen: the layout is filled in lazily because many posts never need it. It is kept as
    flat arrays (token starts, token ends, one byte per gap between tokens saying whether a
    sentence or a line ends there), not as a Python object per token: a 50 MB thread has
    millions of tokens, and these arrays are built by C loops over the regex results.
    """

    text: str
    words: list[str]
    _starts: array[int] | None = field(default=None, repr=False)
    _ends: array[int] = field(default_factory=lambda: array("q"), repr=False)
    _sentence_breaks: bytes = field(default=b"", repr=False)
    _line_breaks: bytes = field(default=b"", repr=False)

    @classmethod
    def of(cls, text: str) -> PostWords:
        """Tokenize `text`."""
        return cls(text=text, words=normalized_words(text))

    def _layout(self) -> array[int]:
        # `split` gives the n + 1 separators around the n tokens; the running sum of separator
        # and token lengths, alternately, is every token's start and end.
        separators = WORD.split(self.text)
        lengths = map(len, WORD.findall(self.text))
        offsets = array(
            "q", accumulate(chain.from_iterable(zip(map(len, separators), lengths, strict=False)))
        )
        self._starts = offsets[0::2]
        self._ends = offsets[1::2]
        # Gap k lies before token k; there is no gap to speak of before the first token or
        # after the last, which count as breaks (a passage cannot run past the post's edge).
        sentence = bytearray(map(bool, map(SENTENCE_BREAK.search, separators)))
        line = bytearray(map(contains, separators, repeat("\n")))
        sentence[0] = sentence[-1] = line[0] = line[-1] = 1
        self._sentence_breaks = bytes(sentence)
        self._line_breaks = bytes(line)
        return self._starts

    @property
    def starts(self) -> array[int]:
        """Char offset of every token's first char in `text`."""
        return self._layout() if self._starts is None else self._starts

    @property
    def ends(self) -> array[int]:
        """Char offset just past every token in `text`."""
        if self._starts is None:
            self._layout()
        return self._ends

    @property
    def spans(self) -> list[tuple[int, int]]:
        """`(start, end)` char offsets of every token in `text`."""
        return list(zip(self.starts, self.ends, strict=True))

    def breaks_before(self, token: int) -> bool:
        """Whether a sentence or line ends between token `token - 1` and token `token`.

        Outside the tokens (`token <= 0` or `token >= len(words)`) the post's edge is a break.
        """
        if self._starts is None:
            self._layout()
        return token <= 0 or token >= len(self._sentence_breaks) - 1 or bool(self._sentence_breaks[token])

    def line_breaks_before(self, token: int) -> bool:
        """Whether a line ends between token `token - 1` and token `token` (edges count)."""
        if self._starts is None:
            self._layout()
        return token <= 0 or token >= len(self._line_breaks) - 1 or bool(self._line_breaks[token])

    def letters(self, first: int, stop: int) -> int:
        """Chars in tokens `first` to `stop - 1`: white space and punctuation not counted."""
        return sum(self.ends[first:stop]) - sum(self.starts[first:stop])

    def char_span(self, first: int, stop: int) -> tuple[int, int]:
        """Char offsets covering tokens `first` to `stop - 1` (`stop > first`)."""
        return self.starts[first], self.ends[stop - 1]

    def token_range(self, start: int, end: int, *, touching: bool = False) -> tuple[int, int]:
        """The tokens inside chars `[start, end)`, as a `[first, stop)` token range.

        Args:
            start: first char.
            end: char after the last.
            touching: also count tokens that only partly overlap the chars.
        """
        starts, ends = self.starts, self.ends
        if touching:
            first = bisect_right(ends, start)
            stop = bisect_left(starts, end, lo=first)
        else:
            first = bisect_left(starts, start)
            stop = bisect_right(ends, end, lo=first)
        return first, max(first, stop)
