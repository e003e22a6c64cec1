"""Run per-thread tasks in this process, in local worker processes, or on a Dask cluster."""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from analysis.batch_store import process_and_write
from analysis.batch_work import ThreadResult, ThreadTask, process_thread
from threads.errors import UsageError

# Tasks in flight per worker: enough to keep workers busy, few enough to bound the parent's memory.
_WINDOW_PER_WORKER = 2


def run_inline(tasks: Iterable[ThreadTask]) -> Iterator[ThreadResult]:
    """Compute each task in this process, in order."""
    for task in tasks:
        yield process_thread(task)


def run_processes(tasks: Iterable[ThreadTask], *, jobs: int, out: Path) -> Iterator[ThreadResult]:
    """Compute tasks in `jobs` local worker processes, which also write them; results arrive as they finish.

    Each worker writes its threads' outputs into `out` itself (`process_and_write`) and returns
    only the outcome, so the parent neither unpickles the tables nor writes them one thread at a
    time while the workers wait. Workers are spawned once per run (not forked: polars' thread
    pool does not survive a fork). A worker that dies takes its in-flight tasks with it: they
    come back as `retry` failures and a fresh pool carries on with the rest.

    Args:
        tasks: the threads to compute; read lazily, a bounded number in flight.
        jobs: the number of worker processes.
        out: the batch output folder.

    Returns:
        An iterator of results, one per task, in completion order; successful ones are `written`.
    """
    work = functools.partial(process_and_write, out=str(out))
    context = multiprocessing.get_context("spawn")
    pending = iter(tasks)
    window = jobs * _WINDOW_PER_WORKER
    while True:
        executor = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        broken = False
        try:
            in_flight: dict[concurrent.futures.Future[ThreadResult], ThreadTask] = {}
            for task in _take(pending, window):
                in_flight[executor.submit(work, task)] = task
            while in_flight:
                done, _ = concurrent.futures.wait(in_flight, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    try:
                        yield future.result()
                    except concurrent.futures.process.BrokenProcessPool:
                        broken = True
                        yield _died(task, "a worker process died (crash or out of memory)")
                if broken:
                    for task in in_flight.values():
                        yield _died(task, "a worker process died (crash or out of memory)")
                    in_flight.clear()
                    break
                for task in _take(pending, window - len(in_flight)):
                    in_flight[executor.submit(work, task)] = task
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return


def run_dask(tasks: Iterable[ThreadTask], *, address: str) -> Iterator[ThreadResult]:
    """Compute tasks on the Dask distributed cluster whose scheduler listens at `address`.

    Args:
        tasks: the threads to compute; a bounded number are submitted at a time.
        address: the scheduler address, e.g. `tcp://10.0.0.5:8786`.

    Returns:
        An iterator of results, one per task, in completion order.

    Raises:
        UsageError: the `dask` extra is not installed or the scheduler cannot be reached.
    """
    try:
        import distributed
    except ImportError as error:
        raise UsageError("--scheduler needs Dask: pip install 'threadlens[dask]'") from error
    # distributed is only partly typed; its calls go through Any rather than a dozen ignores.
    dask: Any = distributed
    try:
        client = dask.Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    try:
        workers = max(1, sum(client.nthreads().values()))
        pending = iter(tasks)
        submitted: dict[Any, ThreadTask] = {}

        def submit(task: ThreadTask) -> Any:
            future = client.submit(process_thread, task, pure=False)
            submitted[future] = task
            return future

        queue = dask.as_completed(
            [submit(task) for task in _take(pending, workers * _WINDOW_PER_WORKER)], loop=client.loop
        )
        for future in queue:
            task = submitted.pop(future)
            try:
                result: ThreadResult = future.result()
            except Exception as error:  # the cluster's failure (a killed worker), not the input's
                result = _died(task, f"the Dask cluster failed: {type(error).__name__}: {error}")
            future.release()
            yield result
            for task in _take(pending, 1):
                queue.add(submit(task))
    finally:
        client.close()


def _take(tasks: Iterator[ThreadTask], count: int) -> list[ThreadTask]:
    # Checked before touching the iterator: a task pulled and not returned would be lost.
    if count <= 0:
        return []
    taken: list[ThreadTask] = []
    for task in tasks:
        taken.append(task)
        if len(taken) >= count:
            break
    return taken


def _died(task: ThreadTask, reason: str) -> ThreadResult:
    return ThreadResult(key=task.key, thread_id=None, error=reason, retry=True)
