"""Tone: TextBlob polarity and subjectivity per sentence and per post, English text only."""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import polars as pl
from textblob.en import sentiment as pattern_sentiment

import threads
from analysis.schemas import TONE_POSTS_SCHEMA, TONE_SENTENCES_SCHEMA, rows_frame
from analysis.sentences import sentence_spans
from threads.language import detect_languages

# CJK characters count as one word each; other words are runs of word characters.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# Text whose word characters are all ASCII has its words counted in C: every byte that is not a
# word character becomes a space and the runs left are split apart (twice as fast as the regex).
_NON_ASCII_WORD_CHARACTER = re.compile(r"[^\W\x00-\x7f]")
_ASCII_WORD_BYTES_OR_SPACE = (
    bytes(code if chr(code).isalnum() or chr(code) == "_" else ord(" ") for code in range(128)) + b" " * 128
)


@dataclass(frozen=True, slots=True)
class SentenceTone:
    """TextBlob's reading of one English sentence: polarity -1..1, subjectivity 0..1, scored words."""

    polarity: float
    subjectivity: float
    cues: tuple[str, ...]


@functools.lru_cache(maxsize=8192)
def sentence_language(text: str) -> str | None:
    """The dominant language of a sentence ("en", "zh", "fr", ...), None when it has no words.

    Args:
        text: one sentence.

    Returns:
        A language code from `threads.language.detect_languages`, or None.
    """
    languages = detect_languages(text)
    return languages[0] if languages else None


# Bounded caches (here and on sentence_language): stance scores the same sentences again, and a
# long batch run must not grow memory.
@functools.lru_cache(maxsize=8192)
def score_sentence(text: str) -> SentenceTone:
    """TextBlob (PatternAnalyzer, offline) polarity, subjectivity and scored words of English text.

    Args:
        text: English text, usually one sentence.

    Returns:
        The sentence's tone; `cues` holds each assessment's words joined by a space ("not good").
    """
    # The analyzer behind TextBlob(text).sentiment, called once: `sentiment_assessments` runs it
    # twice (once for the scores, once for the assessments) and builds a namedtuple class per call.
    score = pattern_sentiment(text)
    cues = tuple(" ".join(words) for words, *_ in score.assessments)
    return SentenceTone(float(score[0]), float(score[1]), cues)


# The polarity and subjectivity of each English sentence read, None for a sentence in another
# language, by sentence text, while `sentences_read_once` is active (None outside it). The bounded
# caches keep only the last 8192 sentences: in a thread of more, stance scored again nearly every
# sentence tone had scored (20,214 of the 39,179 TextBlob calls on the 3,000-post benchmark
# thread). Two floats, not the SentenceTone with its cues, because stance needs no more: the memo
# holds every sentence of the thread (about 300 bytes each, text included).
_SCORES: ContextVar[dict[str, tuple[float, float] | None] | None] = ContextVar("_SCORES", default=None)
_UNREAD = (math.nan, math.nan)
# Posts scored between two calls of a progress callback: about a tenth of a second of TextBlob on
# posts of a few sentences, and a few hundred calls on the largest threads (100,000 posts).
PROGRESS_EVERY = 100


@contextlib.contextmanager
def sentences_read_once() -> Iterator[None]:
    """Within the block, each distinct sentence is given a language and scored once for stance.

    `analyze` runs tone and stance of one thread inside it: stance reads the sentences tone read.
    The memory it holds (every distinct sentence of the thread) is freed on leaving.
    """
    token = _SCORES.set({})
    try:
        yield
    finally:
        _SCORES.reset(token)


def english_scores(text: str) -> tuple[float, float] | None:
    """Polarity and subjectivity of `text` (`score_sentence`) when it is English, else None.

    Args:
        text: one sentence.

    Returns:
        (polarity, subjectivity), or None when `sentence_language(text)` is not "en"; within
        `sentences_read_once`, each distinct text is read once (`tone_sentences` included).
    """
    scores = _SCORES.get()
    if scores is not None:
        known = scores.get(text, _UNREAD)
        if known is not _UNREAD:
            return known
    tone = score_sentence(text) if sentence_language(text) == "en" else None
    found = None if tone is None else (tone.polarity, tone.subjectivity)
    if scores is not None:
        scores[text] = found
    return found


def tone_sentences(
    thread: threads.Thread, *, progress: Callable[[int, int], None] | None = None
) -> pl.DataFrame:
    """Score every sentence of every post's own text.

    Args:
        thread: an assembled thread.
        progress: called as `progress(posts_done, posts)`: at the start, every `PROGRESS_EVERY`
            posts and at the end (with `posts_done == posts`); it must not raise.

    Returns:
        A frame with `TONE_SENTENCES_SCHEMA`, one row per sentence in thread order; `polarity`,
        `subjectivity` and `cues` are null for sentences that are not English.
    """
    rows = []
    scores = _SCORES.get()
    total = len(thread.posts)
    if progress is not None:
        progress(0, total)
    for done, post in enumerate(thread.posts, start=1):
        for index, (start, end) in enumerate(sentence_spans(post.own_text)):
            text = post.own_text[start:end]
            language = sentence_language(text)
            tone = score_sentence(text) if language == "en" else None
            if scores is not None:
                scores[text] = None if tone is None else (tone.polarity, tone.subjectivity)
            rows.append(
                (
                    post.id,
                    index,
                    start,
                    end,
                    text,
                    language,
                    tone.polarity if tone else None,
                    tone.subjectivity if tone else None,
                    tone.cues if tone else None,
                )
            )
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return rows_frame(rows, TONE_SENTENCES_SCHEMA)


def tone_posts(thread: threads.Thread, *, sentences: pl.DataFrame | None = None) -> pl.DataFrame:
    """Summarize tone per post: words, sentences, mean polarity and subjectivity of English sentences.

    Args:
        thread: an assembled thread.
        sentences: `tone_sentences(thread)` when already computed (it is recomputed otherwise).

    Returns:
        A frame with `TONE_POSTS_SCHEMA`, one row per post in thread order; polarity and
        subjectivity are null for a post with no English sentence.
    """
    scored = tone_sentences(thread) if sentences is None else sentences
    means = scored.group_by("post_id").agg(
        pl.len().cast(pl.Int32).alias("sentences"),
        pl.col("polarity").mean().alias("polarity"),
        pl.col("subjectivity").mean().alias("subjectivity"),
    )
    # The means joined to the posts in Python: a join, a fill and a cast on frames of a few dozen
    # rows each cost a polars query, most of this function's time on a short thread.
    by_post = {
        post_id: (count, polarity, subjectivity)
        for post_id, count, polarity, subjectivity in means.iter_rows()
    }
    return pl.DataFrame(
        [
            (
                post.id,
                post.position,
                post.author,
                post.language,
                _word_count(post.own_text),
                *by_post.get(post.id, _NO_SENTENCES),
            )
            for post in thread.posts
        ],
        schema=TONE_POSTS_SCHEMA,
        orient="row",
    )


# sentences, polarity and subjectivity of a post without sentences.
_NO_SENTENCES = (0, None, None)


def _word_count(text: str) -> int:
    """How many words `text` has: CJK characters one each, other runs of word characters one each."""
    if _NON_ASCII_WORD_CHARACTER.search(text) is None:
        # Non-ASCII characters here are not word characters, so each may become a "?" separator.
        return len(text.encode("ascii", "replace").translate(_ASCII_WORD_BYTES_OR_SPACE).split())
    return len(_WORD.findall(text))
