"""Progress of long work on stderr: a line redrawn in place on a terminal, a few plain lines elsewhere."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from analysis.analyze import ANALYSIS_STEPS

# Below these, a stage is quick (a second or two): cron logs and pipes get no line about it.
LARGE_INPUT_BYTES = 2_000_000  # parsed in about a second
LARGE_THREAD_POSTS = 1_000  # analyzed in about two seconds
# On a terminal, a stage of a small input gets a line only once it has run this long; the line
# is erased when the stage ends, so that quick work looks the same as without progress.
QUIET_SECONDS = 2.0
# Off a terminal, a stage of a small input that reports after running this long gets its lines
# after all (late, and only then: so far above the seeds' times that their output never varies).
SLOW_SECONDS = 10.0
# A terminal line is redrawn at most this often: a redraw costs a write and a flush.
REDRAW_SECONDS = 0.2
# A terminal line is redrawn at least this often, its time going on while a step reports nothing
# (reading, which has no counts, took 29 s on a 100,000-post thread; targets 14 s).
TICK_SECONDS = 1.0

BAR_WIDTH = 20
_CLEAR_TO_END = "\x1b[K"


class ProgressLine:
    """One line of a terminal, redrawn in place: `[####......] text`, erased or kept at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = False

    def draw(
        self,
        text: str,
        *,
        head: str = "",
        done: int | None = None,
        total: int | None = None,
        width: int | None = None,
    ) -> None:
        """Replace the line with `head`, a bar of `done` out of `total` when both are given, and `text`.

        The bar is `width` wide, by default what the terminal leaves (10 to `BAR_WIDTH`); the line
        is cut to the terminal's width: a line that wrapped could not be redrawn in place.
        """
        columns = _columns(self.stream)
        if done is not None and total:
            if width is None:
                width = max(10, min(BAR_WIDTH, columns - len(head) - len(text) - 4))
            filled = width * min(done, total) // total
            text = f"{head}[{'#' * filled}{'.' * (width - filled)}] {text}"
        else:
            text = head + text
        self.stream.write(f"\r{text[: columns - 1]}{_CLEAR_TO_END}")
        self.stream.flush()
        self.drawn = True

    def end(self, text: str | None = None) -> None:
        """Leave the line on the screen (replaced by `text` when given) and move to the next."""
        if text is not None:
            self.draw(text)
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
        self.drawn = False

    def erase(self) -> None:
        """Remove the line, so that what follows is written where it was."""
        if self.drawn:
            self.stream.write(f"\r{_CLEAR_TO_END}")
            self.stream.flush()
        self.drawn = False


