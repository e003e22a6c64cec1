"""Benchmark: the whole analysis of a thread against TextBlob polarity alone on the same sentences.

Usage: .venv/bin/python benchmarks/bench_analysis.py [--repeat N]

The thread is the Internet Argument Corpus 4forums discussion 255 (Walker et al., LREC 2012; 47
posts, reply tree from `parent_post_id`), read from ../shared/corpus (or $THREADLENS_CORPUS), plus
every seed document as one-post threads. Both timings start with TextBlob's and threadlens's
caches empty; the ratio is full analysis time / TextBlob-alone time. Target: at most 1.5.
Times are CPU seconds of this process (time.process_time): on a machine shared with other jobs,
wall-clock times swing by a factor of two from run to run, CPU times much less.
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
from analysis.sentences import _cached_spans, sentence_spans
from analysis.stance import edge_stance
from analysis.targets import target_stance
from analysis.tone import score_sentence, sentence_language, tone_posts, tone_sentences

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


def tone_stance_targets(thread: threads.Thread) -> None:
    """The tone, stance and target steps of `analyze`, sharing the sentence frame as it does."""
    sentences = tone_sentences(thread)
    tone_posts(thread, sentences=sentences)
    edge_stance(thread)
    target_stance(thread, sentences=sentences)


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 5
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
    textblob_times: list[float] = []
    parts: dict[str, list[float]] = {
        name: [] for name in ("tone", "stance", "targets", "tone+stance+targets", "analyze")
    }
    for _ in range(repeat):
        started = time.process_time()
        for sentence in sentences:
            TextBlob(sentence).sentiment  # noqa: B018 - the work being timed
        textblob_times.append(time.process_time() - started)
        for name, run in (
            ("tone", lambda thread: tone_sentences(thread)),
            ("stance", lambda thread: edge_stance(thread)),
            ("targets", lambda thread: target_stance(thread)),
            ("tone+stance+targets", tone_stance_targets),
            ("analyze", lambda thread: analyze(thread)),
        ):
            # Every step starts cold: threadlens's caches are emptied, so nothing is reused.
            score_sentence.cache_clear()
            sentence_language.cache_clear()
            _cached_spans.cache_clear()
            started = time.process_time()
            for thread in corpus:
                run(thread)
            parts[name].append(time.process_time() - started)
    textblob = min(textblob_times)
    best = {name: min(times) for name, times in parts.items()}
    print(f"TextBlob polarity alone: {textblob:.3f} s (CPU, best of {repeat})")
    for name, label in (
        ("tone", "tone_sentences alone (cold)"),
        ("stance", "edge_stance alone (cold)"),
        ("targets", "target_stance alone (cold)"),
        ("tone+stance+targets", "tone, stance and targets as analyze() runs them"),
        ("analyze", "analyze(): tone, stance, targets, arguments, structure"),
    ):
        print(f"{label}: {best[name]:.3f} s, ratio {best[name] / textblob:.2f}")
    print(f"ratio of the whole analysis: {best['analyze'] / textblob:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
