"""Progress on stderr: a line redrawn in place on a terminal, a few plain lines elsewhere, none if quick."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from analysis import progress as progress_module
from analysis.batch_progress import BatchProgress
from analysis.batch_work import ThreadResult
from analysis.progress import ProgressLine, WorkProgress


class Terminal(io.StringIO):
    """A stream that says it is a terminal (of `COLUMNS` columns)."""

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "64")


def _screen(written: str) -> list[str]:
    """The lines a terminal shows once `written` is printed: each carriage return rewrites its line."""
    lines = []
    for line in written.replace("\x1b[K", "").split("\n"):
        lines.append(line.split("\r")[-1])
    return lines


def _analysis(progress: WorkProgress, clock: Clock, posts: int, links: int) -> None:
    for done in (0, posts // 2, posts):
        progress("tone", done, posts)
        clock.now += 1.5
    for done in (0, links):
        progress("stance", done, links)
        clock.now += 1.0
    for step in ("targets", "arguments", "structure"):
        progress(step, 0, posts)
        progress(step, posts, posts)


def test_large_thread_off_a_terminal_gets_a_start_and_an_end_line_per_stage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress_module, "LARGE_INPUT_BYTES", 10)
    stream, clock = io.StringIO(), Clock()
    with WorkProgress(stream, inputs=[__file__], clock=clock, tick_seconds=None) as progress:
        progress("read", 0, 1)
        clock.now += 31
        progress("read", 1, 1)
        _analysis(progress, clock, posts=100_000, links=120_000)
        for done in range(9):
            progress("charts", done, 8)
        clock.now += 71
    assert stream.getvalue().splitlines() == [
        f"threadlens: reading test_progress.py ({progress_module._megabytes(Path(__file__).stat().st_size)})",
        "threadlens: read test_progress.py in 31 s",
        "threadlens: analyzing 100,000 posts",
        "threadlens: analyzed 100,000 posts in 6.5 s",
        "threadlens: drawing 8 charts",
        "threadlens: drew 8 charts in 1 min 11 s",
    ]


def test_small_thread_gets_no_line_anywhere_even_when_slow() -> None:
    plain, terminal, clock = io.StringIO(), Terminal(), Clock()
    for stream in (plain, terminal):
        with WorkProgress(stream, inputs=[__file__], clock=clock, tick_seconds=None) as progress:
            progress("read", 0, 1)
            progress("read", 1, 1)
            _analysis(progress, clock, posts=999, links=900)
    assert plain.getvalue() == ""
    # On a terminal, the analysis ran past QUIET_SECONDS and had a line; it is erased at its end.
    assert "analyzing" in terminal.getvalue() and _screen(terminal.getvalue()) == [""]


def test_slow_stage_of_a_small_thread_off_a_terminal_gets_its_lines_late() -> None:
    stream, clock = io.StringIO(), Clock()
    with WorkProgress(stream, inputs=[__file__], clock=clock, tick_seconds=None) as progress:
        progress("charts", 0, 8)
        clock.now += progress_module.SLOW_SECONDS - 1
        progress("charts", 1, 8)
        assert stream.getvalue() == ""
        clock.now += 1
        progress("charts", 2, 8)
        clock.now += 3
    assert stream.getvalue().splitlines() == [
        "threadlens: drawing 8 charts",
        "threadlens: drew 8 charts in 13 s",
    ]


def test_terminal_line_is_redrawn_in_place_and_kept_with_the_time() -> None:
    terminal, clock = Terminal(), Clock()
    with WorkProgress(terminal, inputs=[__file__], clock=clock, tick_seconds=None) as progress:
        _analysis(progress, clock, posts=2_000, links=1_500)
        mid_stance = _screen(terminal.getvalue())
        for done in range(9):
            progress("charts", done, 8)
            clock.now += 0.5
    assert mid_stance[-1].startswith("analyzing [") and "5/5 structure" in mid_stance[-1]
    screen = _screen(terminal.getvalue())
    assert screen == ["threadlens: analyzed 2,000 posts in 6.5 s", "threadlens: drew 8 charts in 4.5 s", ""]
    assert "2/5 stance 1,500/1,500 links" in terminal.getvalue()
    shown = terminal.getvalue().replace("\x1b[K", "").replace("\n", "\r").split("\r")
    assert all(len(line) < 64 for line in shown)


def test_a_failure_ends_the_live_line_so_the_error_has_its_own_line() -> None:
    terminal, clock = Terminal(), Clock()
    with (
        pytest.raises(RuntimeError),
        WorkProgress(terminal, inputs=[__file__], clock=clock, tick_seconds=None) as progress,
    ):
        progress("tone", 0, 5_000)
        clock.now += 1
        progress("tone", 2_500, 5_000)
        raise RuntimeError("bad input")
    terminal.write("threadlens: error: bad input\n")
    screen = _screen(terminal.getvalue())
    assert re.fullmatch(r"analyzing \[(#+)(\.+)\] 1/5 tone 2,500/5,000 posts, 1.0 s", screen[0])
    assert screen[1:] == ["threadlens: error: bad input", ""]


def test_terminal_line_time_goes_on_while_a_stage_reports_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "LARGE_INPUT_BYTES", 10)
    terminal, clock = Terminal(), Clock()
    with WorkProgress(terminal, inputs=[__file__], clock=clock, tick_seconds=0.01) as progress:
        progress("read", 0, 1)
        clock.now += 12
        deadline = time.monotonic() + 5
        while "12 s" not in terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        progress("read", 1, 1)
    name = Path(__file__).name
    assert f"\rreading {name} ({progress_module._megabytes(Path(__file__).stat().st_size)}), 12 s" in (
        terminal.getvalue()
    )
    assert _screen(terminal.getvalue()) == [f"threadlens: read {name} in 12 s", ""]


def test_progress_line_is_cut_to_the_terminal_width() -> None:
    terminal = Terminal()
    line = ProgressLine(terminal)
    line.draw("x" * 200, head="head ", done=1, total=2)
    assert _screen(terminal.getvalue()) == ["head [#####.....] " + "x" * 45]
    line.erase()
    assert _screen(terminal.getvalue()) == [""]


def test_batch_bar_and_plain_lines() -> None:
    terminal, plain = Terminal(), io.StringIO()
    done = ThreadResult(key="inbox/a.html", thread_id="1", seconds=0.21)
    for stream in (terminal, plain):
        with BatchProgress(stream) as progress:
            progress(0, 2, None)
            progress(1, 2, done)
    assert re.fullmatch(r"\[#+\.+\] 1/2 threads, 0 failed, 0 s", _screen(terminal.getvalue())[0])
    assert plain.getvalue().splitlines() == [
        "threadlens: batch: 2 threads to compute",
        "threadlens: batch: [1/2] inbox/a.html ok (0.21 s)",
    ]
