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
# Function words and other common words that open sentences capitalized ("However", "Have").
_FUNCTION_WORDS_LIST = (
    "a", "about", "above", "after", "again", "against", "all", "also", "although", "always", "am",
    "among", "an", "and", "another", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
    "down", "during", "each", "either", "else", "every", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
    "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "many", "may", "me",
    "might", "more", "most", "much", "must", "my", "myself", "neither", "never", "no", "nor", "not",
    "now", "of", "off", "often", "on", "once", "only", "or", "other", "others", "otherwise", "our",
    "ours", "out", "over", "own", "perhaps", "rather", "same", "several", "she", "should", "since",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
    "therefore", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under",
    "until", "up", "upon", "very", "was", "we", "well", "were", "what", "whatever", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yet", "you", "your", "yours", "overall", "meanwhile", "instead", "indeed", "today",
    "yesterday", "tomorrow"
)  # fmt: skip
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_LIST)
# Dates are names but not what a thread takes a stance toward.
_CALENDAR_LIST = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
)  # fmt: skip
_CALENDAR = frozenset(_CALENDAR_LIST)
_NAME_WORD = r"(?:[A-Z][\w&-]*[A-Za-z0-9]|[A-Z](?=\.))"
# A run of capitalized words on one line, "of" / "of the" allowed inside: "United States",
# "University of Hong Kong", "Bank of China".
# A run followed by ":" is a label ("Photo: Xinhua", "Edit:"), not a mention.
# The lookahead on the first capital rejects most positions at once, twice as fast as without it.
_NAME = re.compile(
    rf"(?=[A-Z])(?<![\w'’]){_NAME_WORD}(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?{_NAME_WORD})*(?![\w&-]|[ \t]*:)"
)
# A lower-case word not glued to a word before it; the lookbehind comes after the first letter
# (and so spans two characters) so that the scan jumps from one lower-case letter to the next.
_LOWER_WORD = re.compile(r"[a-z](?<![\w'’].)[a-z'’-]*")


def detect_targets(thread: threads.Thread, *, limit: int = MAX_TARGETS) -> list[str]:
    """Find the names and acronyms a thread keeps mentioning, most widespread first.

    A name is a run of capitalized words on one line ("United States", "University of Hong Kong":
    "of" / "of the" may join them), so a multiword name is one target, not one per word. Words at
    the edges of a run are dropped while they are function words or other non-names ("The",
    "However", "Have", `_NOT_NAMES`), dates (months, weekdays), or, at the start of a sentence,
    words the thread also writes in lower case ("Overall" when "overall" occurs too). A name is a
    candidate when it is seen at least once not opening a sentence and is named in the own text
    of at least two posts; a one-word candidate the thread writes in lower case at least as often
    ("Photo" beside "photo") is a common word and dropped. No NLTK: capitalization and recurrence.

    Args:
        thread: an assembled thread.
        limit: at most this many targets.

    Returns:
        Target names ordered by the number of posts mentioning them, then by mentions, then name.
    """
    lower_counts: Counter[str] = Counter()
    for post in thread.posts:
        lower_counts.update(_LOWER_WORD.findall(post.own_text))
    mid_sentence: Counter[str] = Counter()
    posts_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    # The same capitalized runs ("I", "The", a name) recur all through a thread: trim each once.
    trimmed: dict[tuple[str, bool], str | None] = {}
    for post in thread.posts:
        seen_here: set[str] = set()
        for start, end in sentence_spans(post.own_text):
            sentence = post.own_text[start:end]
            for match in _NAME.finditer(sentence):
                opening = not sentence[: match.start()].strip(" \t\"'“‘(*-•")
                key = (match.group(0), opening)
                if key not in trimmed:
                    trimmed[key] = _trim_name(
                        match.group(0).split(), opening=opening, lower_counts=lower_counts
                    )
                name = trimmed[key]
                if name is None:
                    continue
                if not opening or (name != match.group(0) and not match.group(0).startswith(name)):
                    mid_sentence[name] += 1
                mentions[name] += 1
                seen_here.add(name)
        posts_with.update(seen_here)
    candidates = [
        name
        for name in mid_sentence
        if posts_with[name] >= 2 and (" " in name or lower_counts[name.lower()] < mid_sentence[name])
    ]
    candidates.sort(key=lambda name: (-posts_with[name], -mentions[name], name))
    return candidates[:limit]


def _trim_name(words: list[str], *, opening: bool, lower_counts: Counter[str]) -> str | None:
    """The name left once non-name words are dropped from both ends of a capitalized run."""

    def not_a_name(word: str, *, first: bool) -> bool:
        lowered = word.lower()
        return (
            word in _NOT_NAMES
            or lowered in _FUNCTION_WORDS
            or lowered in _CALENDAR
            or (first and opening and lower_counts[lowered] > 0)
        )

    first = 0
    while first < len(words) and not_a_name(words[first], first=first == 0):
        first += 1
    last = len(words)
    while last > first and not_a_name(words[last - 1], first=False):
        last -= 1
    kept = words[first:last]
    if not kept or (len(kept) == 1 and len(kept[0]) < 2):
        return None
    return " ".join(kept)


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
    # Columns read as lists: a select and row iteration cost a polars query per call.
    for post_id, text, polarity in zip(
        *(scored.get_column(name).to_list() for name in ("post_id", "text", "polarity")), strict=True
    ):
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
    exact_firsts: set[str] = set()  # the first character of each name, by case rule
    folded_firsts: set[str] = set()
    for index in sorted(range(len(names)), key=lambda i: -len(names[i])):
        name = names[index].strip()
        escaped = re.escape(name)
        exact = name.isupper() and len(name) <= 4
        body = escaped if exact else f"(?i:{escaped})"
        alternatives.append(f"(?P<t{index}>{body})")
        (exact_firsts if exact else folded_firsts).add(re.escape(name[0]))
    # Word starts only, then a lookahead on the names' first characters: most positions are
    # rejected before the alternatives (one named group each) are tried. The same matches, faster.
    firsts = []
    if exact_firsts:
        firsts.append(f"[{''.join(sorted(exact_firsts))}]")
    if folded_firsts:
        firsts.append(f"(?i:[{''.join(sorted(folded_firsts))}])")
    return re.compile(rf"(?<!\w)(?={'|'.join(firsts)})(?:{'|'.join(alternatives)})(?!\w)")
