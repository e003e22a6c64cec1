"""The per-run rules of quote detection read off the token layout give what scanning the text gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from threads.alignment import Run
from threads.quotes import _LINE_REACH, _SENTENCE_REACH, _fills_lines, _snapped
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
    for breaks, reach in ((line_breaks, _LINE_REACH), (sentence_breaks, _SENTENCE_REACH)):
        if not sentence_breaks[start]:
            start = next(
                (start + k for k in range(1, reach + 1) if start + k < stop and breaks[start + k]), start
            )
        if not sentence_breaks[stop]:
            stop = next(
                (stop - k for k in range(1, reach + 1) if stop - k > start and breaks[stop - k]), stop
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
def test_fills_lines_from_the_layout_is_the_scan_of_the_text(case: tuple[PostWords, Run]) -> None:
    words, run = case
    assert _fills_lines(run, words) == _fills_lines_by_scanning(
        words.text, *words.char_span(run.start, run.stop)
    )


@settings(max_examples=400, deadline=None)
@given(_post_and_run())
def test_snapped_by_byte_search_is_the_step_by_step_snap(case: tuple[PostWords, Run]) -> None:
    words, run = case
    snapped = _snapped(run, words)
    assert (snapped.start, snapped.stop) == _snapped_step_by_step(run, words)
