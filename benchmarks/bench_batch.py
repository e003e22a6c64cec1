"""Benchmark batch runs: first run vs unchanged re-run, and --jobs 2 vs --jobs 1, in one run.

Usage: .venv/bin/python benchmarks/bench_batch.py [--generated 24] [--copies 0] [--reports] [--keep DIR]

Inputs, in one folder:
- `--generated N`: N distinct generated threads (benchmarks/generate_threads.py, copied-text layout
  like seed 000, 60 to 360 posts each, sizes mixed so that scheduling matters). Every thread has
  its own sentences, so no cache carries work from one thread to the next, as in a nightly batch.
- `--copies K`: each seed document copied K times with a numbered closing line, so that every
  copy is a distinct thread (its own content hash and id). Copies repeat the same sentences, so
  the analysis caches make every copy after the first cheap: a test of fixed costs per thread.

Printed per run: wall seconds, CPU seconds of this process and of its worker processes
(`resource.getrusage`), and the load average. The speed-up is jobs-1 wall time over jobs-2 wall
time, measured in the same invocation on the same inputs. On a machine shared with other jobs
wall time measures the neighbours too, so the parallel efficiency is also printed from CPU
time: work CPU seconds (all processes) per wall second, at most 2 on two cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from analysis import run_batch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_threads import copied_text, generate  # noqa: E402 - a sibling script, not a package

POST_COUNTS = (60, 120, 180, 240, 300, 360)


@dataclass(frozen=True)
class Timing:
    """One batch run: wall seconds, CPU seconds of this process and of its children, what it did."""

    wall: float
    parent_cpu: float
    workers_cpu: float
    processed: int
    skipped: int
    load: float

    @property
    def cpu(self) -> float:
        return self.parent_cpu + self.workers_cpu

    def line(self, label: str) -> str:
        return (
            f"{label:22s} {self.wall:8.2f} s wall  CPU {self.parent_cpu:7.2f} s here + "
            f"{self.workers_cpu:7.2f} s workers = {self.cpu / self.wall:4.2f} cores busy  "
            f"({self.processed} processed, {self.skipped} skipped; load {self.load:.1f})"
        )


def make_inputs(folder: Path, *, generated: int, copies: int) -> int:
    """Write the generated threads and the seed copies into `folder`; return the number of files."""
    folder.mkdir(parents=True)
    count = 0
    for number in range(generated):
        posts = generate(posts=POST_COUNTS[number % len(POST_COUNTS)], size_bytes=None, seed=100 + number)
        text = "".join(copied_text(posts, title=f"Generated discussion {number}"))
        (folder / f"generated-{number:04d}.txt").write_text(text, encoding="utf-8")
        count += 1
    for number in range(copies):
        for seed in sorted(SEEDS.iterdir()):
            closing = f"\n\nCopy {number} of this page.\n".encode()
            (folder / f"{seed.stem}-{number:04d}.txt").write_bytes(seed.read_bytes() + closing)
            count += 1
    return count


def timed_run(inputs: Path, out: Path, *, jobs: int, reports: bool) -> Timing:
    load = os.getloadavg()[0]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    started = time.perf_counter()
    summary = run_batch([str(inputs)], out, jobs=jobs, reports=reports)
    wall = time.perf_counter() - started
    parent_cpu = time.process_time() - cpu
    # Worker processes are joined when the run ends, so their CPU time is counted here by then.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return Timing(wall, parent_cpu, workers_cpu, summary.processed, summary.skipped, load)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generated", type=int, default=24, help="distinct generated threads (default 24)")
    parser.add_argument("--copies", type=int, default=0, help="copies of each seed (default 0)")
    parser.add_argument("--reports", action="store_true", help="also write each thread's PNG report")
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        inputs, reports = root / "inputs", args.reports
        files = make_inputs(inputs, generated=args.generated, copies=args.copies)
        megabytes = sum(path.stat().st_size for path in inputs.iterdir()) / 1e6
        print(
            f"batch of {files} threads ({args.generated} generated, {args.copies} copies of "
            f"{len(os.listdir(SEEDS))} seeds; {megabytes:.1f} MB), {os.cpu_count()} CPUs, "
            f"reports {'on' if reports else 'off'}"
        )
        first = timed_run(inputs, root / "out-jobs1", jobs=1, reports=reports)
        print(first.line("first run (--jobs 1):"))
        again = timed_run(inputs, root / "out-jobs1", jobs=1, reports=reports)
        print(again.line("unchanged re-run:"))
        print(f"first / re-run ratio:   {first.wall / again.wall:8.1f} x")
        parallel = timed_run(inputs, root / "out-jobs2", jobs=2, reports=reports)
        print(parallel.line("first run (--jobs 2):"))
        print(f"jobs 1 / jobs 2 ratio:  {first.wall / parallel.wall:8.2f} x wall (target >= 1.6)")
        print(
            f"CPU per thread: {first.cpu / files:.3f} s with --jobs 1, {parallel.cpu / files:.3f} s "
            f"with --jobs 2 (extra: worker start-up, each worker's own caches)"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
