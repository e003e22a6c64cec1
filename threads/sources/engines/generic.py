"""Posts of pages from unknown engines, found as the largest group of alike sibling elements."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from selectolax.lexbor import LexborNode

from threads.sources.engines.fields import PagePost, attr_digits, node_text, parse_forum_date
from threads.sources.html_quotes import classes, element_children

MIN_POSTS = 2
MIN_POST_CHARS = 20
MAX_SCAN = 300
_CONTAINER_TAGS = frozenset({"div", "article", "li", "section", "tr", "table", "dl"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer"})
_AUTHOR_HINTS = ("author", "username", "user-name", "poster", "postername", "byline")
_DATE_HINTS = ("date", "time", "posted")
_BODY_HINTS = ("content", "message", "text", "body", "entry")  # by priority


def find_generic_posts(root: LexborNode, utc_offset: timedelta) -> list[PagePost]:
    """Locate posts on a page no adapter knows: the sibling group with the most text.

    Siblings are alike when they share tag and class list; a group needs `MIN_POSTS` members of
    `MIN_POST_CHARS` or more, and members that name an author or a date score double, because a
    run of paragraphs inside one article is not a thread.

    Returns:
        The posts in page order, or [] when no group qualifies.
    """
    lengths = _text_lengths(root)
    best: list[LexborNode] = []
    best_score = 0.0
    for parent in root.traverse(include_text=False):
        if parent.tag in _SKIP_TAGS:
            continue
        groups: dict[tuple[str, str], list[LexborNode]] = defaultdict(list)
        for child in element_children(parent):
            if child.tag in _CONTAINER_TAGS and lengths.get(child.mem_id, 0) >= MIN_POST_CHARS:
                # The first class names the kind of block; later ones vary between alike posts
                # ("post bg1" / "post bg2", "message staff").
                groups[(child.tag, next(iter(classes(child)), ""))].append(child)
        for members in groups.values():
            if len(members) < MIN_POSTS:
                continue
            score = float(sum(lengths.get(member.mem_id, 0) for member in members))
            if sum(_find(member, _AUTHOR_HINTS) is not None for member in members) * 2 >= len(members):
                score *= 2
            if score > best_score:
                best, best_score = members, score
    return [_read(member, utc_offset, lengths) for member in best]


def _read(post: LexborNode, utc_offset: timedelta, lengths: dict[int, int]) -> PagePost:
    author = _find(post, _AUTHOR_HINTS)
    when = post.css_first("time[datetime]")
    created = parse_forum_date(when.attributes.get("datetime"), utc_offset=utc_offset) if when else None
    if created is None:
        stamp = _find(post, _DATE_HINTS)
        created = parse_forum_date(node_text(stamp), utc_offset=utc_offset) if stamp is not None else None
    body = _body(post, _BODY_HINTS, lengths) or post
    post_id = None
    for attribute in ("data-post-id", "data-pid", "data-id", "id"):
        post_id = post_id or attr_digits(post, attribute)
    # "by <a>Name</a> » date": the name is the first link or bold text with words in the line.
    named = [
        node_text(node)
        for node in (author.css("a, strong, b") if author is not None else [])
        if node_text(node)
    ]
    name = named[0] if named else node_text(author)
    return PagePost(
        body=body,
        id=post_id,
        author=name if name and len(name) <= 80 else None,
        created_at=created,
    )


def _matches(node: LexborNode, hints: tuple[str, ...]) -> bool:
    labels = " ".join(
        (*classes(node), node.attributes.get("itemprop") or "", node.attributes.get("rel") or "")
    )
    labels = labels.lower()
    return any(hint in labels for hint in hints)


def _find(post: LexborNode, hints: tuple[str, ...]) -> LexborNode | None:
    # Bounded: author and date lines sit near the top of a post, and a cap keeps the scan linear.
    for seen, node in enumerate(post.traverse(include_text=False)):
        if seen > MAX_SCAN:
            break
        if seen and _matches(node, hints) and node_text(node):
            return node
    return None


def _body(post: LexborNode, hints: tuple[str, ...], lengths: dict[int, int]) -> LexborNode | None:
    """The first element with text whose labels hold the first hint any such element holds.

    First, not largest: a signature ("after_content") can outweigh a short post.
    """
    candidates = [
        node
        for node in post.traverse(include_text=False)
        if node.tag in ("div", "section", "article", "blockquote", "td")
        and lengths.get(node.mem_id, 0)
        and _matches(node, hints)
    ]
    for hint in hints:
        named = [node for node in candidates if _matches(node, (hint,))]
        if named:
            return named[0]
    return None


def _text_lengths(root: LexborNode) -> dict[int, int]:
    """Visible text length of every element, in one post-order walk (no recursion, no re-reading)."""
    lengths: dict[int, int] = {}
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            total = 0
            child = node.child
            while child is not None:
                if child.tag == "-text":
                    total += len(child.text(deep=False).strip())
                else:
                    total += lengths.get(child.mem_id, 0)
                child = child.next
            lengths[node.mem_id] = total
            continue
        if node.tag in _SKIP_TAGS:
            lengths[node.mem_id] = 0
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in element_children(node))
    return lengths
