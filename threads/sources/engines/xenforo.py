"""XenForo 1 and 2 thread pages: where each post keeps its id, author, titles, date and body."""

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

XENFORO2_POSTS = "article.message[data-content^='post-']"
XENFORO1_POSTS = "li.message[id^='post-']"


def read_xenforo2(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one XenForo 2 `article.message` container."""
    name = first(post, ".message-name .username", ".message-name a", ".message-name")
    user = post.css_first(".message-name [data-user-id]")
    when = first(post, ".message-attribution-main time", "time.u-dt")
    created = None
    if when is not None:
        created = parse_forum_date(when.attributes.get("data-time"), utc_offset=utc_offset) or (
            parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset)
        )
    return PagePost(
        body=first(post, ".message-body .bbWrapper", ".message-body", ".message-content"),
        id=attr_digits(post, "data-content") or attr_digits(post, "id"),
        author=post.attributes.get("data-author") or node_text(name),
        author_id=user.attributes.get("data-user-id") if user is not None else None,
        ranks=texts(post.css(".message-userTitle, .message-userBanner")),
        created_at=created,
        edited=post.css_first(".message-lastEdit") is not None,
    )


def read_xenforo1(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one XenForo 1 `li.message` container."""
    name = first(post, ".messageUserInfo a.username", "a.username")
    when = first(post, ".messageMeta .DateTime", ".DateTime")
    created = None
    if when is not None:
        created = (
            parse_forum_date(when.attributes.get("data-time"), utc_offset=utc_offset)
            or parse_forum_date(when.attributes.get("title"), utc_offset=utc_offset)
            or parse_forum_date(node_text(when), utc_offset=utc_offset)
        )
    return PagePost(
        body=first(post, ".messageContent blockquote.messageText", "blockquote.messageText"),
        id=attr_digits(post, "id"),
        author=post.attributes.get("data-author") or node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=texts(post.css(".messageUserInfo .userTitle, .messageUserInfo .userBanner")),
        created_at=created,
        edited=post.css_first(".editDate") is not None,
    )
