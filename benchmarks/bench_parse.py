"""Parse + quote detection speed and memory, side by side with baselines, in one run.

Prints, on the same generated inputs (benchmarks/generate_threads.py, copied-text layout):
- threadlens parse + quote detection throughput (MB/s) and its ratio to a bare regex
  word-tokenization pass over the same text (the floor for any word-level method);
- the ratio to a naive detector a user might write (difflib.SequenceMatcher of every post against
  every earlier post), on the sizes where that finishes in reasonable time;
- time per MB at the largest size over time per MB at the smallest (scaling);
- peak RSS of each parse (a fresh process per parse) against the input size;
- quote recall against the generated quotes (a sanity check that speed did not cost accuracy);
- with `--stages`, where one parse spends its CPU time, stage by stage, each as a multiple of the
  tokenization pass: the parse target (about 3x tokenization) is a budget for all of them.

Times are CPU seconds of the parsing process (time.process_time), not wall time: on a shared,
loaded machine wall time measures the neighbours. With `--baseline DIR` (a source tree holding
another version's `threads` package, e.g. from `git archive`) the same inputs are also parsed
with that version, and the speed-up is printed.

    python benchmarks/bench_parse.py                  # 1, 10 and 50 MB
    python benchmarks/bench_parse.py --sizes 1 5      # quicker
    python benchmarks/bench_parse.py --sizes 10 --naive-sizes --stages   # the stage budget at 10 MB
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
from typing import Any

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
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.path.insert(0, {str(HERE)!r})
from bench_parse import quote_recall
truth = json.load(open({str(path) + ".truth.json"!r}))
print(json.dumps({{"seconds": seconds, "posts": len(thread.posts), "quotes": len(thread.quotes),
                  "recall": quote_recall(thread, truth), "rss_mb": rss}}))
"""
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[index : index + 3]) for index in range(max(1, len(words) - 2))}


def quote_recall(thread: Any, truth: list[dict[str, Any]]) -> float:
    """Share of the generated quotes that threadlens found, matched by text, not by post position.

    A generated quote counts as found when a quote threadlens reports covers at least half of
    its passage's word 3-grams, and the source span it names covers them too and lies in the
    own text of its source post (the post that wrote the passage, as the generator's source is
    the original writer even for a quote of a quote). Each reported quote matches one generated
    quote at most. Post positions are not compared: a reader that splits one post more or less
    than the generator would shift them all.
    """
    posts = {post.id: post for post in thread.posts}
    quoted_spans: dict[str, list[tuple[int, int]]] = {}
    for quote in thread.quotes:
        quoted_spans.setdefault(quote.post_id, []).append((quote.start, quote.end))
    by_gram: dict[tuple[str, ...], list[int]] = {}
    candidates = []
    for number, quote in enumerate(thread.quotes):
        source = posts.get(quote.source_post_id)
        if source is None or quote.source_start is None or quote.source_end is None:
            candidates.append(None)
            continue
        inside_quote = any(
            start < quote.source_end and quote.source_start < end
            for start, end in quoted_spans.get(source.id, [])
        )
        text = posts[quote.post_id].text[quote.start : quote.end]
        source_text = source.text[quote.source_start : quote.source_end]
        candidates.append(None if inside_quote else (_grams(text), _grams(source_text)))
        for gram in _grams(text):
            by_gram.setdefault(gram, []).append(number)
    used: set[int] = set()
    found = 0
    for generated in truth:
        wanted = _grams(generated["passage"])
        counts: dict[int, int] = {}
        for gram in wanted:
            for number in by_gram.get(gram, []):
                counts[number] = counts.get(number, 0) + 1
        for number, _ in sorted(counts.items(), key=lambda item: -item[1]):
            candidate = candidates[number]
            if number in used or candidate is None:
                continue
            text_grams, source_grams = candidate
            if 2 * len(wanted & text_grams) >= len(wanted) and 2 * len(wanted & source_grams) >= len(wanted):
                used.add(number)
                found += 1
                break
    return found / max(1, len(truth))


