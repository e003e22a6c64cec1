"""The polars schemas of every analysis table, declared once; charts and reports read these columns."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import polars as pl

# Joins the strings of one list cell; the ASCII unit separator does not occur in cue or marker text,
# and `rows_frame` checks that it does not (falling back to the slow path when it does).
_UNIT_SEPARATOR = "\x1f"
_STRING_LIST = pl.List(pl.String)
# Below this many rows the split's fixed cost (a polars query, ~0.15 ms) exceeds the list-by-list
# conversion (~0.02 ms a row).
_SPLIT_FROM_ROWS = 32

# One row per sentence of a post's own text. Scores are null for non-English sentences.
TONE_SENTENCES_SCHEMA: dict[str, Any] = {
    "post_id": pl.String,
    "sentence": pl.Int32,  # 0-based index within the post
    "start": pl.Int32,  # offsets into the post's own_text
    "end": pl.Int32,
    "text": pl.String,
    "language": pl.String,
    "polarity": pl.Float64,  # TextBlob, -1..1, null unless English
    "subjectivity": pl.Float64,  # TextBlob, 0..1, null unless English
    "cues": pl.List(pl.String),  # the words TextBlob's assessments scored
}

# One row per post.
TONE_POSTS_SCHEMA: dict[str, Any] = {
    "post_id": pl.String,
    "position": pl.Int32,
    "author": pl.String,
    "language": pl.String,
    "words": pl.Int32,  # words of own text
    "sentences": pl.Int32,
    "polarity": pl.Float64,  # mean over scored sentences; null when none is English
    "subjectivity": pl.Float64,
}

# One row per quote/reply edge (src replies to or quotes dst).
STANCE_SCHEMA: dict[str, Any] = {
    "src": pl.String,
    "dst": pl.String,
    "kind": pl.String,  # quote | reply | inferred
    "src_author": pl.String,
    "dst_author": pl.String,
    "stance": pl.String,  # agree | disagree | neutral
    "score": pl.Float64,  # -1 (strong disagreement) .. 1 (strong agreement)
    "cues": pl.List(pl.String),  # what decided it, e.g. "lexicon:totally wrong", "contrast:but"
}

# One row per (target, post) where the post's own text mentions the target.
TARGET_STANCE_SCHEMA: dict[str, Any] = {
    "target": pl.String,
    "post_id": pl.String,
    "author": pl.String,
    "mentions": pl.Int32,
    "polarity": pl.Float64,  # mean TextBlob polarity of the mentioning sentences; null if none English
}

# One row per (target, author): `target_stance` aggregated per author.
TARGET_AUTHORS_SCHEMA: dict[str, Any] = {
    "target": pl.String,
    "author": pl.String,
    "posts": pl.Int32,  # posts of this author mentioning the target
    "mentions": pl.Int32,
    "polarity": pl.Float64,  # mean of those posts' polarities; null if none is scored
}

# One row per sentence that argues: a claim or a premise.
ARGUMENTS_SCHEMA: dict[str, Any] = {
    "post_id": pl.String,
    "sentence": pl.Int32,
    "text": pl.String,
    "role": pl.String,  # claim | premise
    "markers": pl.List(pl.String),  # discourse markers found, e.g. "because", "however"
}

# One row per step of an argument chain (a path along quote/reply edges).
CHAINS_SCHEMA: dict[str, Any] = {
    "chain": pl.Int32,  # 1 = the chain ranked first (longest, then most contested)
    "step": pl.Int32,  # 0 = the opening claim
    "post_id": pl.String,
    "author": pl.String,
    "stance": pl.String,  # stance of this step toward the previous one; null at step 0
    "excerpt": pl.String,  # the step's main argumentative sentence, shortened
}

# One row per structure metric; `definition` states exactly what `value` counts.
METRICS_SCHEMA: dict[str, Any] = {
    "metric": pl.String,
    "value": pl.Float64,
    "definition": pl.String,
}

# One row per problem found while building the reply graph.
REPAIRS_SCHEMA: dict[str, Any] = {
    "problem": pl.String,  # orphan | cycle | self_quote | ...
    "post_id": pl.String,
    "detail": pl.String,
}

# One row per post: its place in the reply graph.
POST_STRUCTURE_SCHEMA: dict[str, Any] = {
    "post_id": pl.String,
    "position": pl.Int32,
    "author": pl.String,
    "depth": pl.Int32,  # edges from a root along first parents; roots are 0
    "parents": pl.Int32,
    "children": pl.Int32,
    "quoted_by": pl.Int32,  # distinct posts quoting it
}


def rows_frame(rows: Sequence[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    """A frame with `schema` from row tuples (in schema order), built column by column.

    Same result as `pl.DataFrame(rows, schema=schema, orient="row")`, several times faster for a
    list-of-strings column: polars turns every Python list of such a column into a Series of its
    own, so each row's strings are joined into one string instead and split in one vectorized step.

    Args:
        rows: one tuple per row.
        schema: column names and polars types.

    Returns:
        The frame.
    """
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pl.DataFrame(
        [
            _string_lists(name, values) if dtype == _STRING_LIST else pl.Series(name, values, dtype=dtype)
            for (name, dtype), values in zip(schema.items(), columns, strict=True)
        ]
    )


def _string_lists(name: str, values: Sequence[Sequence[str] | None]) -> pl.Series:
    strings = itertools.chain.from_iterable(cell for cell in values if cell is not None)
    if len(values) >= _SPLIT_FROM_ROWS and _UNIT_SEPARATOR not in "".join(strings):
        # Each string follows a separator: a cell of n strings splits into n + 1 pieces, the first
        # empty (an empty cell is "", which splits into [""]), so dropping the first gives it back.
        joined = [None if cell is None else _UNIT_SEPARATOR.join(("", *cell)) for cell in values]
        column = pl.Series(name, joined, dtype=pl.String).to_frame()
        return column.select(pl.col(name).str.split(_UNIT_SEPARATOR).list.slice(1)).to_series()
    return pl.Series(name, [None if cell is None else list(cell) for cell in values], dtype=_STRING_LIST)
