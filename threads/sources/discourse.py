"""Discourse topic JSON (`/t/<slug>/<id>.json`): posts by `post_number`, `cooked` HTML, reply numbers."""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.sources.html_render import RenderedPost, render_fragment
from threads.sources.values import expect_list, optional_str, text_of, timestamp


def is_topic(document: Any) -> bool:
    """Whether a parsed JSON document is a Discourse topic (it has `post_stream.posts`)."""
    return isinstance(document, dict) and isinstance(document.get("post_stream"), dict)


def read_topic(document: dict[str, Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a Discourse topic: one post per `post_stream.posts[]` entry.

    Post ids are `post_number`s (the numbers quotes and replies cite); `cooked` HTML is
    rendered by `threads.sources.html_render` with Discourse's quote rules (`aside.quote`
    with `data-post`); `reply_to_post_number` becomes the declared reply parent. A quote of
    another topic keeps its passage and author but no source post. When the topic's
    `posts_count` is larger than the posts present, a warning says so (Discourse pages topics
    in chunks of 20 by default; merge the pages with `threads.read([...])`).

    Raises:
        InputError: `post_stream.posts` is not an array.
    """
    posts_raw = expect_list(document["post_stream"].get("posts"), "Discourse post_stream.posts")
    topic_id = optional_str(document.get("id"))
    warnings: list[str] = []
    posts: list[PostDraft] = []
    boilerplate: list[Boilerplate] = []
    for entry in posts_raw:
        if not isinstance(entry, dict):
            warnings.append("skipped a post entry that is not an object")
            continue
        post, rendered = read_post(entry, topic_id=topic_id)
        warnings.extend(f"post {post.id}: {warning}" for warning in rendered.warnings)
        boilerplate.extend(rendered.boilerplate)
        posts.append(post)
    count = document.get("posts_count")
    if isinstance(count, int) and count > len(posts):
        warnings.append(f"the topic has {count} posts; this page holds {len(posts)}")
    return ThreadDraft(
        format="discourse-json",
        posts=posts,
        title=optional_str(document.get("title")),
        source=source,
        boilerplate=tuple(boilerplate),
        warnings=tuple(warnings),
        # The slug narrows the topic id (ids repeat across Discourse sites) without a site URL.
        key=f"discourse:{optional_str(document.get('slug')) or ''}/{topic_id}" if topic_id else None,
    )


def is_post(entry: Any) -> bool:
    """Whether a JSON object is one Discourse post (`post_number` and `cooked`), as forum-dl keeps them."""
    return isinstance(entry, dict) and "post_number" in entry and "cooked" in entry


def read_post(entry: dict[str, Any], *, topic_id: str | None) -> tuple[PostDraft, RenderedPost]:
    """Draft one Discourse post object; also return its rendering (boilerplate, warnings).

    Args:
        entry: a `post_stream.posts[]` object.
        topic_id: the topic's id, to tell quotes of this topic from quotes of others; None
            takes `entry["topic_id"]`.
    """
    topic_id = topic_id or optional_str(entry.get("topic_id"))
    post_id = optional_str(entry.get("post_number")) or optional_str(entry.get("id"))
    rendered = render_fragment(
        _own_topic_quotes(text_of(entry.get("cooked")), topic_id), engine="discourse", post_id=post_id
    )
    parent = optional_str(entry.get("reply_to_post_number"))
    post = PostDraft(
        text=rendered.text,
        id=post_id,
        author=optional_str(entry.get("username")) or optional_str(entry.get("name")),
        author_id=optional_str(entry.get("user_id")),
        ranks=tuple(rank for rank in (optional_str(entry.get("user_title")),) if rank),
        created_at=timestamp(entry.get("created_at")),
        edited=isinstance(entry.get("version"), int) and entry["version"] > 1,
        links=rendered.links,
        attachments=rendered.attachments,
        quotes=rendered.quotes,
        reply_to=(parent,) if parent else (),
    )
    return post, rendered


def _own_topic_quotes(cooked: str, topic_id: str | None) -> str | LexborNode:
    """The parsed body, with `data-post` removed from quotes of other topics (their numbers are not ours)."""
    tree = LexborHTMLParser(cooked)
    body = tree.body
    if body is None or topic_id is None:
        return cooked if body is None else body
    for aside in body.css("aside.quote[data-post]"):
        topic = aside.attributes.get("data-topic")
        if topic and topic.strip() != topic_id:
            del aside.attrs["data-post"]
    return body