# The stages of `threads.read` on copied text, as (label, module, attribute): each attribute is
# wrapped with a CPU timer for one parse. Quote attribution's own time is the wrapped call's less
# the two stages it calls (word offsets, shared n-grams). A stage whose function was renamed is
# reported as missing rather than silently counted as zero.
_STAGES = (
    ("reader: text to post drafts", "threads.read", "_drafts"),
    ("word offsets (PostWords.many)", "threads.words", "PostWords.many"),
    ("shared n-grams (shared_grams)", "threads.quotes", "shared_grams"),
    ("quote attribution (index, alignment)", "threads.assemble", "attribute_quotes"),
    ("building posts (own text, languages)", "threads.assemble", "_built_posts"),
)


def measure_stages(path: Path, source: Path = HERE.parent) -> dict[str, Any]:
    """CPU seconds of each of `_STAGES` in one parse of `path`, in a fresh process, and the total."""
    code = f"""
import importlib, json, sys, time
sys.path.insert(0, {str(source)!r})
import threads
stages = {[list(stage) for stage in _STAGES]!r}
spent = {{}}

def timed(label, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start
    return wrapper

missing = []
for label, module_name, attribute in stages:
    owner = sys.modules.get(module_name) or importlib.import_module(module_name)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    function = getattr(owner, name, None)
    if function is None:
        missing.append(label)
        continue
    setattr(owner, name, timed(label, function))
start = time.process_time()
threads.read({str(path)!r})
spent["total"] = time.process_time() - start
print(json.dumps({{"spent": spent, "missing": missing}}))
"""
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def print_stages(path: Path) -> None:
    """Print where one parse of `path` spends its CPU time, each stage against tokenization."""
    result = measure_stages(path)
    spent, missing = result["spent"], result["missing"]
    tokenize = tokenize_seconds(path.read_text(encoding="utf-8"))
    labels = [label for label, _, _ in _STAGES]
    attribution = labels[3]
    if attribution in spent:
        spent[attribution] -= spent.get(labels[1], 0.0) + spent.get(labels[2], 0.0)
    spent["rest (edges, ids, merging, collector)"] = spent["total"] - sum(
        spent.get(label, 0.0) for label in labels
    )
    print(f"\nstages of one parse of {path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"{'stage':<40} {'CPU s':>7} {'x tokenize':>11}")
    for label in [*labels, "rest (edges, ids, merging, collector)", "total"]:
        if label in missing:
            print(f"{label:<40} {'missing':>7}")
            continue
        print(f"{label:<40} {spent.get(label, 0.0):>7.2f} {spent.get(label, 0.0) / tokenize:>11.2f}")
    print(f"{'bare tokenization pass':<40} {tokenize:>7.2f} {1:>11.2f}")
    outside = spent["total"] - spent.get(attribution, 0.0)
    print(
        f"everything but quote attribution: {outside:.2f} CPU s = {outside / tokenize:.2f}x tokenization "
        "(the parse target is about 3x for the whole parse)"
    )


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
    parser.add_argument("--naive-sizes", type=float, nargs="*", default=[0.05, 0.1, 0.2], help="sizes in MB")
    parser.add_argument("--baseline", type=Path, help="source tree of another version to compare with")
    parser.add_argument(
        "--stages", action="store_true", help="also print where the parse of the largest size spends its time"
    )
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

    if args.naive_sizes:
        print(f"\n{'input':>10} {'threadlens s':>13} {'naive difflib s':>16} {'naive/threadlens':>17}")
    for size in args.naive_sizes:
        path = ensure_input(size)
        ours = measure_parse(path)["seconds"]
        naive = naive_seconds(path)
        print(f"{path.stat().st_size / 1e6:>8.2f}MB {ours:>13.3f} {naive:>16.2f} {naive / ours:>17.1f}")
    if args.stages:
        print_stages(ensure_input(max(args.sizes)))
    print(f"\n(peak RSS of this driver: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
