"""Benchmark: the whole analysis of threads against TextBlob alone on the same sentences.

Usage: .venv/bin/python benchmarks/bench_analysis.py [--repeat N]

The threads: the Internet Argument Corpus 4forums discussion 255 (Walker et al., LREC 2012; 47
posts, reply tree from `parent_post_id`) and the Discourse topic "removing Lua bindings" (60
posts), read from ../shared/corpus (or $THREADLENS_CORPUS), plus every seed document.

The baseline ("TextBlob alone") is what a user of TextBlob runs to score the same sentences:
`TextBlob(sentence).sentiment` on every sentence of every post's own text. That call already
computes the assessments (TextBlob's analyzer always builds them and returns only the two
scores), so it is the fair price of the polarity, subjectivity and cue words tone reports;
`sentiment_assessments` would run the analyzer twice and inflate the baseline, so it is not
used. The ratio full analysis / TextBlob alone is the target (at most 1.5). For reference the
benchmark also prints the analyzer core alone (`textblob.en.sentiment(sentence)`, no TextBlob
object) on the English sentences only: the least any tone step built on TextBlob can cost.

Every timing starts with threadlens's caches empty, so nothing is reused between runs. Times
are CPU seconds of this process (time.process_time), best of N: on a machine shared with other
jobs, wall-clock times swing by a factor of two from run to run, CPU times less. The ratio is
printed twice: best analysis over best TextBlob, and the median of the ratios of each repeat
(both timed seconds apart, so under about the same load).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import polars as pl
from textblob import TextBlob
from textblob.en import sentiment as textblob_analyzer

import threads
from analysis import analyze
from analysis.arguments import classify_sentence
from analysis.sentences import _cached_spans, sentence_spans
from analysis.stance import edge_stance
from analysis.stance_features import _quote_features, _response_features
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


def clear_caches() -> None:
    """Empty threadlens's caches, so that a timed step reuses nothing from an earlier one."""
    score_sentence.cache_clear()
    sentence_language.cache_clear()
    _cached_spans.cache_clear()
    classify_sentence.cache_clear()
    _response_features.cache_clear()
    _quote_features.cache_clear()


def tone_stance_targets(thread: threads.Thread) -> None:
    """The tone, stance and target steps of `analyze`, sharing the sentence frame as it does."""
    sentences = tone_sentences(thread)
    tone_posts(thread, sentences=sentences)
    edge_stance(thread)
    target_stance(thread, sentences=sentences)


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 5
    corpus = [
        iac_thread(),
        threads.read(CORPUS / "discourse" / "removing-lua-bindings.7149.json"),
        *(threads.read(path) for path in sorted((ROOT / "seeds").glob("*.txt"))),
    ]
    sentences = [
        post.own_text[start:end]
        for thread in corpus
        for post in thread.posts
        for start, end in sentence_spans(post.own_text)
    ]
    english = [sentence for sentence in sentences if sentence_language(sentence) == "en"]
    words = sum(len(sentence.split()) for sentence in sentences)
    posts = sum(len(thread.posts) for thread in corpus)
    print(
        f"{len(corpus)} threads, {posts} posts, {len(sentences)} sentences ({len(english)} English), "
        f"{words} words; load average {os.getloadavg()[0]:.1f} at start"
    )
    textblob_times: list[float] = []
    core_times: list[float] = []
    parts: dict[str, list[float]] = {
        name: [] for name in ("tone", "stance", "targets", "tone+stance+targets", "analyze")
    }
    for _ in range(repeat):
        started = time.process_time()
        for sentence in sentences:
            TextBlob(sentence).sentiment  # noqa: B018 - the work being timed
        textblob_times.append(time.process_time() - started)
        started = time.process_time()
        for sentence in english:
            textblob_analyzer(sentence)
        core_times.append(time.process_time() - started)
        for name, run in (
            ("tone", lambda thread: tone_sentences(thread)),
            ("stance", lambda thread: edge_stance(thread)),
            ("targets", lambda thread: target_stance(thread)),
            ("tone+stance+targets", tone_stance_targets),
            ("analyze", lambda thread: analyze(thread)),
        ):
            clear_caches()
            started = time.process_time()
            for thread in corpus:
                run(thread)
            parts[name].append(time.process_time() - started)
    textblob, core = min(textblob_times), min(core_times)
    best = {name: min(times) for name, times in parts.items()}
    print(
        f"TextBlob alone, TextBlob(s).sentiment on every sentence: {textblob:.3f} s (CPU, best of {repeat})"
    )
    print(f"TextBlob's analyzer core alone on the English sentences: {core:.3f} s")
    for name, label in (
        ("tone", "tone_sentences alone (cold)"),
        ("stance", "edge_stance alone (cold)"),
        ("targets", "target_stance alone (cold)"),
        ("tone+stance+targets", "tone, stance and targets as analyze() runs them"),
        ("analyze", "analyze(): tone, stance, targets, arguments, structure"),
    ):
        print(f"{label}: {best[name]:.3f} s, ratio {best[name] / textblob:.2f}")
    print(f"ratio of the whole analysis: {best['analyze'] / textblob:.2f} (target <= 1.5)")
    # Each repeat times TextBlob and analyze() a few seconds apart, under about the same load.
    paired = sorted(whole / alone for whole, alone in zip(parts["analyze"], textblob_times, strict=True))
    print(f"ratio per repeat: median {statistics.median(paired):.2f}, range {paired[0]:.2f}-{paired[-1]:.2f}")
    print(f"ratio to the analyzer core alone: {best['analyze'] / core:.2f} (reference, no target)")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