class WorkProgress:
    """The `progress(stage, done, total)` callback of the commands that work on whole threads.

    Stages: "read" (stage-level: 0 then all inputs read), the steps of `analysis.analyze`
    (shown together as the analysis) and "charts" (k of n). A stage shows only when its
    input is large (`LARGE_INPUT_BYTES` to read, `LARGE_THREAD_POSTS` posts otherwise); then a
    terminal gets a line redrawn in place, kept at the end with the stage's time, and anything
    else (cron, a pipe) one plain line as the stage starts and one as it ends. On a terminal, a
    stage of a small input that runs over `QUIET_SECONDS` gets a line too, erased as it ends;
    elsewhere, one that reports after `SLOW_SECONDS` gets its start line then, and its end line.
    Used as a context manager: on leaving, the last stage ends; after an error, its line is ended
    without a time, so that the error is written on a line of its own. On a terminal, a thread
    redraws the line every `tick_seconds` (None: never) between the callbacks.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        inputs: Sequence[str | os.PathLike[str]],
        clock: Callable[[], float] = time.monotonic,
        tick_seconds: float | None = TICK_SECONDS,
    ) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.line = ProgressLine(stream)
        self.clock = clock
        self.input_bytes = input_bytes(inputs)
        self.input_name = _inputs_name(inputs)
        self.stage: str | None = None
        self.large = False  # the stage's input is large: its lines are kept
        self.shown = False  # the stage has a line (kept or erased at its end)
        self.started = 0.0
        self.last_drawn = 0.0
        self.posts = 0
        self.charts = 0
        self.latest: tuple[str, int, int] = ("", 0, 0)  # the last callback's arguments
        # The callbacks and the ticking thread take turns: one line, drawn by one at a time.
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker: threading.Thread | None = None
        if self.interactive and tick_seconds is not None:
            self.ticker = threading.Thread(target=self._tick, args=(tick_seconds,), daemon=True)

    def __enter__(self) -> WorkProgress:
        if self.ticker is not None:
            self.ticker.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close(failed=kind is not None)
        self.stopped.set()
        if self.ticker is not None and self.ticker.is_alive():
            self.ticker.join()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that `done` of `total` units of `stage` are done (see the class docstring)."""
        shown_as = "analysis" if stage in ANALYSIS_STEPS else stage
        with self.lock:
            if shown_as != self.stage:
                self._close(failed=False)
                self._start(shown_as, total)
            self.latest = (stage, done, total)
            if stage == "charts":
                self.charts = total
            self._redraw(every=0.0 if done == 0 else REDRAW_SECONDS)

    def _tick(self, seconds: float) -> None:
        while not self.stopped.wait(seconds):
            with self.lock:
                if self.stage is not None:
                    self._redraw(every=seconds / 2)

    def _redraw(self, *, every: float) -> None:
        """Redraw the terminal line if it is shown and was last drawn `every` seconds ago or more."""
        now = self.clock()
        if not self.interactive:
            if not self.large and now - self.started >= SLOW_SECONDS:
                self.large = True
                print(f"threadlens: {self._starting(self.latest[2])}", file=self.stream, flush=True)
            return
        if not self.shown and now - self.started >= QUIET_SECONDS:
            self.shown = True
        if self.shown and now - self.last_drawn >= every:
            self.last_drawn = now
            self._draw(*self.latest, now)

    def close(self, *, failed: bool = False) -> None:
        """End the current stage: its closing line, or (`failed`) only a line end after a live line."""
        with self.lock:
            self._close(failed=failed)

    def _close(self, *, failed: bool) -> None:
        if self.stage is None:
            return
        if failed:
            self.line.end()
        elif self.large:
            message = f"threadlens: {self._ended()} in {_seconds(self.clock() - self.started)}"
            if self.interactive:
                self.line.end(message)
            else:
                print(message, file=self.stream, flush=True)
        else:
            self.line.erase()
        self.stage = None
        self.shown = False

    def _start(self, stage: str, total: int) -> None:
        self.stage = stage
        self.started = self.last_drawn = self.clock()
        if stage == "analysis":
            self.posts = total
        # Posts, not bytes, after reading: a folder of many small threads is large only to read.
        if stage == "read":
            self.large = self.input_bytes >= LARGE_INPUT_BYTES
        else:
            self.large = self.posts >= LARGE_THREAD_POSTS
        self.shown = self.large
        if self.large and not self.interactive:
            print(f"threadlens: {self._starting(total)}", file=self.stream, flush=True)

    def _starting(self, total: int) -> str:
        if self.stage == "read":
            return f"reading {self.input_name} ({_megabytes(self.input_bytes)})"
        if self.stage == "analysis":
            return f"analyzing {self.posts:,} posts"
        if self.stage == "charts":
            return f"drawing {total} charts"
        return f"{self.stage}"

    def _ended(self) -> str:
        if self.stage == "read":
            return f"read {self.input_name}"
        if self.stage == "analysis":
            return f"analyzed {self.posts:,} posts"
        if self.stage == "charts":
            return f"drew {self.charts} charts"
        return f"{self.stage} done"

    def _draw(self, stage: str, done: int, total: int, now: float) -> None:
        elapsed = _seconds(now - self.started)
        if self.stage == "analysis":
            step = f"{ANALYSIS_STEPS.index(stage) + 1}/{len(ANALYSIS_STEPS)} {stage}"
            counts = f" {done:,}/{total:,} {'links' if stage == 'stance' else 'posts'}"
            text = f"{step}{counts if stage in _COUNTED_STEPS else ''}, {elapsed}"
            self.line.draw(text, head="analyzing ", done=done, total=total)
        elif self.stage == "charts":
            self.line.draw(f"{done}/{total}, {elapsed}", head="drawing charts ", done=done, total=total)
        else:  # a stage without counts: no bar
            self.line.draw(f"{self._starting(total)}, {elapsed}")


# The steps of `analyze` that report counts as they go; the others report only their start and end.
_COUNTED_STEPS = ("tone", "stance")


def _columns(stream: TextIO) -> int:
    """The width of the terminal `stream` writes to (stdout may be a file meanwhile)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a file descriptor, or not a terminal's
        columns = 0
    # A pseudo-terminal may have no size (0): as shutil does, COLUMNS or 80 then.
    return columns if columns > 0 else shutil.get_terminal_size().columns


def input_bytes(paths: Sequence[str | os.PathLike[str]]) -> int:
    """The bytes of the given files and of the files directly in the given folders (0 if unreadable)."""
    size = 0
    for path in map(Path, paths):
        try:
            files = [child for child in path.iterdir() if child.is_file()] if path.is_dir() else [path]
            size += sum(file.stat().st_size for file in files)
        except OSError:
            continue  # the reader says what is wrong with it
    return size


def _inputs_name(paths: Sequence[str | os.PathLike[str]]) -> str:
    return Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} inputs"


def _megabytes(size: int) -> str:
    megabytes = size / 1_000_000
    return f"{megabytes:.1f} MB" if megabytes < 10 else f"{megabytes:.0f} MB"


def _seconds(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"
