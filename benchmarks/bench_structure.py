"""Time the structure metrics on synthetic 100,000-post threads (a binary tree, a chain, a star)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.structure import post_structure, repair_report, structure_metrics
from tests.structure_threads import large_thread


def main() -> None:
    """Print the seconds each structure function takes on each synthetic shape."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    count = parser.parse_args().posts
    shapes = {
        "binary tree": [None] + [(index - 1) // 2 for index in range(1, count)],
        "chain": [None, *range(count - 1)],
        "star": [None] + [0] * (count - 1),
    }
    for name, parents in shapes.items():
        thread = large_thread(parents)
        for function in (structure_metrics, post_structure, repair_report):
            started = time.perf_counter()
            function(thread)
            elapsed = time.perf_counter() - started
            print(f"{name:12} {count:>8,} posts  {function.__name__:18} {elapsed:6.2f} s")


if __name__ == "__main__":
    main()
