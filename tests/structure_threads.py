"""Small threads with hand-set edges for the structure and argument tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import polars as pl

import threads
from threads.model import Edge, EdgeKind, Post, Thread


def thread_with_edges(
    authors: Sequence[str | None],
    edges: Sequence[tuple[str, str, EdgeKind]],
    *,
    texts: Sequence[str] | None = None,
    minutes: Sequence[int | None] | None = None,
) -> Thread:
    """Posts p1..pN by `authors` (texts and minutes after 10:00 optional), with exactly these edges."""
    count = len(authors)
    start = datetime(2024, 1, 1, 10, tzinfo=UTC)
    frame = pl.DataFrame(
        {
            "author": list(authors),
            "text": list(texts) if texts else [f"Post number {n}." for n in range(1, count + 1)],
            "created_at": [
                None if minute is None else start + timedelta(minutes=minute)
                for minute in (minutes or [None] * count)
            ],
        },
        schema={"author": pl.String, "text": pl.String, "created_at": pl.Datetime("us", "UTC")},
    )
    return replace(threads.from_frame(frame), edges=tuple(Edge(*edge) for edge in edges))


def large_thread(parents: Sequence[int | None]) -> Thread:
    """A thread of len(parents) posts built directly (no parsing): post i replies to post parents[i]."""
    posts = tuple(
        Post(
            id=f"p{index + 1}",
            position=index + 1,
            author=f"user{index % 97}",
            author_id=None,
            ranks=(),
            created_at=None,
            edited=False,
            text="x",
            own_text="x",
            language=None,
            languages=(),
            links=0,
            attachments=0,
        )
        for index in range(len(parents))
    )
    edges = tuple(
        Edge(f"p{index + 1}", f"p{parent + 1}", "reply")
        for index, parent in enumerate(parents)
        if parent is not None
    )
    return Thread(
        id="large", title=None, source=None, format="table", language=None, posts=posts, edges=edges
    )
