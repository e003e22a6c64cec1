"""Progress of a batch run on stderr: a bar on a terminal, one plain line per thread otherwise (cron logs)."""

from __future__ import annotations

import os
import shutil
import time
from types import TracebackType
from typing import TextIO

from analysis.batch_work import ThreadResult
from analysis.progress import ProgressLine
from threads.plural import counted


class BatchProgress:
    """A `progress(done, total, result)` callback for `run_batch`, used as a context manager.

    On a terminal it redraws one bar line in place; elsewhere (cron, a pipe) it prints one line per
    finished thread, which reads well in a mail or a journal.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.line = ProgressLine(stream)
        self.failures = 0

    def __enter__(self) -> BatchProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.line.end()

    def __call__(self, done: int, total: int, result: ThreadResult | None) -> None:
        """Show that `done` of `total` threads are finished, `result` the latest."""
        if self.interactive:
            if total:
                self._draw(done, total, failed=result is not None and result.error is not None)
            return
        if result is None:
            print(f"threadlens: batch: {counted(total, 'thread')} to compute", file=self.stream, flush=True)
            return
        state = f"failed: {result.error}" if result.error else f"ok ({result.seconds:.2f} s)"
        print(
            f"threadlens: batch: [{done}/{total}] {_name(result.key)} {state}", file=self.stream, flush=True
        )

    def _draw(self, done: int, total: int, *, failed: bool) -> None:
        self.failures += int(failed)
        elapsed = time.monotonic() - self.started
        tail = f"{done}/{counted(total, 'thread')}, {self.failures} failed, {elapsed:.0f} s"
        width = max(10, min(40, shutil.get_terminal_size().columns - len(tail) - 4))
        self.line.draw(tail, done=done, total=total, width=width)


def _name(key: str) -> str:
    relative = os.path.relpath(key)
    return relative if not relative.startswith("..") else key
