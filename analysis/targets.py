"""Stance toward targets: the names a thread keeps mentioning, and the tone of the sentences naming them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import polars as pl

import threads
from analysis.schemas import TARGET_AUTHORS_SCHEMA, TARGET_STANCE_SCHEMA
from analysis.sentences import sentence_spans
from analysis.tone import tone_sentences

MAX_TARGETS = 12
# Capitalized words that are not names even when they appear mid-sentence.
_NOT_NAMES = frozenset(
    [
        "I",
        "I'm",
        "I've",
        "I'd",
        "I'll",
        "OK",
        "Ok",
        "Please",
        "Log",
        "Register",
        "URLs",
        "Yes",
        "No",
        "Not",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "We",
        "They",
        "You",
        "My",
        "Our",
        "Your",
        "His",
        "Her",
        "Their",
        "Its",
        "There",
        "Here",
        "What",
        "Why",
        "How",
        "Who",
        "When",
        "Where",
        "Which",
        "If",
        "But",
        "And",
        "Or",
        "So",
        "Also",
        "Then",
        "Just",
        "Even",
        "Still",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Edit",
        "EDIT",
        "Quote",
        "Reply",
        "Click",
        "Last",
    ]
)
_NAME = re.compile(r"\b[A-Z][\w&-]*[A-Za-z0-9]\b|\b[A-Z]\b(?=\.)")


def detect_targets(thread: threads.Thread, *, limit: int = MAX_TARGETS) -> list[str]:
    """Find the names and acronyms a thread keeps mentioning, most widespread first.

    A candidate is a capitalized word or acronym seen at least once *not* opening a sentence (so
    "Overall" opening a sentence is not a name) and not a function word; it is kept when it appears
    in the own text of at least two posts. No NLTK: capitalization and recurrence only.

    Args:
        thread: an assembled thread.
        limit: at most this many targets.

    Returns:
        Target names ordered by the number of posts mentioning them, then by mentions, then name.
    """
    mid_sentence: set[str] = set()
    posts_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for post in thread.posts:
        seen_here: set[str] = set()
        for start, end in sentence_spans(post.own_text):
            sentence = post.own_text[start:end]
            for match in _NAME.finditer(sentence):
                name = match.group(0)
                if name in _NOT_NAMES or len(name) < 2:
                    continue
                if match.start() > 0:
                    mid_sentence.add(name)
                mentions[name] += 1
                seen_here.add(name)
        posts_with.update(seen_here)
    candidates = [name for name in mid_sentence if posts_with[name] >= 2]
    candidates.sort(key=lambda name: (-posts_with[name], -mentions[name], name))
    return candidates[:limit]


def target_stance(
    thread: threads.Thread,
    *,
    targets: Sequence[str] | None = None,
    sentences: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per post, how often each target is named and the mean polarity of the sentences naming it.

    Short all-capital targets ("GE", "US") match case-sensitively, others ignoring case; all match
    whole words, possessives included ("China's"); where two targets overlap ("US", "US Navy") the
    longer one takes the mention.

    Args:
        thread: an assembled thread.
        targets: the names to follow; `detect_targets(thread)` when None.
        sentences: `tone_sentences(thread)` when already computed.

    Returns:
        A frame with `TARGET_STANCE_SCHEMA`, one row per (target, post) with a mention, in target
        order then thread order; polarity is null when no mentioning sentence is English.
    """
    chosen = detect_targets(thread) if targets is None else [name for name in targets if name.strip()]
    scored = tone_sentences(thread) if sentences is None else sentences
    if not chosen:
        return pl.DataFrame(schema=TARGET_STANCE_SCHEMA)
    pattern = _targets_pattern(chosen)
    authors = {post.id: post.author for post in thread.posts}
    # (target index, post id) -> [mentions, polarity sum, scored sentences]
    found: dict[tuple[int, str], list[float]] = {}
    for post_id, text, polarity in scored.select("post_id", "text", "polarity").iter_rows():
        counts: dict[int, int] = {}
        for match in pattern.finditer(text):
            index = int(match.lastgroup[1:]) if match.lastgroup else -1
            counts[index] = counts.get(index, 0) + 1
        for index, count in counts.items():
            entry = found.setdefault((index, post_id), [0, 0.0, 0])
            entry[0] += count
            if polarity is not None:
                entry[1] += polarity
                entry[2] += 1
    order = {post.id: post.position for post in thread.posts}
    rows = [
        (chosen[index], post_id, authors[post_id], int(count), total / scored_count if scored_count else None)
        for (index, post_id), (count, total, scored_count) in sorted(
            found.items(), key=lambda item: (item[0][0], order[item[0][1]])
        )
    ]
    return pl.DataFrame(rows, schema=TARGET_STANCE_SCHEMA, orient="row")


def target_stance_by_author(targets: pl.DataFrame) -> pl.DataFrame:
    """Aggregate `target_stance` rows per (target, author): posts, mentions, mean post polarity.

    Args:
        targets: a frame with `TARGET_STANCE_SCHEMA`.

    Returns:
        A frame with `TARGET_AUTHORS_SCHEMA`, ordered by target then author; polarity is the mean
        of the author's non-null post polarities (null when none).
    """
    return (
        targets.group_by("target", "author")
        .agg(
            pl.len().cast(pl.Int32).alias("posts"),
            pl.col("mentions").sum().cast(pl.Int32).alias("mentions"),
            pl.col("polarity").mean().alias("polarity"),
        )
        .sort("target", "author", nulls_last=True)
        .select(list(TARGET_AUTHORS_SCHEMA))
        .cast(pl.Schema(TARGET_AUTHORS_SCHEMA))
    )


def _targets_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """One pattern for all targets, group `t<i>` for `names[i]`; longer names are tried first."""
    alternatives = []
    for index in sorted(range(len(names)), key=lambda i: -len(names[i])):
        name = names[index].strip()
        escaped = re.escape(name)
        body = escaped if name.isupper() and len(name) <= 4 else f"(?i:{escaped})"
        alternatives.append(f"(?P<t{index}>{body})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
