"""Quote attribution: declared quotes resolved to the post that wrote them, implicit reuse found."""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from threads.alignment import (
    EXCLUDED,
    NOT_OWN,
    NumberedOwnTextIndex,
    OwnTextIndex,
    Run,
    choose_disjoint,
    merge_nearby,
)
from threads.model import PostDraft, Quote, QuoteMark
from threads.shared_grams import shared_grams
from threads.words import CJK, PostWords, flagged

# A copied passage of at least LONG_RUN words is a quote wherever it sits. From MIN_LINE_RUN words
# (and MIN_LINE_LETTERS letters) on it must fill whole lines of the quoting post: quoted text
# stands in its own block there, while shorter shared phrases inside a sentence are coincidence or
# the author restating. Shorter lines ("Evidence please.") count only when they repeat a whole line
# or sentence of a post that this post already quotes at ANCHOR_RUN words or more: the quoter is
# answering that post point by point. Han and kana characters are tokens of their own, so they
# count as a third of a word each (a Chinese word is two or three characters).
LONG_RUN = 12
ANCHOR_RUN = 8
MIN_LINE_RUN = 5
MIN_LINE_LETTERS = 20  # "I don't think so at all." has 5 words but only 18 letters: too common
NGRAM = 3
MAX_POSTS = 3
_HAN = re.compile(f"[{CJK}]")
_LINE_REACH = 4
_SENTENCE_REACH = 2
_PUNCTUATION_AFTER = re.compile(r"[^\w\s]+")
_PUNCTUATION_BEFORE = re.compile(r"[^\w\s]+$")
# Attribution lines that page text keeps above a quoted passage ("Originally posted by X",
# "X wrote:", vBulletin's "quote:" and its rule of dashes): they belong to the quote, not to the
# quoting author's own text.
_HEADER_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?P<header>(?:quote:|originally posted by\b[^\n]{0,80}|[^\n]{1,60}\b(?:wrote|said):)"
    r"[ \t]*(?:\n[ \t]*-{3,}[ \t]*)?\s*)$",
    re.IGNORECASE,
)
_RULE_AFTER = re.compile(r"[ \t]*\n[ \t]*-{3,}[ \t]*(?=\n|$)")
_HEADER_WINDOW = 200
_LINE_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class _Located:
    """Where a passage was found: post index, char span in its text, and how well it matched."""

    post: int
    start: int
    end: int
    score: float


def attribute_quotes(
    posts: Sequence[PostDraft],
    *,
    min_words: int = MIN_LINE_RUN,
    long_words: int = LONG_RUN,
) -> list[Quote]:
    """Return every quote in the thread, attributed to the post where the passage is own text.

    Declared quotes (the reader's `QuoteMark`s) are located in the post they name, or, when they
    name only an author or nobody, in earlier posts' own text; implicit quotes are passages copied
    from an earlier post's own text without any marker (method "alignment").

    Args:
        posts: the thread's posts in order, ids assigned.
        min_words: fewest words an unmarked copied passage needs (when it fills whole lines).
        long_words: words from which an unmarked copied passage is a quote wherever it sits.

    Returns:
        Quotes ordered by quoting post, then start offset; in one post they never overlap.
    """
    finder = _QuoteFinder(posts, min_words=min_words, long_words=long_words)
    return [quote for index in range(len(posts)) for quote in finder.quotes_of(index)]


