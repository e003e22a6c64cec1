"""NodeBB topic pages: `li[component=post]` items carrying their ids, author and parent as attributes."""

from __future__ import annotations

from datetime import timedelta

from selectolax.lexbor import LexborNode

from threads.sources.engines.fields import PagePost, attr_digits, parse_forum_date, post_id_from_href, texts

NODEBB_POSTS = "[component='post'][data-pid]"


def read_nodebb(post: LexborNode, utc_offset: timedelta) -> PagePost:
    """Read one NodeBB post; `component=post/parent` becomes its reply link."""
    parent = post.css_first("[component='post/parent']")
    reply_to: tuple[str, ...] = ()
    if parent is not None:
        target = attr_digits(parent, "data-topid") or post_id_from_href(parent.attributes.get("href"))
        reply_to = (target,) if target else ()
    editor = post.css_first("[component='post/editor']")
    published = post.css_first("meta[itemprop='datePublished']")
    created = parse_forum_date(post.attributes.get("data-timestamp"), utc_offset=utc_offset)
    if created is None and published is not None:
        created = parse_forum_date(published.attributes.get("content"), utc_offset=utc_offset)
    return PagePost(
        body=post.css_first("[component='post/content']"),
        id=post.attributes.get("data-pid"),
        author=post.attributes.get("data-username"),
        author_id=post.attributes.get("data-uid"),
        ranks=texts(post.css(".group-label")),
        created_at=created,
        edited=bool(editor is not None and (editor.attributes.get("data-editor") or "").strip()),
        reply_to=reply_to,
    )
