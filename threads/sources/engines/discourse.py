"""Discourse topic pages, as the app renders them or as its crawler view (no JavaScript) serves them.

Post ids are post numbers (`#3`), the numbers `aside.quote[data-post]` quotes point at.
"""

from __future__ import annotations

from datetime import timedelta

from selectolax.lexbor import LexborNode

from threads.sources.engines.fields import PagePost, attr_digits, first, node_text, parse_forum_date, texts

DISCOURSE_POSTS = "article[data-post-id], div.topic-body.crawler-post, div.crawler-post"


def read_discourse(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one Discourse post: an app `article[data-post-id]` or a crawler `div.crawler-post`."""
    name = first(
        post,
        "span.creator [itemprop='name']",
        ".creator a",
        ".names .username a",
        ".names .first a",
        "[data-user-card]",
    )
    when = first(post, "time[itemprop='datePublished']", ".post-date [data-time]", ".relative-date")
    created = None
    if when is not None:
        created = parse_forum_date(when.attributes.get("data-time"), utc_offset=utc_offset) or (
            parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset)
        )
    number = attr_digits(post, "data-post-number") or attr_digits(post, "id")
    reply = attr_digits(post.css_first("[data-reply-to-post-number]"), "data-reply-to-post-number")
    return PagePost(
        body=first(post, ".cooked", "[itemprop='text']", "[itemprop='articleBody']", ".post"),
        id=number,
        author=node_text(name) or (name.attributes.get("data-user-card") if name is not None else None),
        ranks=texts(post.css(".user-title")),
        created_at=created,
        edited=first(post, ".post-info.edits", ".edits .widget-button") is not None,
        reply_to=(reply,) if reply else (),
    )
