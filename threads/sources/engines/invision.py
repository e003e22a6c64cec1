"""Invision Community topic pages: one `article#elComment_N` per post."""

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

INVISION_POSTS = "article[id^='elComment_']"


def read_invision(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one Invision `article#elComment_N` (the comment id that quotes cite)."""
    name = first(
        post, ".cAuthorPane_author a", ".cAuthorPane_author [itemprop='name']", "[itemprop='author'] a"
    )
    when = first(post, ".ipsComment_meta time[datetime]", "time[datetime]")
    created = parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset) if when else None
    edited = any(
        "Edited" in (node_text(note) or "") for note in post.css(".ipsComment_edited, .ipsType_light")
    )
    return PagePost(
        body=first(post, "[data-role='commentContent']", ".cPost_contentWrap .ipsType_richText"),
        id=attr_digits(post, "id"),
        author=node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=texts(post.css(".cAuthorPane_info [data-role='group'], .cAuthorPane_info .ipsRank_title")),
        created_at=created,
        edited=edited,
    )
