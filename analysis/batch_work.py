"""The work a batch does for one thread: read, analyze, render; run in a worker or in the parent."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

import threads
from analysis.analyze import Analysis, analyze
from analysis.report import write_report
from threads.errors import ThreadlensError

# The `threads` table: one row per thread of the batch, the columns the corpus chart reads.
THREADS_TABLE_SCHEMA: dict[str, Any] = {
    "thread_id": pl.String,
    "input": pl.String,  # the group key: the first page's path
    "pages": pl.Int32,
    "title": pl.String,
    "format": pl.String,
    "language": pl.String,
    "posts": pl.Int32,
    "quotes": pl.Int32,
    "edges": pl.Int32,
    "authors": pl.Int32,  # distinct non-null authors
    "first_post_at": pl.Datetime("us", "UTC"),
    "last_post_at": pl.Datetime("us", "UTC"),
    "warnings": pl.Int32,
    "english_share": pl.Float64,  # share of sentences that are English
    "mean_polarity": pl.Float64,  # mean TextBlob polarity of English sentences; null when none
    "agree": pl.Int32,  # stance of quote/reply edges
    "disagree": pl.Int32,
    "neutral": pl.Int32,
}


@dataclass(frozen=True, slots=True)
class ThreadTask:
    """One thread to compute: its group key, its pages, and the bytes of a single page.

    The parent reads a single page itself so that a remote worker needs no access to the input
    folder; a thread of several pages is read by the worker (`threads.read(pages)`), which then
    needs the same paths. `worker_writes`: a local worker may write the outputs itself; the parent
    leaves it unset for inputs whose bytes another input of the run repeats (the same thread id),
    so that two processes never replace the same files at once.
    """

    key: str
    pages: tuple[str, ...]
    data: bytes | None
    report: bool = True
    worker_writes: bool = False


@dataclass(frozen=True, slots=True)
class ThreadResult:
    """What one thread produced: its tables by name (each with a leading `thread_id` column).

    Exactly one of `thread_id` and `error` is set. `retry` marks a failure of the machinery (a
    worker that died), not of the input: such an input is not remembered as failed, so the next run
    tries it again. `written`: a local worker already wrote the outputs (`tables` and
    `report_files` are then empty); `write_error`: its one-line reason when writing them failed.
    """

    key: str
    thread_id: str | None
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    report_files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    retry: bool = False
    written: bool = False
    write_error: str | None = None


def stages(*, report: bool) -> tuple[str, ...]:
    """The stages every thread goes through; part of the fingerprint that decides recomputation."""
    return ("parse", "analyze", "report") if report else ("parse", "analyze")


def process_thread(task: ThreadTask) -> ThreadResult:
    """Compute every table of one thread; never raises, a failure becomes a one-line `error`.

    Args:
        task: the thread's key, pages and (for one page) bytes.

    Returns:
        The tables keyed by table name, or the reason it failed.
    """
    started = time.perf_counter()
    try:
        if task.data is not None:
            thread = threads.parse_bytes(task.data, source=task.pages[0])
        else:
            thread = threads.read(list(task.pages))
        result = analyze(thread)
        tables = thread_tables(result, key=task.key, pages=len(task.pages))
        report_files = report_bytes(result) if task.report else {}
    except ThreadlensError as error:
        return _failure(task, str(error), started)
    except Exception as error:  # one bad input must not stop the batch; the reason is kept
        return _failure(task, f"internal error: {type(error).__name__}: {error}", started)
    return ThreadResult(
        key=task.key,
        thread_id=thread.id,
        tables=tables,
        report_files=report_files,
        seconds=time.perf_counter() - started,
    )


def report_bytes(result: Analysis) -> dict[str, bytes]:
    """Render the thread's report (`analysis.report.write_report`) and return its files' bytes.

    Rendered in a private temporary folder so that the worker writes nothing in the output
    folder: outputs are written by `batch_store` (in the parent, or in a local worker), and a
    remote Dask worker needs no access to them.

    Args:
        result: the thread's analysis.

    Returns:
        The report's files by path relative to the report folder.
    """
    with tempfile.TemporaryDirectory(prefix="threadlens-report-") as scratch:
        folder = write_report(result, scratch, name="report")
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(Path(folder).rglob("*"))
            if path.is_file()
        }


def thread_tables(result: Analysis, *, key: str, pages: int) -> dict[str, pl.DataFrame]:
    """The tables of one thread, each with a leading `thread_id` column; `threads` comes last.

    Args:
        result: the thread's analysis (`analysis.analyze`).
        key: its input group key (stored in the `threads` row).
        pages: how many files it was read from.

    Returns:
        posts, quotes, edges, boilerplate, every analysis table (tone_sentences, tone_posts,
        stance, targets, arguments, chains, metrics, repairs, post_structure), then the one-row
        `threads` table.
    """
    thread = result.thread
    frames = {
        "posts": thread.posts_frame(),
        "quotes": thread.quotes_frame(),
        "edges": thread.edges_frame(),
        "boilerplate": thread.boilerplate_frame(),
    } | result.frames()
    tables = {name: _with_thread_id(frame, thread.id) for name, frame in frames.items()}
    tables["threads"] = _threads_row(result, frames["posts"], key=key, pages=pages)
    return tables


def _with_thread_id(frame: pl.DataFrame, thread_id: str) -> pl.DataFrame:
    return frame.select(pl.lit(thread_id, dtype=pl.String).alias("thread_id"), pl.all())


def _threads_row(result: Analysis, posts: pl.DataFrame, *, key: str, pages: int) -> pl.DataFrame:
    thread = result.thread
    facts = result.summary()
    created = posts.get_column("created_at")
    row = {
        "thread_id": thread.id,
        "input": key,
        "pages": pages,
        "title": thread.title,
        "format": thread.format,
        "language": thread.language,
        "posts": len(thread.posts),
        "quotes": len(thread.quotes),
        "edges": len(thread.edges),
        "authors": posts.get_column("author").drop_nulls().n_unique(),
        "first_post_at": created.min(),
        "last_post_at": created.max(),
        "warnings": len(thread.warnings),
        "english_share": facts["english_share"],
        "mean_polarity": facts["mean_polarity"],
        "agree": facts["stance"]["agree"],
        "disagree": facts["stance"]["disagree"],
        "neutral": facts["stance"]["neutral"],
    }
    return pl.DataFrame([row], schema=THREADS_TABLE_SCHEMA)


def _failure(task: ThreadTask, message: str, started: float) -> ThreadResult:
    line = " ".join(message.split()) or "failed without a message"
    return ThreadResult(key=task.key, thread_id=None, error=line[:500], seconds=time.perf_counter() - started)
