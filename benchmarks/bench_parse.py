"""Parse + quote detection speed and memory, side by side with baselines, in one run.

Prints, on the same generated inputs (benchmarks/generate_threads.py, copied-text layout):
- threadlens parse + quote detection throughput (MB/s) and its ratio to a bare regex
  word-tokenization pass over the same text (the floor for any word-level method);
- the ratio to a naive detector a user might write (difflib.SequenceMatcher of every post against
  every earlier post), on the sizes where that finishes in reasonable time;
- time per MB at the largest size over time per MB at the smallest (scaling);
- peak RSS of each parse (a fresh process per parse) against the input size;
- quote recall against the generated quotes (a sanity check that speed did not cost accuracy).

Times are CPU seconds of the parsing process (time.process_time), not wall time: on a shared,
loaded machine wall time measures the neighbours. With `--baseline DIR` (a source tree holding
another version's `threads` package, e.g. from `git archive`) the same inputs are also parsed
with that version, and the speed-up is printed.

    python benchmarks/bench_parse.py                  # 1, 10 and 50 MB
    python benchmarks/bench_parse.py --sizes 1 5      # quicker
    git archive bdccf38 threads | tar -x -C /tmp/base && python benchmarks/bench_parse.py --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
_WORDS = re.compile(r"\w+")


def ensure_input(size_mb: float) -> Path:
    """Generate (once) a copied-text thread of about `size_mb` MB."""
    path = DATA / f"text_{size_mb:g}mb.txt"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_threads.py"), "--size-mb", str(size_mb), "-o", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def measure_parse(path: Path, source: Path = HERE.parent) -> dict[str, float]:
    """Parse `path` in a fresh process with the `threads` package under `source`.

    Returns:
        CPU seconds, posts, quotes, quote recall and peak RSS (MB) of the parsing process.
    """
    code = f"""
import json, resource, time, sys
sys.path.insert(0, {str(source)!r})
import threads
start = time.process_time()
thread = threads.read({str(path)!r})
seconds = time.process_time() - start
truth = json.load(open({str(path) + ".truth.json"!r}))
linked = {{(q.post_id, q.source_post_id) for q in thread.quotes}}
ids = [post.id for post in thread.posts]
found = sum(1 for t in truth if t["post"] <= len(ids) and t["source"] <= len(ids)
            and (ids[t["post"] - 1], ids[t["source"] - 1]) in linked)
print(json.dumps({{"seconds": seconds, "posts": len(thread.posts), "quotes": len(thread.quotes),
                  "recall": found / max(1, len(truth)),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def tokenize_seconds(text: str) -> float:
    """CPU seconds of a bare regex word-tokenization pass: the floor of any word-level method."""
    start = time.process_time()
    _WORDS.findall(text.lower())
    return time.process_time() - start


def naive_seconds(path: Path) -> float:
    """The naive detector: every post against every earlier post with difflib."""
    import threads

    posts = [post.text for post in threads.read(path).posts]
    start = time.process_time()
    for index, text in enumerate(posts):
        for earlier in posts[:index]:
            matcher = difflib.SequenceMatcher(None, earlier, text, autojunk=False)
            [block for block in matcher.get_matching_blocks() if block.size >= 40]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="sizes in MB")
    parser.add_argument("--naive-sizes", type=float, nargs="+", default=[0.05, 0.1, 0.2], help="sizes in MB")
    parser.add_argument("--baseline", type=Path, help="source tree of another version to compare with")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))

    print(
        f"{'input':>10} {'posts':>8} {'quotes':>8} {'parse CPU s':>12} {'MB/s':>7} {'tokenize CPU s':>15} "
        f"{'parse/tok':>10} {'peak RSS MB':>12} {'RSS/input':>10} {'recall':>7}"
    )
    per_mb: dict[float, float] = {}
    baseline_rows = []
    for size in args.sizes:
        path = ensure_input(size)
        megabytes = path.stat().st_size / 1e6
        result = measure_parse(path)
        tokenize = tokenize_seconds(path.read_text(encoding="utf-8"))
        per_mb[size] = result["seconds"] / megabytes
        print(
            f"{megabytes:>8.1f}MB {result['posts']:>8,.0f} {result['quotes']:>8,.0f} "
            f"{result['seconds']:>12.2f} {megabytes / result['seconds']:>7.2f} {tokenize:>15.3f} "
            f"{result['seconds'] / tokenize:>10.1f} {result['rss_mb']:>12.0f} "
            f"{result['rss_mb'] / megabytes:>10.1f} {result['recall']:>7.3f}",
            flush=True,
        )
        if args.baseline is not None:
            baseline_rows.append((megabytes, measure_parse(path, args.baseline), result))
    if len(per_mb) > 1:
        smallest, largest = min(per_mb), max(per_mb)
        print(
            f"scaling: time per MB at {largest:g} MB / at {smallest:g} MB = "
            f"{per_mb[largest] / per_mb[smallest]:.2f}"
        )

    if baseline_rows:
        print(
            f"\n{'input':>10} {'baseline CPU s':>15} {'this CPU s':>11} {'speed-up':>9} "
            f"{'baseline recall':>16}"
        )
        for megabytes, base, this in baseline_rows:
            print(
                f"{megabytes:>8.1f}MB {base['seconds']:>15.2f} {this['seconds']:>11.2f} "
                f"{base['seconds'] / this['seconds']:>9.2f} {base['recall']:>16.3f}"
            )

    print(f"\n{'input':>10} {'threadlens s':>13} {'naive difflib s':>16} {'naive/threadlens':>17}")
    for size in args.naive_sizes:
        path = ensure_input(size)
        ours = measure_parse(path)["seconds"]
        naive = naive_seconds(path)
        print(f"{path.stat().st_size / 1e6:>8.2f}MB {ours:>13.3f} {naive:>16.2f} {naive / ours:>17.1f}")
    print(f"\n(peak RSS of this driver: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
