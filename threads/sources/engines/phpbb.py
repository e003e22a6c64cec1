"""phpBB 3 topic pages (prosilver and subsilver-like): one `div.post#pN` per post."""

from __future__ import annotations

from datetime import datetime, timedelta

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

PHPBB_POSTS = "div.post[id^='p']"


def read_phpbb(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one phpBB `div.post` container."""
    name = first(
        post,
        ".postprofile a.username",
        ".postprofile a.username-coloured",
        "p.author a.username",
        "p.author a.username-coloured",
        "p.author strong a",
        ".postprofile dt a",
    )
    if name is not None and node_text(name) is None:  # the avatar link comes first in phpBB 3.0
        name = next((link for link in post.css(".postprofile dt a") if node_text(link)), None)
    return PagePost(
        body=post.css_first("div.content"),
        id=attr_digits(post, "id"),
        author=node_text(name) or node_text(post.css_first("p.author strong")),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=_ranks(post),
        created_at=_date(post, utc_offset),
        edited=any((node_text(notice) or "").startswith("Last edited") for notice in post.css("div.notice")),
    )


def _ranks(post: LexborNode) -> tuple[str, ...]:
    ranked = post.css(".postprofile dd.profile-rank")
    if ranked:
        return texts(ranked)
    # phpBB 3.0 prints the rank as the plain <dd> lines before the "Posts:" / "Joined:" fields.
    plain = []
    for field in post.css(".postprofile dd"):
        if field.css_first("strong") is not None:
            break
        plain.append(field)
    return texts(plain)


def _date(post: LexborNode, utc_offset: timedelta) -> datetime | None:
    when = post.css_first("p.author time[datetime]")
    if when is not None:
        return parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset)
    author_line = node_text(post.css_first("p.author")) or ""
    return parse_forum_date(author_line.rsplit("»", 1)[-1], utc_offset=utc_offset)
