"""Benchmark: the whole analysis of a thread against TextBlob polarity alone on the same sentences.

Usage: .venv/bin/python benchmarks/bench_analysis.py [--repeat N]

The thread is the Internet Argument Corpus 4forums discussion 255 (Walker et al., LREC 2012; 47
posts, reply tree from `parent_post_id`), read from ../shared/corpus (or $THREADLENS_CORPUS), plus
every seed document as one-post threads. Both timings start with TextBlob's and threadlens's
caches empty; the ratio is full analysis time / TextBlob-alone time. Target: at most 1.5.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import polars as pl
from textblob import TextBlob

import threads
from analysis import analyze
from analysis.sentences import sentence_spans
from analysis.tone import score_sentence

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("THREADLENS_CORPUS", ROOT.parent / "shared" / "corpus"))


def iac_thread() -> threads.Thread:
    """The IAC discussion as a thread: id, author, text, reply_to from the corpus rows."""
    posts = json.loads((CORPUS / "iac-4forums" / "discussion_255.json").read_text(encoding="utf-8"))[0]
    frame = pl.DataFrame(
        {
            "id": [str(post[0]) for post in posts],
            "author": [post[2] for post in posts],
            "text": [post[3] for post in posts],
            "reply_to": [None if post[5] is None else str(post[5]) for post in posts],
        }
    )
    return threads.from_frame(frame, source="iac-4forums/discussion_255.json")


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    corpus = [iac_thread(), *(threads.read(path) for path in sorted((ROOT / "seeds").glob("*.txt")))]
    sentences = [
        post.own_text[start:end]
        for thread in corpus
        for post in thread.posts
        for start, end in sentence_spans(post.own_text)
    ]
    words = sum(len(sentence.split()) for sentence in sentences)
    posts = sum(len(thread.posts) for thread in corpus)
    print(f"{len(corpus)} threads, {posts} posts, {len(sentences)} sentences, {words} words")
    textblob_times, analysis_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        for sentence in sentences:
            TextBlob(sentence).sentiment  # noqa: B018 - the work being timed
        textblob_times.append(time.perf_counter() - started)
        score_sentence.cache_clear()
        started = time.perf_counter()
        for thread in corpus:
            analyze(thread)
        analysis_times.append(time.perf_counter() - started)
    textblob, full = min(textblob_times), min(analysis_times)
    print(f"TextBlob polarity alone: {textblob:.3f} s (best of {repeat})")
    print(f"full analysis (tone, stance, targets): {full:.3f} s (best of {repeat})")
    print(f"ratio: {full / textblob:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
