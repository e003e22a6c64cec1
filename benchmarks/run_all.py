"""Every performance figure of issue 7 in one run: each benchmark in turn, its output as it comes.

    python benchmarks/run_all.py            # the full set (about an hour of CPU on 2 cores)
    python benchmarks/run_all.py --quick    # smaller inputs, for a first look

Runs, in this order: bench_parse.py (parse + quote detection vs tokenization, scaling, RSS,
recall, naive difflib), bench_analysis.py (full analysis vs TextBlob polarity alone),
bench_large.py (100,000 posts through parse, analysis and report: CPU time and peak RSS per
stage) and bench_batch.py (`--jobs 2` vs `--jobs 1`) when it is present. The load average is
printed first and last: the ratios are CPU-time ratios, but a busy machine still slows them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *arguments: str) -> int:
    """Run one benchmark script with this interpreter; return its exit code."""
    path = HERE / script
    if not path.exists():
        print(f"\n== {script}: not in this checkout, skipped")
        return 0
    print(f"\n== {script} {' '.join(arguments)}", flush=True)
    return subprocess.run([sys.executable, str(path), *arguments], check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1 and 5 MB, 20,000 posts")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    sizes = ["1", "5"] if args.quick else ["1", "10", "50"]
    posts = "20000" if args.quick else "100000"
    codes = [
        run("bench_parse.py", "--sizes", *sizes),
        run("bench_analysis.py"),
        run("bench_large.py", "--posts", posts),
        run("bench_batch.py"),
    ]
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
