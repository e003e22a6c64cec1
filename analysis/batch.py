"""Scheduled batch runs: many thread files in, per-thread and corpus-wide outputs, incremental and safe."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analysis.batch_executors import run_dask, run_inline, run_processes
from analysis.batch_inputs import InputGroup, find_inputs
from analysis.batch_state import InputRecord, StateStore, holding_lock, pipeline_fingerprint, stamp_pages
from analysis.batch_store import TABLES_DIR, is_complete, remove_stale, write_thread
from analysis.batch_work import ThreadResult, ThreadTask, stages
from analysis.outputs import replacing_file, write_text_atomic
from threads.errors import EXIT_OK, EXIT_PARTIAL, OutputError, UsageError

RUNS_DIR = "runs"
RUNS_LOG = "runs.log"
CORPUS_PNG = "corpus.png"

Progress = Callable[[int, int, ThreadResult | None], None]


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that produced no thread, with the one-line reason; `unchanged`: not retried this run."""

    input: str
    error: str
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one batch run saw and did; written to `runs/<timestamp>.json` and one line of `runs.log`.

    Counts are of threads (input groups): `seen` = `processed` + `skipped` + len(failed inputs
    attempted this run); `skipped` includes unchanged inputs that failed before (listed in
    `failures` with `unchanged=True`). `removed` counts inputs gone since the previous run.
    """

    started_at: str
    finished_at: str
    out: str
    pipeline: str
    jobs: int
    scheduler: str | None
    force: bool
    files: int
    seen: int
    processed: int
    skipped: int
    failed: int
    removed: int
    failures: tuple[Failure, ...]
    durations: dict[str, float] = field(default_factory=dict)
    threads: tuple[dict[str, Any], ...] = ()

    @property
    def exit_code(self) -> int:
        """`EXIT_PARTIAL` while any input fails (new or unchanged), else `EXIT_OK`."""
        return EXIT_PARTIAL if self.failures else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, with the exit code."""
        return asdict(self) | {"exit_code": self.exit_code}

    def log_line(self) -> str:
        """The one line appended to `runs.log`."""
        return (
            f"{self.started_at} seen={self.seen} processed={self.processed} skipped={self.skipped} "
            f"failed={self.failed} still_failing={len(self.failures) - self.failed} "
            f"removed={self.removed} seconds={self.durations.get('total', 0.0):.2f} exit={self.exit_code}"
        )


def run_batch(
    inputs: Sequence[str],
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
    reports: bool = True,
    progress: Progress | None = None,
) -> RunSummary:
    """Bring the output folder up to date with the inputs: compute new and changed threads only.

    Args:
        inputs: folders, globs, files, or `@LIST` files (see `find_inputs`).
        out: the output folder; it is locked for the whole run.
        force: recompute every thread, changed or not.
        jobs: local worker processes (1 computes in this process).
        scheduler: a Dask scheduler address; the work then runs on that cluster instead.
        reports: write each thread's report folder (the slowest stage: PNG charts).
        progress: called as `progress(done, total, result)`, first with `(0, total, None)`.

    Returns:
        The run summary, also written to `out/runs/` and `out/runs.log`.

    Raises:
        UsageError: bad arguments (a missing input, `jobs` < 1, an unreachable scheduler).
        LockedError: another run holds `out/.lock`.
        OutputError: an output could not be written (outputs of finished threads stay).
    """
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    clock = time.perf_counter()
    started_at = _utc_now()
    folder = Path(out).absolute()
    groups = find_inputs(inputs, exclude=folder)
    durations: dict[str, float] = {"find": time.perf_counter() - clock}
    with holding_lock(folder), contextlib.closing(StateStore(folder)) as store:
        store.load()
        pipeline = pipeline_fingerprint(stages(report=reports))
        step = time.perf_counter()
        plan = _plan(groups, store, folder, pipeline=pipeline, force=force, reports=reports)
        durations["check"] = time.perf_counter() - step
        step = time.perf_counter()
        total = len(plan.todo)
        if progress:
            progress(0, total, None)
        finished: list[dict[str, Any]] = []
        failures = list(plan.failures)
        todo = _largest_first(plan) if jobs > 1 or scheduler is not None else plan.todo
        # Inputs with the same bytes are one thread: the last written wins its `input` field. They
        # are written after the loop in input order, so parallel runs end as a serial run does.
        digests = Counter(digest for _, digest in plan.stamps.values())
        same_thread: list[ThreadResult] = []
        for done, result in enumerate(_execute(todo, out=folder, jobs=jobs, scheduler=scheduler), start=1):
            stamped = plan.stamps[result.key]
            if result.write_error is not None:
                raise OutputError(result.write_error)
            if result.thread_id is not None:
                if digests[stamped[1]] > 1:
                    same_thread.append(result)
                elif not result.written:
                    write_thread(folder, result)
                finished.append(
                    {"input": result.key, "thread_id": result.thread_id, "seconds": result.seconds}
                )
            else:
                failures.append(Failure(result.key, result.error or "failed"))
            if not result.retry:
                # A failing input keeps the thread its last success produced: its good outputs stay.
                previous = store.records.get(result.key)
                kept = result.thread_id or (previous.thread_id if previous else None)
                store.put(result.key, InputRecord(stamped[0], stamped[1], pipeline, kept, result.error))
            if progress:
                progress(done, total, result)
        order = {task.key: position for position, task in enumerate(plan.todo)}
        for result in sorted(same_thread, key=lambda result: order[result.key]):
            write_thread(folder, result)
        durations["compute"] = time.perf_counter() - step
        step = time.perf_counter()
        store.compact()
        remove_stale(folder, store.live_thread_ids())
        if finished or plan.removed or not (folder / CORPUS_PNG).exists():
            _write_corpus_chart(folder)
        durations["finish"] = time.perf_counter() - step
        durations["total"] = time.perf_counter() - clock
        failed_now = len(failures) - len(plan.failures)
        summary = RunSummary(
            started_at=started_at,
            finished_at=_utc_now(),
            out=str(folder),
            pipeline=pipeline,
            jobs=jobs,
            scheduler=scheduler,
            force=force,
            files=sum(len(group.pages) for group in groups),
            seen=len(groups),
            processed=len(finished),
            skipped=len(groups) - len(plan.todo) - plan.unreadable,
            failed=failed_now + plan.unreadable,
            removed=plan.removed,
            failures=tuple(sorted(failures, key=lambda failure: failure.input)),
            durations={name: round(seconds, 4) for name, seconds in durations.items()},
            threads=tuple(sorted(finished, key=lambda row: str(row["input"]))),
        )
        _write_summary(folder, summary)
    return summary