class _QuoteFinder:
    """Walks the thread in order, keeping the own-text index of the posts already done."""

    def __init__(self, posts: Sequence[PostDraft], *, min_words: int, long_words: int) -> None:
        self.posts = posts
        self.min_words = min_words
        self.long_words = long_words
        self.tokens = PostWords.many([post.text for post in posts])
        # Only n-grams that occur in two posts can seed an implicit quote: find them for the whole
        # thread at once, so the index and the search skip everything else.
        self.shared = shared_grams(
            [words.words for words in self.tokens], n=NGRAM, word_numbers=self.tokens.numbers
        )
        # Declared quotes are known before the walk: the index looks ahead with what they exclude.
        self.marks = [_disjoint_marks(post.quotes, post.text) for post in posts]
        self.declared_tokens = [
            [words.token_range(mark.start, mark.end, touching=True) for mark in marks]
            for words, marks in zip(self.tokens, self.marks, strict=True)
        ]
        self.index = NumberedOwnTextIndex(
            self.shared,
            max_posts=MAX_POSTS,
            excluded=self.declared_tokens,
            line_breaks=[words.break_flags()[1] for words in self.tokens],
        )
        self.words: list[PostWords] = []
        self.found: list[list[Quote]] = []
        self.position_of = {post.id: index for index, post in enumerate(posts)}
        # Casefolded once per post, not once per candidate run.
        self._author_keys = [post.author.casefold() if post.author is not None else None for post in posts]
        self._lines: OrderedDict[int, dict[tuple[str, ...], tuple[int, int]]] = OrderedDict()

    def quotes_of(self, index: int) -> list[Quote]:
        """Attribute the quotes of post `index`; every earlier post must be done already."""
        post = self.posts[index]
        assert post.id is not None and index == len(self.words)
        words = self.tokens[index]
        self.words.append(words)
        declared = [self._declared(index, mark) for mark in self.marks[index]]
        searched: Sequence[str | None] = words.words
        if self.declared_tokens[index]:
            searched = list(words.words)
            for first, stop in self.declared_tokens[index]:
                searched[first:stop] = [EXCLUDED] * (stop - first)
        breaks = words.line_breaks_before
        # Snapping and trimming only ever shorten a run, and no run shorter than this is accepted,
        # nor one shorter than `long_words` without whole lines this long in it (see `_promising`;
        # when `long_words` is the shorter, no such run holds any): most runs are chance matches of
        # a few words inside a line, so the index drops them before the per-token work.
        shortest = min(self.min_words, self.long_words)
        found = self.index.long_runs(
            index, searched, min_length=shortest, long_length=self.long_words, breaks=breaks
        )
        candidates = [_snapped(run, words) for run in self._promising(index, found, words)] if found else []
        # Most posts have no candidate and declare no quote: nothing to choose, anchor or trim.
        runs: list[Run] = []
        if candidates:
            runs = choose_disjoint(
                candidates,
                accept=lambda run: self._acceptable(index, run, words),
                may_repeat=lambda run: _fills_lines(run, words),
            )
            runs = sorted(runs + self._anchored_lines(words, searched, runs), key=lambda run: run.start)
        quotes: list[Quote] = []
        quoted_tokens: list[tuple[int, int]] = []
        if runs or declared:
            implicit = [self._implicit(index, words, run) for run in runs]
            quotes = _without_overlaps(post.text, sorted(declared + implicit, key=lambda quote: quote.start))
            quoted_tokens = [words.token_range(quote.start, quote.end, touching=True) for quote in quotes]
        self.index.add(words.words, quoted=quoted_tokens)
        self.found.append(quotes)
        return quotes

    # -- declared quotes ---------------------------------------------------------------------

    def _declared(self, index: int, mark: QuoteMark) -> Quote:
        post = self.posts[index]
        assert post.id is not None
        words = self.words[index]
        first, stop = words.token_range(mark.start, mark.end)
        passage = words.words[first:stop]
        located: _Located | None = None
        source: int | None = None
        if mark.source_post_id is not None:
            named = self.position_of.get(mark.source_post_id)
            if named is not None and named < index:
                source = named
                located = self._locate(passage, named) if passage else None
        elif passage:
            located = self._search(passage, mark.quoted_author, self.shared.grams_between(index, first, stop))
        if located is not None:
            source = located.post
        return Quote(
            post_id=post.id,
            source_post_id=self.posts[source].id if source is not None else None,
            start=mark.start,
            end=mark.end,
            source_start=located.start if located else None,
            source_end=located.end if located else None,
            quoted_author=mark.quoted_author,
            method=mark.method,
            score=located.score if located else 1.0,
        )

    def _locate(self, passage: list[str], source: int, depth: int = 0) -> _Located | None:
        """Find `passage` in the named post, or, if 90% of it is a quote there, in the post that wrote it."""
        words = self.words[source]
        span = _best_span(passage, words.words)
        if span is None:
            return None
        first, stop, score = span
        start, end = _widen(words.text, *words.char_span(first, stop))
        for quote in self.found[source]:
            inner = min(end, quote.end) - max(start, quote.start)
            if quote.source_post_id is not None and inner >= 0.9 * (end - start) and depth < 64:
                earlier = self.position_of[quote.source_post_id]
                deeper = self._locate(passage, earlier, depth + 1)
                if deeper is not None:
                    return _Located(deeper.post, deeper.start, deeper.end, min(score, deeper.score))
        return _Located(source, start, end, score)

    def _search(
        self,
        passage: list[str],
        author: str | None,
        grams: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]],
    ) -> _Located | None:
        """Find a passage that names no post in earlier posts' own text, the named author's first.

        `grams` are the positions and keys of the passage's n-grams that other posts share too
        (see `threads.shared_grams`).
        """
        wanted = author.casefold() if author else None
        best: tuple[tuple[bool, int], Run] | None = None
        positions, keys = grams
        for run in self.index.runs(passage, positions=positions, keys=keys):
            source_author = self.posts[run.source].author
            rank = (wanted is not None and (source_author or "").casefold() == wanted, run.matched)
            if best is None or rank > best[0]:
                best = (rank, run)
        if best is not None and best[1].matched * 2 >= len(passage):
            run = best[1]
            words = self.words[run.source]
            start, end = _widen(words.text, *words.char_span(run.source_start, run.source_stop))
            return _Located(run.source, start, end, run.score * min(1.0, run.matched / len(passage)))
        if wanted is None or len(passage) >= NGRAM:
            return None
        # Too short for an n-gram: look through the author's latest own text, a bounded number of posts.
        candidates = [j for j in range(len(self.found) - 1, -1, -1) if self._by(j, wanted)][:20]
        for candidate in candidates:
            own = self.index.words(candidate)
            span = _best_span(passage, own)
            if span is not None and span[2] == 1.0:
                words = self.words[candidate]
                start, end = _widen(words.text, *words.char_span(span[0], span[1]))
                return _Located(candidate, start, end, 1.0)
        return None

    def _by(self, index: int, author: str) -> bool:
        return (self.posts[index].author or "").casefold() == author

    # -- implicit quotes ---------------------------------------------------------------------

    def _acceptable(self, index: int, run: Run, words: PostWords) -> bool:
        # Words an author repeats from their own earlier post (a signature, a greeting, a pasted
        # paragraph) are still what this author wrote: only a declared self-quote is a quote.
        author = self._author_keys[index]
        if author is not None and author == self._author_keys[run.source]:
            return False
        length = _length_in_words(run, words)
        if length >= self.long_words:
            return True
        if length < self.min_words:
            return False
        # Most runs that get here are chance matches inside a sentence: the line test, two flags,
        # rejects them before the letters are counted.
        return _fills_lines(run, words) and words.letters(run.start, run.stop) >= MIN_LINE_LETTERS

    def _promising(self, index: int, runs: list[Run], words: PostWords) -> list[Run]:
        """The runs any part of which could pass `_acceptable`: a run no part of which can is never
        chosen, and only chosen runs bear on the others, so it is dropped before snapping and choosing.

        Snapping and trimming keep a part `[s, t)` of the run. Its length in words is at most its
        tokens; below `long_words` it must fill its lines, i.e. line breaks in gaps `s` and `t`,
        at least `min_words` tokens apart. Most runs here are chance matches inside a sentence,
        with no line break in them at all. (One loop over a post's runs, with what they share
        looked up once: a call per run cost more than the test.)
        """
        author = self._author_keys[index]
        author_keys = self._author_keys
        long_words, min_words = self.long_words, self.min_words
        line_breaks = words.break_flags()[1]
        kept = []
        for run in runs:
            if author is not None and author == author_keys[run.source]:
                continue
            start, stop = run.start, run.stop
            if stop - start < long_words:
                first = line_breaks.find(1, start, stop + 1)
                if first < 0 or line_breaks.rfind(1, first, stop + 1) - first < min_words:
                    continue
            kept.append(run)
        return kept

    def _anchored_lines(self, words: PostWords, searched: Sequence[str | None], runs: list[Run]) -> list[Run]:
        """Short whole lines repeating a whole line of a post this post already quotes at length."""
        anchors = sorted({run.source for run in runs if run.matched >= ANCHOR_RUN}, reverse=True)
        if not anchors:
            return []
        taken = [False] * len(searched)
        for run in runs:
            taken[run.start : run.stop] = [True] * (run.stop - run.start)
        found = []
        for first, stop in words.line_ranges():
            if not stop - first < self.long_words or any(taken[first:stop]):
                continue
            key = tuple(searched[first:stop])
            if EXCLUDED in key:
                continue
            for anchor in anchors:
                hit = self._short_lines(anchor).get(key)  # type: ignore[arg-type]
                if hit is not None:
                    found.append(Run(anchor, first, stop, hit[0], hit[1], stop - first))
                    break
        return found

    def _short_lines(self, source: int) -> dict[tuple[str, ...], tuple[int, int]]:
        """Token ranges of the short lines and sentences of a post's own text, keyed by their words."""
        cached = self._lines.get(source)
        if cached is not None:
            self._lines.move_to_end(source)
            return cached
        words = self.words[source]
        own = self.index.words(source)
        ranges = words.line_ranges()
        sentence_starts = flagged(words.break_flags()[0], 0, len(own))
        ranges += zip(sentence_starts, [*sentence_starts[1:], len(own)], strict=True)
        lines: dict[tuple[str, ...], tuple[int, int]] = {}
        for first, stop in ranges:
            key = own[first:stop]
            if 0 < stop - first < self.long_words and NOT_OWN not in key:
                lines.setdefault(tuple(key), (first, stop))  # type: ignore[arg-type]
        self._lines[source] = lines
        if len(self._lines) > _LINE_CACHE_SIZE:
            self._lines.popitem(last=False)
        return lines

    def _implicit(self, index: int, words: PostWords, run: Run) -> Quote:
        post = self.posts[index]
        source = self.posts[run.source]
        source_words = self.words[run.source]
        assert post.id is not None and source.id is not None
        start, end = _widen(words.text, *words.char_span(run.start, run.stop))
        start, end = _with_header(words.text, start, end)
        source_start, source_end = _widen(
            source_words.text, *source_words.char_span(run.source_start, run.source_stop)
        )
        return Quote(
            post_id=post.id,
            source_post_id=source.id,
            start=start,
            end=end,
            source_start=source_start,
            source_end=source_end,
            quoted_author=source.author,
            method="alignment",
            score=round(run.score, 4),
        )


