"""Word tokens of a post for matching quoted text: casefolded, punctuation dropped, with char offsets."""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain, pairwise
from typing import overload

import numpy as np
import numpy.typing as npt

# Han, kana and CJK compatibility characters are written without spaces, so each one is a token;
# every other run of letters and digits is one word. Punctuation and white space separate tokens
# and never take part in a match, which makes matching tolerant of re-wrapped or re-punctuated text.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_SEPARATOR = "\x00"
# What ends a sentence or a line between two tokens (quoted passages are snapped to these).
SENTENCE_BREAK = re.compile(r"[.!?\n\u3002\uff01\uff1f]")
_SENTENCE_CODES = np.array([ord(char) for char in ".!?\n\u3002\uff01\uff1f"], dtype=np.uint32)
_NEWLINE = ord("\n")


def _breaks_in(
    marks: npt.NDArray[np.bool_], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether any of the marked chars lies in each span `[starts[k], ends[k])`."""
    counts = np.zeros(len(marks) + 1, dtype=np.int64)
    np.cumsum(marks, out=counts[1:])
    return counts[ends] > counts[starts]


def _gaps_holding(
    marks: npt.NDArray[np.bool_],
    token_starts: npt.NDArray[np.int64],
    text_starts: npt.NDArray[np.int64],
    gap_count: int,
) -> npt.NDArray[np.bool_]:
    """Whether any of the marked chars lies in each gap of texts joined by one separator each.

    Text t's gap k lies before its token k and is gap `first token of t + t + k` of the batch; a
    marked char is no token char, so the tokens starting before it are the first k of its text
    and those of the texts before. Finding the gap of each of the few marked chars costs less than
    a running count over every char.
    """
    marked = np.flatnonzero(marks)
    gaps = np.searchsorted(token_starts, marked) + np.searchsorted(text_starts, marked, side="right") - 1
    holding = np.zeros(gap_count, dtype=np.bool_)
    holding[gaps] = True
    return holding


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

    Not frozen: `of` fills the layout in lazily, on first use; `many` fills it in for a whole
    thread at once, which costs less than doing it post by post. It is kept as
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

    @classmethod
    def many(cls, texts: Sequence[str]) -> ThreadWords:
        """Tokenize and lay out many texts, about a million characters at a time: one regex pass
        and one array pass over each batch instead of several small ones per text (a thread has
        thousands of short posts, and per-call overhead dominated). The words are numbered on the
        way (`ThreadWords.numbers`)."""
        posts: list[PostWords] = []
        # Grown in place batch by batch: a list of batch arrays joined at the end would leave
        # their freed blocks behind as holes in the heap among the posts' arrays.
        numbers = array("i")
        batch: list[str] = []
        size = 0
        vocabulary = _Vocabulary()
        for text in texts:
            batch.append(text)
            size += len(text) + 1
            if size >= _BATCH_CHARS:
                numbers.frombytes(_laid_out(batch, vocabulary, posts).data.cast("B"))
                batch, size = [], 0
        if batch:
            numbers.frombytes(_laid_out(batch, vocabulary, posts).data.cast("B"))
        return ThreadWords(tuple(posts), np.frombuffer(numbers, dtype=np.int32))

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
        # Whether a gap holds a sentence or line break is read off running counts of those
        # characters over the text's code points: no Python step per gap.
        codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        gap_starts = np.frombuffer(array("q", [0]) + self._ends, dtype=np.int64)
        gap_ends = np.frombuffer(self._starts + array("q", [len(self.text)]), dtype=np.int64)
        sentence = _breaks_in(np.isin(codes, _SENTENCE_CODES), gap_starts, gap_ends)
        line = _breaks_in(codes == _NEWLINE, gap_starts, gap_ends)
        sentence[0] = sentence[-1] = line[0] = line[-1] = True
        self._sentence_breaks = sentence.tobytes()
        self._line_breaks = line.tobytes()
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

    def break_flags(self) -> tuple[bytes, bytes]:
        """One byte per gap `0 .. len(words)` (gap k lies before token k): whether a sentence or a
        line ends there, and whether a line ends there. The post's edges (gaps 0 and `len(words)`)
        count as both, so that within them `flags[token]` is `breaks_before(token)`.
        """
        if self._starts is None:
            self._layout()
        return self._sentence_breaks, self._line_breaks

    def line_ranges(self) -> list[tuple[int, int]]:
        """The `[first, stop)` token ranges of the text's lines that hold tokens, in order.

        No token holds a line break, so a line's tokens are those between two gaps that hold one:
        the same ranges as `token_range` of every line's span, without scanning the text.
        """
        count = len(self.words)
        bounds = [0, *flagged(self.break_flags()[1], 1, count), count]
        return list(pairwise(bounds)) if count else []

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


@dataclass(frozen=True, slots=True)
class ThreadWords(Sequence[PostWords]):
    """The `PostWords` of a thread's posts, in order, and the number of every token's word.

    `numbers` holds one number per token, post after post: the words of the thread numbered from
    0 in the order they first occur, so equal numbers stand exactly for equal words (what
    `threads.shared_grams` numbers n-grams with).
    """

    posts: tuple[PostWords, ...]
    numbers: npt.NDArray[np.int32]

    @overload
    def __getitem__(self, index: int) -> PostWords: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PostWords, ...]: ...

    def __getitem__(self, index: int | slice) -> PostWords | tuple[PostWords, ...]:
        return self.posts[index]

    def __len__(self) -> int:
        return len(self.posts)

    def __iter__(self) -> Iterator[PostWords]:
        return iter(self.posts)


class _Vocabulary(dict[str, int]):
    """The words seen so far, each mapped to its number (numbered in the order they are first
    looked up), and in `words` the one string object that stands for each."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        self[word] = number = len(self.words)
        self.words.append(word)
        return number


def flagged(flags: bytes, start: int, stop: int) -> list[int]:
    """The positions in `[start, stop)` of the set bytes of `flags` (a few per line of text)."""
    found = flags.find(1, start, stop)
    positions = []
    while found >= 0:
        positions.append(found)
        found = flags.find(1, found + 1, stop)
    return positions


_BATCH_CHARS = 1_000_000
# What each code point of the basic multilingual plane is, as bit flags: part of a run of letters
# and digits (what `WORD` takes for `\w` but `_`), a token of its own (CJK), a sentence break,
# a line break. Separators have neither token bit.
_IN_RUN, _OWN_TOKEN, _SENTENCE, _LINE = 1, 2, 4, 8
_TOKEN = _IN_RUN | _OWN_TOKEN
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_SPACE = ord(" ")


@cache
def _code_classes() -> npt.NDArray[np.uint8]:
    classes = np.array([chr(code).isalnum() for code in range(0x10000)], dtype=np.uint8)
    for first, last in _CJK_RANGES:
        classes[first : last + 1] = _OWN_TOKEN
    classes[_SENTENCE_CODES] |= _SENTENCE
    classes[_NEWLINE] |= _LINE
    return classes


def _classes_of(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """The `_code_classes` flags of every code point (astral ones looked up one by one: rare)."""
    classes = _code_classes()[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    if astral.size:
        classes[astral] = [chr(code).isalnum() for code in codes[astral].tolist()]
    return classes


def _token_offsets(classes: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Where the tokens `WORD.finditer` finds start and end, from the classes of the text's code points.

    A classification table and a few array passes do what `WORD.split` and a running sum over its
    pieces did, in C loops over the code points. The regex's word characters are those for which
    `str.isalnum` holds, and `_`.
    """
    own_token = (classes & _OWN_TOKEN) != 0
    in_run = (classes & _IN_RUN) != 0
    # A run starts where the code point before is not in one, and ends where the next is not.
    run_edges = np.diff(in_run.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(own_token | (run_edges[:-1] == 1))
    ends = np.flatnonzero(own_token | (run_edges[1:] == -1)) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


def _token_text(codes: npt.NDArray[np.uint32], classes: npt.NDArray[np.uint8]) -> str:
    """The text with every separator turned into a space and a space on both sides of each CJK
    token, so that `str.split()` gives exactly the tokens `WORD.findall` finds: no token char is
    white space (checked over all code points in tests/test_words.py). Built with array passes,
    it costs a fraction of the regex scan.
    """
    spaced = np.where(classes & _TOKEN, codes, np.uint32(_SPACE))
    own = np.flatnonzero(classes & _OWN_TOKEN)
    if own.size:
        spaced = np.insert(spaced, np.concatenate((own, own + 1)), np.uint32(_SPACE))
    return spaced.astype(np.uint32, copy=False).tobytes().decode("utf-32-le")


def _laid_out(texts: list[str], vocabulary: _Vocabulary, result: list[PostWords]) -> npt.NDArray[np.int32]:
    """Append to `result` the `PostWords` of the texts with their layout filled in, computed for
    all of them at once; return the numbers of their tokens' words in `vocabulary`.

    `vocabulary` numbers each word seen so far and holds the one string object that stands for it.
    """
    joined = _SEPARATOR.join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _classes_of(codes)
    starts, ends = _token_offsets(classes)
    # Casefolding is done per code point (no context, unlike `str.lower`), and never turns a token
    # char into white space, so folding the whole token text at once equals folding each token.
    # Every occurrence of a word is then made one shared object: a 100,000-post thread holds its
    # tokens once per vocabulary word instead of once per occurrence (hundreds of MB), and equal
    # tokens compare by identity. Numbering the words (one dict look-up per token) and taking
    # each token's shared object by number (array indexing, in C) costs less than `sys.intern`
    # per token, and the numbers spare `threads.shared_grams` a look-up per token of its own.
    folded = _token_text(codes, classes).casefold().split()
    assert len(folded) == len(starts)
    numbers = np.fromiter(map(vocabulary.__getitem__, folded), dtype=np.int32, count=len(folded))
    del folded
    words: list[str] = np.array(vocabulary.words, dtype=object)[numbers].tolist()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=text_starts[1:])
    # The separator is no word char, so no token spans two texts.
    first = np.searchsorted(starts, text_starts)
    stops = np.append(first[1:], len(starts))
    # Each text's gaps: from its start to its first token, between its tokens, from its last
    # token to its end.
    gap_count = len(starts) + len(texts)
    sentence = _gaps_holding((classes & _SENTENCE) != 0, starts, text_starts, gap_count)
    line = _gaps_holding((classes & _LINE) != 0, starts, text_starts, gap_count)
    del codes, classes
    gap_first = first + np.arange(len(texts))
    gap_last = gap_first + (stops - first)
    sentence[gap_first] = sentence[gap_last] = line[gap_first] = line[gap_last] = True
    owner = np.repeat(text_starts, stops - first)
    local_starts = memoryview((starts - owner).tobytes())
    local_ends = memoryview((ends - owner).tobytes())
    sentence_bytes, line_bytes = sentence.tobytes(), line.tobytes()
    for text, first_token, stop_token, first_gap in zip(
        texts, first.tolist(), stops.tolist(), gap_first.tolist(), strict=True
    ):
        token_starts, token_ends = array("q"), array("q")
        token_starts.frombytes(local_starts[8 * first_token : 8 * stop_token])
        token_ends.frombytes(local_ends[8 * first_token : 8 * stop_token])
        gaps = slice(first_gap, first_gap + stop_token - first_token + 1)
        result.append(
            PostWords(
                text=text,
                words=words[first_token:stop_token],
                _starts=token_starts,
                _ends=token_ends,
                _sentence_breaks=sentence_bytes[gaps],
                _line_breaks=line_bytes[gaps],
            )
        )
    return numbers
