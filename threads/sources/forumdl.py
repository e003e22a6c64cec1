"""forum-dl JSONL output: one entry per line (`type` thread/post with an `item`), bodies HTML or Markdown."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from threads.model import Boilerplate, PostDraft, QuoteMark, ThreadDraft
from threads.sources import discourse
from threads.sources.html_render import render_fragment
from threads.sources.markdown_quotes import find_source, normalized, split_quotes
from threads.sources.values import optional_str, text_of, timestamp

_HTML_TAG = re.compile(r"<(p|div|br|blockquote|a|span|img|aside|pre|ul|ol|li|b|i|em|strong)\b", re.I)


def is_forumdl(rows: list[Any]) -> bool:
    """Whether JSONL rows are forum-dl output (entries with `generator: forum-dl` or a typed `item`)."""
    first = rows[0] if rows else None
    return isinstance(first, dict) and (
        first.get("generator") == "forum-dl" or ("item" in first and first.get("type") in _TYPES)
    )


_TYPES = ("board", "thread", "post", "file")


def read_rows(rows: list[Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from forum-dl entries: `post` items in file order, the `thread` item's title.

    A post's id is the last element of its `subpath` (else of its `path`); a `subpath` of two or
    more ids names the reply chain, so its second last element is the reply parent. A post whose
    `data` is a Discourse post object (forum-dl's Discourse extractor) is read like a Discourse
    topic's post: id `post_number`, parent `reply_to_post_number`. Bodies that
    hold HTML are rendered with `threads.sources.html_render`; `--textify` output (Markdown) has
    its `>` quote lines marked and resolved to the earlier post they quote, reply ancestors first.
    """
    warnings: list[str] = []
    title: str | None = None
    key: str | None = None
    posts: list[PostDraft] = []
    boilerplate: list[Boilerplate] = []
    threads_seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        item = row.get("item") if isinstance(row, dict) and isinstance(row.get("item"), dict) else row
        if not isinstance(item, dict):
            warnings.append(f"line {number} is not an object; skipped")
            continue
        kind = row.get("type") if isinstance(row, dict) else None
        if kind == "thread":
            title = title or optional_str(item.get("title"))
            url = optional_str(item.get("url"))
            threads_seen.add(url or str(number))
            key = key or (f"forum-dl:{url}" if url else None)
            continue
        if kind not in (None, "post"):
            continue
        data: dict[str, Any] = item["data"] if isinstance(item.get("data"), dict) else {}
        if discourse.is_post(data):
            # forum-dl's Discourse posts carry the topic's own post object: read it as the topic
            # reader does, so ids are post numbers, the numbers quotes and replies cite.
            post, rendered = discourse.read_post(data, topic_id=None)
            warnings.extend(f"post {post.id}: {warning}" for warning in rendered.warnings)
            boilerplate.extend(rendered.boilerplate)
            posts.append(post)
            continue
        path = _ids(item.get("subpath")) or _ids(item.get("path"))
        post_id = path[-1] if path else None
        body = text_of(item.get("content"))
        parent = path[-2] if len(path) >= 2 and _ids(item.get("subpath")) else None
        if _HTML_TAG.search(body):
            rendered = render_fragment(body, post_id=post_id)
            warnings.extend(f"post {post_id or number}: {warning}" for warning in rendered.warnings)
            boilerplate.extend(rendered.boilerplate)
            text, quotes, links, attachments = (
                rendered.text,
                rendered.quotes,
                rendered.links,
                rendered.attachments,
            )
        else:
            split = split_quotes(body.strip())
            text, links, attachments = split.text, 0, 0
            quotes = tuple(QuoteMark(start, end, "markup") for start, end in split.spans)
        posts.append(
            PostDraft(
                text=text,
                id=post_id,
                author=optional_str(item.get("author")) or optional_str(item.get("username")),
                created_at=timestamp(
                    item.get("creation_time")
                    or item.get("date")
                    or data.get("created_at")
                    or data.get("date")
                ),
                links=links,
                attachments=attachments,
                quotes=quotes,
                reply_to=(parent,) if parent else (),
            )
        )
    if len(threads_seen) > 1:
        warnings.append(f"the file holds {len(threads_seen)} threads; read as one")
    return ThreadDraft(
        format="forum-dl",
        posts=_resolve_markdown_quotes(posts),
        title=title,
        source=source,
        boilerplate=tuple(boilerplate),
        warnings=tuple(warnings),
        key=key,
    )


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for part in value if (text := optional_str(part)) is not None]


def _resolve_markdown_quotes(posts: list[PostDraft]) -> list[PostDraft]:
    """Name the source post of `>` quotes that the markup left anonymous, by their text."""
    if not any(mark.source_post_id is None for post in posts for mark in post.quotes):
        return posts
    index_of = {post.id: index for index, post in enumerate(posts) if post.id is not None}
    own = [normalized(_outside(post)) for post in posts]
    resolved: list[PostDraft] = []
    for index, post in enumerate(posts):
        marks = []
        for mark in post.quotes:
            if mark.source_post_id is None and mark.quoted_author is None:
                found = find_source(
                    post.text[mark.start : mark.end],
                    ancestors=_ancestors(post, posts, index_of),
                    earlier=range(index),
                    own_texts=own,
                )
                if found is not None:
                    mark = QuoteMark(mark.start, mark.end, mark.method, posts[found].id, posts[found].author)
            marks.append(mark)
        resolved.append(replace(post, quotes=tuple(marks)))
    return resolved


def _ancestors(post: PostDraft, posts: list[PostDraft], index_of: dict[str, int]) -> list[int]:
    chain: list[int] = []
    parents = post.reply_to
    while parents and parents[0] in index_of and index_of[parents[0]] not in chain:
        chain.append(index_of[parents[0]])
        parents = posts[chain[-1]].reply_to
    return chain


def _outside(post: PostDraft) -> str:
    pieces, cursor = [], 0
    for mark in sorted(post.quotes, key=lambda mark: mark.start):
        pieces.append(post.text[cursor : mark.start])
        cursor = max(cursor, mark.end)
    pieces.append(post.text[cursor:])
    return "\n".join(pieces)