def _length_in_words(run: Run, words: PostWords) -> float:
    if words.text.isascii():  # known without a scan: Python keeps it with every string
        return run.stop - run.start
    tokens = words.words[run.start : run.stop]
    han = sum(1 for token in tokens if len(token) == 1 and _HAN.match(token))
    return len(tokens) - han + han / 3


def _disjoint_marks(marks: Sequence[QuoteMark], text: str) -> list[QuoteMark]:
    """Declared marks clamped to the text, nested ones cut out of the marks that contain them.

    A quote nested in a quote is the more precise statement of where its words come from, so the
    inner mark is kept whole and the outer one split around it; partial overlaps go to the shorter.
    """
    if not marks:
        return []  # most posts declare no quote
    pieces: list[QuoteMark] = []
    taken: list[tuple[int, int]] = []
    clamped = [(max(0, mark.start), min(len(text), mark.end), mark) for mark in marks]
    valid = sorted((item for item in clamped if item[0] < item[1]), key=lambda item: item[0])
    if all(before[1] <= after[0] for before, after in itertools.pairwise(valid)):
        # The usual case, and linear: no two marks overlap.
        return [_piece(mark, start, end, text) for start, end, mark in valid if text[start:end].strip()]
    for start, end, mark in sorted(valid, key=lambda item: (item[1] - item[0], item[0])):
        cursor = start
        for taken_start, taken_end in sorted(span for span in taken if span[0] < end and start < span[1]):
            if taken_start > cursor:
                pieces.append(_piece(mark, cursor, taken_start, text))
            cursor = max(cursor, taken_end)
        if cursor < end:
            pieces.append(_piece(mark, cursor, end, text))
        taken.append((start, end))
    kept = [piece for piece in pieces if piece.start < piece.end and text[piece.start : piece.end].strip()]
    return sorted(kept, key=lambda piece: piece.start)


