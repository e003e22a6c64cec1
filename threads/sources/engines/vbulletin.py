"""vBulletin 3, 4 and 5 thread pages: where each post keeps its id, author, titles, date and body."""

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

VBULLETIN4_POSTS = "li.postcontainer[id^='post_'], li.postbit[id^='post_'], li.postbitlegacy[id^='post_']"
VBULLETIN3_POSTS = "table[id^='post']"
VBULLETIN5_POSTS = "li.b-post[data-node-id]"


def read_vbulletin4(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one vBulletin 4 `li.postcontainer`."""
    name = first(post, ".username_container a.username", "a.username", ".username")
    date = node_text(first(post, ".postdate .date", ".posthead .date"))
    return PagePost(
        body=first(post, "div[id^='post_message_'] blockquote.postcontent", "div[id^='post_message_']"),
        id=attr_digits(post, "id"),
        author=node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=texts(post.css(".userinfo .usertitle, .userinfo .rank")),
        created_at=parse_forum_date(date, utc_offset=utc_offset),
        edited=first(post, ".lastedited", "blockquote.lastedited") is not None,
    )


def read_vbulletin3(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one vBulletin 3 `table#postN`."""
    name = post.css_first("a.bigusername")
    menu = post.css_first("div[id^='postmenu_']")
    ranks: tuple[str, ...] = ()
    if menu is not None:
        title = menu.next
        while title is not None and (title.tag or "").startswith("-"):
            title = title.next
        if title is not None and title.tag == "div" and "smallfont" in (title.attributes.get("class") or ""):
            ranks = texts([title])
    header = node_text(post.css_first("td.thead"))
    edited = any("Last edited by" in (node_text(note) or "") for note in post.css("div.smallfont em"))
    return PagePost(
        body=post.css_first("div[id^='post_message_']"),
        id=attr_digits(post, "id"),
        author=node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=ranks,
        created_at=parse_forum_date(header, utc_offset=utc_offset),
        edited=edited,
    )


def read_vbulletin5(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one vBulletin 5 `li.b-post`."""
    name = first(post, ".b-userinfo__details .author a", ".author [itemprop='name']", ".author a")
    when = first(post, "time[itemprop='dateCreated']", "time[datetime]")
    created = parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset) if when else None
    return PagePost(
        body=first(post, ".js-post__content-text", ".b-post__content"),
        id=post.attributes.get("data-node-id"),
        author=node_text(name),
        author_id=user_id_from_href(name.attributes.get("href")) if name is not None else None,
        ranks=texts(post.css(".b-userinfo__details .usertitle, .usertitle")),
        created_at=created,
        edited=first(post, ".edited-text", ".b-post-edited") is not None,
    )
