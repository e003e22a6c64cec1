"""The thread data model: immutable records, and the polars schemas of their tables, declared once."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

import polars as pl

from threads.plural import counted

QuoteMethod = Literal["markup", "header", "alignment"]
EdgeKind = Literal["quote", "reply", "inferred"]

POSTS_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "position": pl.Int32,
    "author": pl.String,
    "author_id": pl.String,
    "ranks": pl.List(pl.String),
    "created_at": pl.Datetime("us", "UTC"),
    "edited": pl.Boolean,
    "text": pl.String,
    "own_text": pl.String,
    "language": pl.String,
    "languages": pl.List(pl.String),
    "links": pl.Int32,
    "attachments": pl.Int32,
}
QUOTES_SCHEMA: dict[str, Any] = {
    "post_id": pl.String,
    "source_post_id": pl.String,
    "start": pl.Int32,
    "end": pl.Int32,
    "source_start": pl.Int32,
    "source_end": pl.Int32,
    "quoted_author": pl.String,
    "method": pl.String,
    "score": pl.Float64,
}
EDGES_SCHEMA: dict[str, Any] = {"src": pl.String, "dst": pl.String, "kind": pl.String}
BOILERPLATE_SCHEMA: dict[str, Any] = {"post_id": pl.String, "kind": pl.String, "text": pl.String}
THREAD_FIELDS = ("id", "title", "source", "format", "language", "warnings")


@dataclass(frozen=True, slots=True)
class Quote:
    """A passage of one post that reproduces text another post wrote.

    Invariants: `0 <= start < end <= len(post.text)` of the quoting post; when `source_post_id`
    is set it names an *earlier* post in which `text[source_start:source_end]` is that post's own
    text (never a passage it only quoted itself); `0 < score <= 1`, 1.0 for an exact match.
    """

    post_id: str
    source_post_id: str | None
    start: int
    end: int
    source_start: int | None
    source_end: int | None
    quoted_author: str | None
    method: QuoteMethod
    score: float


@dataclass(frozen=True, slots=True)
class Edge:
    """A link from a later post `src` to the earlier post `dst` it quotes or replies to.

    One edge per distinct (src, dst, kind); `inferred` edges exist only for posts nothing else links.
    """

    src: str
    dst: str
    kind: EdgeKind


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Text of the source that is not part of any post body (site chrome, UI strings, forms).

    Kept so that no text is silently lost: `post_id` is the post it was cut from, or None for
    text outside every post.
    """

    post_id: str | None
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Post:
    """One post as a reader sees it.

    Invariants: `position` is 1-based and equals the index in `Thread.posts` plus one; `text` is
    the body with quotes included and boilerplate removed; `own_text` is `text` with every quoted
    span of `Thread.quotes` for this post cut out (the remaining pieces, stripped, joined by a
    newline), so it holds only what this author wrote; `created_at` is timezone-aware UTC or None;
    `language` is the dominant language code ("en", "zh", ...) or None when there is no text,
    `languages` every language found, dominant first.
    """

    id: str
    position: int
    author: str | None
    author_id: str | None
    ranks: tuple[str, ...]
    created_at: datetime | None
    edited: bool
    text: str
    own_text: str
    language: str | None
    languages: tuple[str, ...]
    links: int
    attachments: int


