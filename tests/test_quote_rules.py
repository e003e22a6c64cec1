"""The per-run rules of quote detection read off the token layout give what scanning the text gives."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from threads.alignment import Run
from threads.model import PostDraft
from threads.quotes import (
    _HEADER_BEFORE,
    _LINE_REACH,
    _PUNCTUATION_AFTER,
    _PUNCTUATION_BEFORE,
    _SENTENCE_REACH,
    LONG_RUN,
    MIN_LINE_RUN,
    _fills_lines,
    _header_at_end,
    _QuoteFinder,
    _snapped,
    _widen,
)
from threads.words import WORD, PostWords

ALPHABET = "ab Zß9_ .!?\n\n\t,;'\"-中文。！？é\u3042²"


def _fills_lines_by_scanning(text: str, start: int, end: int) -> bool:
    """The rule as first written: no word shares a line with the span `[start, end)` outside it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    return WORD.search(text, line_start, start) is None and WORD.search(text, end, line_end) is None


def _snapped_step_by_step(run: Run, words: PostWords) -> tuple[int, int]:
    """Where `_snapped` first moved a run's ends: one flag at a time."""
    start, stop = run.start, run.stop
    sentence_breaks, line_breaks = words.break_flags()
    for breaks, reach in (
        (line_breaks, _LINE_REACH),
        (sentence_breaks, _SENTENCE_REACH),
    ):
        if not sentence_breaks[start]:
            start = next(
                (start + k for k in range(1, reach + 1) if start + k < stop and breaks[start + k]),
                start,
            )
        if not sentence_breaks[stop]:
            stop = next(
                (stop - k for k in range(1, reach + 1) if stop - k > start and breaks[stop - k]),
                stop,
            )
    return start, stop


@st.composite
def _post_and_run(draw: st.DrawFn) -> tuple[PostWords, Run]:
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=80))
    batch = draw(st.booleans())
    words = PostWords.many([text])[0] if batch else PostWords.of(text)
    count = len(words.words)
    if count == 0:
        words = PostWords.of("one two")
        count = 2
    start = draw(st.integers(0, count - 1))
    stop = draw(st.integers(start + 1, count))
    return words, Run(0, start, stop, start, stop, stop - start)


@settings(max_examples=400, deadline=None)
@given(_post_and_run())
def test_fills_lines_from_the_layout_is_the_scan_of_the_text(
    case: tuple[PostWords, Run],
) -> None:
    words, run = case
    assert _fills_lines(run, words) == _fills_lines_by_scanning(
        words.text, *words.char_span(run.start, run.stop)
    )


@settings(max_examples=400, deadline=None)
@given(_post_and_run())
def test_snapped_by_byte_search_is_the_step_by_step_snap(
    case: tuple[PostWords, Run],
) -> None:
    words, run = case
    snapped = _snapped(run, words)
    assert (snapped.start, snapped.stop) == _snapped_step_by_step(run, words)


def _widened_by_searching(text: str, start: int, end: int) -> tuple[int, int]:
    """`_widen` as first written: the search for punctuation before the span always runs."""
    after = _PUNCTUATION_AFTER.match(text, end)
    if after and (after.end() == len(text) or text[after.end()].isspace()):
        end = after.end()
    before = _PUNCTUATION_BEFORE.search(text, max(0, start - 16), start)
    if before and (before.start() == 0 or text[before.start() - 1].isspace()):
        start = before.start()
    return start, end


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab_9 \n\t\r.,!?\"'()-中。\u00a0\x1c", max_size=40), st.data())
def test_widen_skipping_the_search_is_widen_searching(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _widen(text, start, end) == _widened_by_searching(text, start, end)


HEADER_PIECES = [
    "quote:",
    "Quote:",
    "wrote:",
    "said:",
    "Originally posted by Kim",
    "posted by",
    " ",
    "\t",
    "\n",
    "---",
    "-",
    "x",
    "Bob",
    ":",
    "\r",
    "\x0c",
    "\u0131",
    "po\u017fted",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(HEADER_PIECES), max_size=25).map("".join))
def test_header_at_end_is_the_search_of_the_pattern(text: str) -> None:
    searched = _HEADER_BEFORE.search(text)
    found = _header_at_end(text)
    assert (found and (found.span(), found.span("header"))) == (
        searched and (searched.span(), searched.span("header"))
    )


_LINE_OF_WORDS = st.lists(st.sampled_from(["Another", "word", "x", "中"]), min_size=1, max_size=8).map(
    " ".join
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_LINE_OF_WORDS, st.sampled_from(["\n", ". ", " "])), min_size=1, max_size=6).map(
        lambda lines: "".join(line + end for line, end in lines)
    ),
    st.sampled_from([None, "Kim", "kim"]),
    st.data(),
)
def test_a_run_ruled_out_early_has_no_acceptable_part(
    text: str, author: str | None, data: st.DataObject
) -> None:
    finder = _QuoteFinder(
        [PostDraft("source", id="a", author="Kim"), PostDraft(text, id="b", author=author)],
        min_words=MIN_LINE_RUN,
        long_words=LONG_RUN,
    )
    words = finder.tokens[1]
    assume(words.words)
    count = len(words.words)
    # Runs that start or stop at a line break are the ones whose parts can fill lines.
    line_gaps = [gap for gap in range(count + 1) if words.line_breaks_before(gap)]
    start = data.draw(st.sampled_from([gap for gap in line_gaps if gap < count]) | st.integers(0, count - 1))
    stop = data.draw(
        st.sampled_from([gap for gap in line_gaps if gap > start]) | st.integers(start + 1, count)
    )
    if not finder._promising(1, [Run(0, start, stop, start, stop, stop - start)], words):
        for first in range(start, stop):
            for last in range(first + 1, stop + 1):
                assert not finder._acceptable(1, Run(0, first, last, first, last, last - first), words)
