"""Where a batch run puts each thread's outputs, how it replaces them, and how it removes stale ones."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterable
from pathlib import Path

from analysis.batch_work import ThreadResult, ThreadTask, process_thread
from analysis.outputs import replacing_directory, replacing_files, sweep_leftovers, write_parquet
from threads.errors import OutputError

TABLES_DIR = "tables"
THREADS_DIR = "threads"
PARTITION_PREFIX = "thread_id="
PART_NAME = "part.parquet"


def partition_path(out: Path, table: str, thread_id: str) -> Path:
    """The one Parquet file holding `table`'s rows of one thread.

    Args:
        out: the batch output folder.
        table: a table name ("posts", "threads", ...).
        thread_id: the thread's id.

    Returns:
        `out/tables/<table>/thread_id=<id>/part.parquet` (hive layout, read by `pl.scan_parquet`).
    """
    return out / TABLES_DIR / table / f"{PARTITION_PREFIX}{thread_id}" / PART_NAME


def is_complete(out: Path, thread_id: str) -> bool:
    """Whether the thread's `threads` row exists: it is written last, so the rest is there too."""
    return partition_path(out, "threads", thread_id).exists()


def write_thread(out: Path, result: ThreadResult) -> None:
    """Write one thread's table partitions and report folder; nothing is replaced until all are written.

    Every partition is written to a temporary file and the report to a temporary folder first; only
    then are they renamed into place, the `threads` row last, so a thread whose row is present
    has all its other files, and a failed write (a full disk) leaves the previous outputs whole.

    Args:
        out: the batch output folder.
        result: a successful result (`thread_id` set).

    Raises:
        OutputError: a file could not be written (earlier outputs stay whole).
    """
    thread_id = result.thread_id
    assert thread_id is not None
    names = sorted(result.tables, key=lambda name: name == "threads")
    with replacing_files([partition_path(out, name, thread_id) for name in names]) as temporaries:
        for name, temporary in zip(names, temporaries, strict=True):
            write_parquet(result.tables[name], temporary)
        if result.report_files:
            with replacing_directory(out / THREADS_DIR / thread_id) as folder:
                for name, data in result.report_files.items():
                    target = folder / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)


def process_and_write(task: ThreadTask, out: str) -> ThreadResult:
    """Compute one thread and write its outputs here, in the worker: the parent only records it.

    Used by local worker processes, which see the output folder: the tables and report files
    then never travel back to the parent, and writing runs in parallel instead of in the parent
    alone. Writing is the same as `write_thread` (each file replaced atomically, `threads` last).

    Args:
        task: the thread to compute.
        out: the batch output folder.

    Returns:
        The result without its tables and report files, `written` set; or the failure, or the
        `write_error` for the parent to raise (the run stops as when the parent cannot write);
        a task without `worker_writes` comes back whole, for the parent to write.
    """
    result = process_thread(task)
    if result.thread_id is None or not task.worker_writes:
        return result
    try:
        write_thread(Path(out), result)
    except OutputError as error:
        return dataclasses.replace(result, tables={}, report_files={}, write_error=str(error))
    return dataclasses.replace(result, tables={}, report_files={}, written=True)


def remove_stale(out: Path, live_thread_ids: Iterable[str]) -> int:
    """Delete the partitions and report folders of threads no current input produced.

    Also sweeps the temporary files a killed run left behind (hidden names ending in `.tmp`/`.old`).
    Cost: one listing per table folder, linear in the number of threads.

    Args:
        out: the batch output folder.
        live_thread_ids: the ids whose outputs must stay.

    Returns:
        How many thread partitions or report folders were removed.
    """
    live = set(live_thread_ids)
    removed = 0
    tables = out / TABLES_DIR
    for table in sorted(tables.iterdir()) if tables.is_dir() else []:
        if not table.is_dir():
            continue
        for partition in table.iterdir():
            name = partition.name
            if name.startswith(PARTITION_PREFIX) and name[len(PARTITION_PREFIX) :] not in live:
                shutil.rmtree(partition, ignore_errors=True)
                removed += 1
            elif partition.is_dir():
                sweep_leftovers(partition, any_owner=True)  # the lock rules out other writers
    reports = out / THREADS_DIR
    if reports.is_dir():
        sweep_leftovers(reports, any_owner=True)
    for folder in sorted(reports.iterdir()) if reports.is_dir() else []:
        if not folder.name.startswith(".") and folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    sweep_leftovers(out, any_owner=True)
    return removed
