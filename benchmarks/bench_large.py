"""The 100,000-post thread end to end: parse, analysis and report, with CPU time and peak RSS per stage.

Generates (once) a thread of `--posts` posts with benchmarks/generate_threads.py, in the posts
table layout (JSONL) or the copied-text layout, then runs in this one process:

- parse: `threads.read` (posts, quote attribution, own text, languages, edges);
- analyze: `analysis.analyze` (tone, stance, targets, arguments, structure);
- report: `analysis.report.write_report` (every chart and report.png) into a temporary folder.

CPU time (time.process_time) is printed beside wall time because the machine this runs on may be
shared; peak RSS is the process's high-water mark after each stage (ru_maxrss), so each line
shows the most memory used so far. Target: peak RSS at most 2 GB through the report.

    python benchmarks/bench_large.py                        # 100,000 posts, JSONL
    python benchmarks/bench_large.py --layout text
    python benchmarks/bench_large.py --posts 20000 --stages parse analyze
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
STAGES = ("parse", "analyze", "report")


def ensure_input(posts: int, layout: str) -> Path:
    """Generate (once) a thread of `posts` posts in `layout` ("jsonl" or "text")."""
    suffix = "jsonl" if layout == "jsonl" else "txt"
    path = DATA / f"p{posts // 1000}k.{suffix}" if posts % 1000 == 0 else DATA / f"p{posts}.{suffix}"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        command = [sys.executable, str(HERE / "generate_threads.py"), "--posts", str(posts)]
        subprocess.run([*command, "--layout", layout, "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, work: Callable[[], Any]) -> Any:
    """Run `work`, print its CPU and wall seconds and the peak RSS after it; return its result."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{label:<8} {cpu:>9.1f} {wall:>9.1f} {peak_rss_mb():>13.0f}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the generated thread")
    parser.add_argument("--layout", choices=("jsonl", "text"), default="jsonl")
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    import threads
    from analysis import analyze
    from analysis.report import write_report

    path = ensure_input(args.posts, args.layout)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    print(f"{'stage':<8} {'CPU s':>9} {'wall s':>9} {'peak RSS MB':>13}")
    thread = timed("parse", lambda: threads.read(path))
    print(f"         {len(thread.posts):,} posts, {len(thread.quotes):,} quotes, {len(thread.edges):,} edges")
    if "analyze" in args.stages or "report" in args.stages:
        analysis = timed("analyze", lambda: analyze(thread))
        if "report" in args.stages:
            with tempfile.TemporaryDirectory() as folder:
                timed("report", lambda: write_report(analysis, folder))
    peak = peak_rss_mb()
    print(f"peak RSS {peak:.0f} MB (target <= 2048 MB): {'met' if peak <= 2048 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
