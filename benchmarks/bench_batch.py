"""Benchmark batch runs: first run vs unchanged re-run, and --jobs 2 vs --jobs 1, on many real threads.

Usage: .venv/bin/python benchmarks/bench_batch.py [--copies 40] [--reports] [--keep DIR]

The batch is made of the seed documents (seeds/), each copied `--copies` times with a numbered
closing line so that every copy is a distinct thread (its own content hash and id).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from analysis import run_batch

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def make_inputs(folder: Path, copies: int) -> int:
    """Write `copies` distinct copies of every seed into `folder`; return the number of files."""
    folder.mkdir(parents=True)
    count = 0
    for number in range(copies):
        for seed in sorted(SEEDS.iterdir()):
            closing = f"\n\nCopy {number} of this page.\n".encode()
            (folder / f"{seed.stem}-{number:04d}.txt").write_bytes(seed.read_bytes() + closing)
            count += 1
    return count


def timed_run(inputs: Path, out: Path, *, jobs: int, reports: bool) -> tuple[float, int, int]:
    started = time.perf_counter()
    summary = run_batch([str(inputs)], out, jobs=jobs, reports=reports)
    return time.perf_counter() - started, summary.processed, summary.skipped


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=40, help="copies of each seed (default 40)")
    parser.add_argument("--reports", action="store_true", help="also write each thread's PNG report")
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        files = make_inputs(root / "inputs", args.copies)
        print(
            f"batch of {files} threads ({args.copies} copies of {len(os.listdir(SEEDS))} seeds), "
            f"{os.cpu_count()} CPUs, reports {'on' if args.reports else 'off'}"
        )
        inputs, reports = root / "inputs", args.reports
        first, processed, _ = timed_run(inputs, root / "out-jobs1", jobs=1, reports=reports)
        again, reprocessed, skipped = timed_run(inputs, root / "out-jobs1", jobs=1, reports=reports)
        print(f"first run (--jobs 1):   {first:8.2f} s  ({processed} processed)")
        print(f"unchanged re-run:       {again:8.2f} s  ({reprocessed} processed, {skipped} skipped)")
        print(f"first / re-run ratio:   {first / again:8.1f} x")
        parallel, processed, _ = timed_run(inputs, root / "out-jobs2", jobs=2, reports=reports)
        print(f"first run (--jobs 2):   {parallel:8.2f} s  ({processed} processed)")
        print(f"jobs 1 / jobs 2 ratio:  {first / parallel:8.2f} x")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
