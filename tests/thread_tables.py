"""Small threads for analysis tests, built from posts tables (ids "1", "2", ... in thread order)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

import threads


def thread_of(
    texts: Sequence[str],
    *,
    authors: Sequence[str | None],
    reply_to: Sequence[str | None] | None = None,
) -> threads.Thread:
    """A thread of one post per text, by the given authors, answering the given post ids."""
    columns: dict[str, Sequence[str | None]] = {
        "id": [str(number) for number in range(1, len(texts) + 1)],
        "author": authors,
        "text": texts,
    }
    if reply_to is not None:
        columns["reply_to"] = reply_to
    return threads.from_frame(pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)))