@dataclass(frozen=True, slots=True)
class Thread:
    """A discussion rebuilt from one source: ordered posts, the quotes between them, and reply edges.

    `id` is stable for the same source bytes (a hash of them). `format` names the reader that
    produced the thread ("text", "xenforo", "discourse-json", "table", ...). `warnings` lists what
    a best-effort parse had to guess or skip.
    """

    id: str
    title: str | None
    source: str | None
    format: str
    language: str | None
    posts: tuple[Post, ...]
    quotes: tuple[Quote, ...] = ()
    edges: tuple[Edge, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()
    warnings: tuple[str, ...] = ()

    def post(self, post_id: str) -> Post:
        """Return the post with this id.

        Raises:
            KeyError: no post has that id.
        """
        for candidate in self.posts:
            if candidate.id == post_id:
                return candidate
        raise KeyError(post_id)

    def posts_frame(self) -> pl.DataFrame:
        """The posts as a polars DataFrame with `POSTS_SCHEMA`."""
        return _frame(self.posts, POSTS_SCHEMA)

    def quotes_frame(self) -> pl.DataFrame:
        """The quotes as a polars DataFrame with `QUOTES_SCHEMA`."""
        return _frame(self.quotes, QUOTES_SCHEMA)

    def edges_frame(self) -> pl.DataFrame:
        """The edges as a polars DataFrame with `EDGES_SCHEMA`."""
        return _frame(self.edges, EDGES_SCHEMA)

    def boilerplate_frame(self) -> pl.DataFrame:
        """The text that was cut as boilerplate, as a polars DataFrame with `BOILERPLATE_SCHEMA`."""
        return _frame(self.boilerplate, BOILERPLATE_SCHEMA)

    def summary(self) -> dict[str, Any]:
        """The thread-level fields (no posts), as plain values."""
        return {name: getattr(self, name) for name in THREAD_FIELDS} | {
            "posts": len(self.posts),
            "quotes": len(self.quotes),
            "edges": len(self.edges),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `threadlens parse --json`: thread, posts, quotes, edges."""
        thread = {name: getattr(self, name) for name in THREAD_FIELDS}
        thread["warnings"] = list(self.warnings)
        posts = []
        for post in self.posts:
            row = asdict(post)
            row["ranks"] = list(post.ranks)
            row["languages"] = list(post.languages)
            row["created_at"] = post.created_at.isoformat() if post.created_at else None
            posts.append(row)
        return {
            "thread": thread,
            "posts": posts,
            "quotes": [asdict(quote) for quote in self.quotes],
            "edges": [asdict(edge) for edge in self.edges],
        }

    def _repr_html_(self) -> str:
        """Jupyter shows a thread as its posts table under a one-line heading."""
        heading = html.escape(
            f"Thread {self.title or self.id}: {counted(len(self.posts), 'post')}, "
            f"{counted(len(self.quotes), 'quote')}, {counted(len(self.edges), 'edge')} ({self.format})"
        )
        shown = self.posts_frame().select("position", "id", "author", "language", "links", "own_text")
        return f"<p><b>{heading}</b></p>" + shown._repr_html_()

    def __repr__(self) -> str:
        return (
            f"Thread(id={self.id!r}, title={self.title!r}, format={self.format!r}, "
            f"posts={len(self.posts)}, quotes={len(self.quotes)}, edges={len(self.edges)})"
        )


def _frame(records: Iterable[Any], schema: dict[str, Any]) -> pl.DataFrame:
    rows = [{name: getattr(record, name) for name in schema} for record in records]
    return pl.DataFrame(rows, schema=schema, orient="row" if not rows else None)


# ---------------------------------------------------------------------------------------------
# Drafts: what a reader extracts from a source, before quotes are attributed and own text cut.


@dataclass(frozen=True, slots=True)
class QuoteMark:
    """A quoted span that the source itself declares (markup, or an attribution header in text).

    `start`/`end` index the draft post's `text`; `source_post_id` is set when the source names the
    quoted post, `quoted_author` when it names only its author.
    """

    start: int
    end: int
    method: QuoteMethod
    source_post_id: str | None = None
    quoted_author: str | None = None


@dataclass(frozen=True, slots=True)
class PostDraft:
    """One post as a reader found it: `text` with quotes still inline, declared quotes and replies.

    `id` may be None when the source has no post ids (positions `p1`, `p2`, ... are used then).
    `reply_to` lists post ids the source declares this post replies to.
    """

    text: str
    id: str | None = None
    author: str | None = None
    author_id: str | None = None
    ranks: tuple[str, ...] = ()
    created_at: datetime | None = None
    edited: bool = False
    links: int = 0
    attachments: int = 0
    quotes: tuple[QuoteMark, ...] = ()
    reply_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThreadDraft:
    """A whole source as a reader found it, ready for `threads.assemble`.

    `key` identifies the thread across sources (engine plus thread id or canonical URL, e.g.
    "discourse:7149"); pages whose drafts share a key are pages of one thread (`threads.merge`).
    None when the source does not say which thread it is.
    """

    format: str
    posts: Sequence[PostDraft]
    title: str | None = None
    source: str | None = None
    boilerplate: tuple[Boilerplate, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    key: str | None = None