def _piece(mark: QuoteMark, start: int, end: int, text: str) -> QuoteMark:
    """A part of a mark that another mark cut; white space at the cut is left to the own text."""
    if start != mark.start:
        start = end - len(text[start:end].lstrip())
    if end != mark.end:
        end = start + len(text[start:end].rstrip())
    return QuoteMark(start, end, mark.method, mark.source_post_id, mark.quoted_author)


def _best_span(passage: Sequence[str], words: Sequence[str | None]) -> tuple[int, int, float] | None:
    """Where `passage` best matches inside `words`: exactly if it can, else by n-gram alignment."""
    if not passage:
        return None
    needle = " " + " ".join(passage) + " "
    haystack = " " + " ".join(word or "\x00" for word in words) + " "
    found = haystack.find(needle)
    if found >= 0:
        first = haystack.count(" ", 0, found + 1) - 1
        return first, first + len(passage), 1.0
    if len(passage) < NGRAM:
        return None
    local = OwnTextIndex(n=NGRAM, max_posts=len(words) + 1)
    local.add([word if word is not None else NOT_OWN for word in words])
    runs = merge_nearby(local.runs(passage))
    if not runs:
        return None
    best = max(runs, key=lambda run: run.matched)
    return (
        best.source_start,
        best.source_stop,
        best.matched / max(len(passage), best.source_stop - best.source_start),
    )


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the punctuation touching a span's first and last word (quotes, '?', '...').

    Only punctuation that belongs to the span's words: the run must reach white space (or the
    text's edge) on its other side, else it joins the span to a neighbouring word (CJK text).
    """
    after = _PUNCTUATION_AFTER.match(text, end)
    if after and (after.end() == len(text) or text[after.end()].isspace()):
        end = after.end()
    # The run before can only end just before the span, or before a line break just before it
    # (`$` matches there too): skip the search when the char before is a word char or other white
    # space, as it mostly is.
    previous = text[start - 1] if start else " "
    if previous == "\n" or not (previous.isspace() or previous.isalnum() or previous == "_"):
        before = _PUNCTUATION_BEFORE.search(text, max(0, start - 16), start)
        if before and (before.start() == 0 or text[before.start() - 1].isspace()):
            start = before.start()
    return start, end


def _with_header(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a quote over an attribution line just above it and a rule of dashes just below."""
    window = max(0, start - _HEADER_WINDOW)
    header = _header_at_end(text[window:start])
    if header:
        start = window + header.start("header")
    rule = _RULE_AFTER.match(text, end)
    if rule:
        end = rule.end()
    return start, end


