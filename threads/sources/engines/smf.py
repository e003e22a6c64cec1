"""Simple Machines Forum (SMF 2.0 and 2.1) topic pages: one `div.post_wrapper` per post."""

from __future__ import annotations

from datetime import timedelta

from selectolax.lexbor import LexborNode

from threads.sources.engines.fields import (
    PagePost,
    attr_digits,
    first,
    node_text,
    parse_forum_date,
    texts,
    user_id_from_href,
)

SMF_POSTS = "div.post_wrapper"


def read_smf(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one SMF `div.post_wrapper`; the post id is the `msg_N` of its body."""
    body = first(post, "div.inner[id^='msg_']", "div[id^='msg_']", "div.post")
    name = first(post, ".poster h4 a", ".poster h4")
    stamp = node_text(first(post, ".keyinfo .smalltext", ".postinfo .smalltext", ".keyinfo")) or ""
    # "« Reply #1 on: May 01, 2020, 10:15:22 PM »" in 2.0; just the date in 2.1.
    stamp = stamp.rsplit(" on: ", 1)[-1].rsplit("on:", 1)[-1]
    return PagePost(
        body=body,
        id=attr_digits(body, "id"),
        author=node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=texts(post.css(".poster li.title, .poster li.membergroup, .poster li.postgroup")),
        created_at=parse_forum_date(stamp, utc_offset=utc_offset),
        edited=any("Last Edit" in (node_text(note) or "") for note in post.css(".modified, .smalltext")),
    )