@dataclass(slots=True)
class _Plan:
    todo: list[ThreadTask] = field(default_factory=list)
    stamps: dict[str, tuple[Any, str]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)  # unchanged failures and unreadable inputs
    unreadable: int = 0
    removed: int = 0


def _plan(
    groups: list[InputGroup], store: StateStore, out: Path, *, pipeline: str, force: bool, reports: bool
) -> _Plan:
    plan = _Plan()
    current = {group.key for group in groups}
    for key in [key for key in store.records if key not in current]:
        store.put(key, None)
        plan.removed += 1
    for group in groups:
        previous = store.records.get(group.key)
        try:
            pages, digest = stamp_pages(group.pages, previous)
        except OSError as error:
            plan.failures.append(Failure(group.key, f"{error.filename}: {error.strerror or error}"))
            plan.unreadable += 1
            continue
        unchanged = (
            not force
            and previous is not None
            and previous.digest == digest
            and previous.pipeline == pipeline
            and (previous.thread_id is None or is_complete(out, previous.thread_id))
        )
        if unchanged and previous is not None:
            if previous.pages != pages:  # touched, same bytes: remember the new stat, skip hashing later
                store.put(group.key, InputRecord(pages, digest, pipeline, previous.thread_id, previous.error))
            if previous.error is not None:
                plan.failures.append(Failure(group.key, previous.error, unchanged=True))
            continue
        plan.stamps[group.key] = (pages, digest)
        plan.todo.append(ThreadTask(key=group.key, pages=group.pages, data=None, report=reports))
    repeated = Counter(digest for _, digest in plan.stamps.values())
    plan.todo = [replace(task, worker_writes=repeated[plan.stamps[task.key][1]] == 1) for task in plan.todo]
    return plan


def _largest_first(plan: _Plan) -> list[ThreadTask]:
    # In parallel the run ends when the last thread does: starting the biggest threads first
    # leaves small ones to fill the gaps at the end, instead of one worker finishing a big one alone.
    def size(task: ThreadTask) -> int:
        return sum(page.size for page in plan.stamps[task.key][0])

    return sorted(plan.todo, key=size, reverse=True)


def _execute(
    todo: list[ThreadTask], *, out: Path, jobs: int, scheduler: str | None
) -> Iterator[ThreadResult]:
    tasks = (_with_bytes(task) for task in todo)
    if scheduler is not None:
        return run_dask(tasks, address=scheduler)
    if jobs > 1 and len(todo) > 1:
        return run_processes(tasks, jobs=min(jobs, len(todo)), out=out)
    return run_inline(tasks)


def _with_bytes(task: ThreadTask) -> ThreadTask:
    if len(task.pages) != 1:
        return task
    try:
        data = Path(task.pages[0]).read_bytes()
    except OSError:
        return task  # the worker's own read reports the reason in its one-line error
    return replace(task, data=data)


def _write_corpus_chart(out: Path) -> None:
    # Imported on use: batch workers import this module and draw no corpus chart.
    from analysis.corpus_charts import corpus_figure

    threads_table = out / TABLES_DIR / "threads"
    frame = (
        pl.scan_parquet(threads_table / "**" / "*.parquet").collect()
        if any(threads_table.glob("*/*.parquet"))
        else None
    )
    figure = corpus_figure(frame)
    with replacing_file(out / CORPUS_PNG) as temporary:
        figure.savefig(temporary, format="png", dpi=100)


def _write_summary(out: Path, summary: RunSummary) -> None:
    stamp = summary.started_at.replace("-", "").replace(":", "")
    write_text_atomic(out / RUNS_DIR / f"{stamp}.json", json.dumps(summary.to_json(), indent=1) + "\n")
    try:
        # One short O_APPEND write: a line lands whole or not at all, and never interleaves.
        descriptor = os.open(out / RUNS_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, (summary.log_line() + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise OutputError(f"cannot append to {out / RUNS_LOG}: {error.strerror or error}") from error


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