def _header_at_end(text: str) -> re.Match[str] | None:
    """`_HEADER_BEFORE.search(text)`, trying only the two places where a match can start.

    A match is a header line, at most a rule of dashes on the next line, then white space to the
    end: its header line is the last line with anything but white space, or the line just before
    it. Trying the pattern at the start of those two lines (leftmost first, as `search` would)
    costs a fraction of trying it at every char of the window (checked against `search` in
    tests/test_quote_rules.py).
    """
    last = text.rfind("\n", 0, len(text.rstrip()))
    for newline in (text.rfind("\n", 0, last), last) if last >= 0 else (last,):
        found = _HEADER_BEFORE.match(text, max(newline, 0))
        if found:
            return found
    return None


def _snapped(run: Run, words: PostWords) -> Run:
    """Drop the few words at either end of a run that belong to the neighbouring sentence or line.

    A copied passage starts and ends at a sentence break or inside a sentence the quoter trimmed;
    a run that reaches one or two words past a sentence break ("... accept evolution. | It
    contradicts"), or up to four words into a line it does not finish, only picked up words that
    happen to match the source on the other side of the break.
    """
    start, stop = run.start, run.stop
    # A run lies within the post's tokens, so the flags of its gaps can be read directly. The
    # nearest break within reach inside the run is found by a byte search over the flags: first
    # line breaks, then sentence breaks (a line break is a sentence break too), each end in turn.
    sentence_breaks, line_breaks = words.break_flags()
    for breaks, reach in ((line_breaks, _LINE_REACH), (sentence_breaks, _SENTENCE_REACH)):
        if not sentence_breaks[start]:
            found = breaks.find(1, start + 1, min(start + reach + 1, stop))
            if found >= 0:
                start = found
        if not sentence_breaks[stop]:
            found = breaks.rfind(1, max(stop - reach, start + 1), stop)
            if found >= 0:
                stop = found
    if (start, stop) == (run.start, run.stop):
        return run
    return Run(
        run.source,
        start,
        stop,
        run.source_start + (start - run.start),
        run.source_stop - (run.stop - stop),
        max(1, run.matched - (start - run.start) - (run.stop - stop)),
    )


def _fills_lines(run: Run, words: PostWords) -> bool:
    """Whether no word of the post shares a line with the run's tokens outside them.

    That is: a line ends in the gap before the run's first token and in the gap after its last
    (the post's edges count), read off the layout's flags instead of scanning the text.
    """
    line_breaks = words.break_flags()[1]
    return bool(line_breaks[run.start] and line_breaks[run.stop])


def _without_overlaps(text: str, quotes: list[Quote]) -> list[Quote]:
    """Trim widened spans so that the quotes of one post never overlap; drop any left empty."""
    kept: list[Quote] = []
    for quote in quotes:
        start = max(quote.start, kept[-1].end) if kept else quote.start
        if start >= quote.end or not text[start : quote.end].strip():
            continue
        kept.append(quote if start == quote.start else _moved(quote, start))
    return kept


def _moved(quote: Quote, start: int) -> Quote:
    return Quote(
        post_id=quote.post_id,
        source_post_id=quote.source_post_id,
        start=start,
        end=quote.end,
        source_start=quote.source_start,
        source_end=quote.source_end,
        quoted_author=quote.quoted_author,
        method=quote.method,
        score=quote.score,
    )
