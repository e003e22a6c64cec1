"""Quote markup of forum engines: which element is a quote, what it cites, which parts are its header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborNode

# Query parameters and fragment prefixes that carry a post id in the links of quote headers:
# phpBB `viewtopic.php?p=N#pN`, vBulletin `showthread.php?p=N#postN`, XenForo `goto/post?id=N`,
# MyBB `pid=N#pidN`, SMF `msg=N#msgN`, NodeBB `/post/N`.
_ID_PARAMS = ("p", "pid", "post", "postid", "post_id", "id", "msg")
_ID_FRAGMENTS = ("post-", "post_", "post", "pid", "msg", "p")


@dataclass(frozen=True, slots=True)
class QuoteParts:
    """What a quote element declares: its source and the child elements that are its header.

    `skip` holds the `mem_id`s of elements inside the quote that are wrapper chrome (attribution
    lines, "Click to expand..."): they are cut as boilerplate, the rest of the element is the
    quoted passage.
    """

    source_post_id: str | None
    author: str | None
    skip: frozenset[int]
    engine: str


@dataclass(frozen=True, slots=True)
class SiblingHeader:
    """An attribution line written as the element just before a `blockquote` (NodeBB, SMF 2.0)."""

    source_post_id: str | None
    author: str | None


# Engines that use `blockquote` for things other than quotes: whole post bodies and signatures.
_NOT_QUOTES = frozenset({"postcontent", "messageText", "signature", "restore"})

QuoteRule = Callable[[LexborNode], QuoteParts | None]


def classes(node: LexborNode) -> tuple[str, ...]:
    """The class names of an element."""
    return tuple((node.attributes.get("class") or "").split())


def element_children(node: LexborNode) -> Iterator[LexborNode]:
    """The element children of a node (text and comments left out)."""
    child = node.child
    while child is not None:
        if child.tag and not child.tag.startswith("-"):
            yield child
        child = child.next


def post_id_from_href(href: str | None) -> str | None:
    """The post id a link points at (`?p=N`, `#postN`, `goto/post?id=N`, `/post/N`, ...), if any."""
    if not href:
        return None
    parts = urlsplit(href.strip())
    query = parse_qs(parts.query)
    for name in _ID_PARAMS:
        for value in query.get(name, ()):
            if value.isdigit():
                return value
    for prefix in _ID_FRAGMENTS:
        rest = parts.fragment[len(prefix) :] if parts.fragment.startswith(prefix) else ""
        if rest.isdigit():
            return rest
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in ("post", "posts") and segments[-1].isdigit():
        return segments[-1]
    return None


def _text(node: LexborNode) -> str:
    return " ".join(node.text(deep=True).split())


def _digits(value: str | None) -> str | None:
    tail = (value or "").rsplit(":", 1)[-1].strip()
    return tail if tail.isdigit() else None


def _author_before(header: str, *markers: str) -> str | None:
    """The name in "NAME said:" / "NAME wrote:" / "Quote from: NAME on DATE" header text."""
    text = header.strip().rstrip(":").strip()
    for marker in markers:
        cut = text.lower().find(marker)
        if cut >= 0:
            text = text[:cut] if cut > 0 else text[len(marker) :]
    text = text.strip().strip(":").strip()
    return text or None


def _xenforo2(node: LexborNode) -> QuoteParts | None:
    if node.tag != "blockquote" or "bbCodeBlock--quote" not in classes(node):
        return None
    skip = {child.mem_id for child in node.css(".bbCodeBlock-title, .bbCodeBlock-expandLink")}
    title = node.css_first(".bbCodeBlock-title")
    author = node.attributes.get("data-quote") or (
        _author_before(_text(title), " said") if title is not None else None
    )
    return QuoteParts(_digits(node.attributes.get("data-source")), author, frozenset(skip), "xenforo2")


def _xenforo1(node: LexborNode) -> QuoteParts | None:
    if "bbCodeQuote" not in classes(node):
        return None
    skip = {child.mem_id for child in node.css(".attribution, .quoteExpand")}
    link = node.css_first("a.AttributionLink")
    source = post_id_from_href(link.attributes.get("href")) if link is not None else None
    return QuoteParts(source, node.attributes.get("data-author"), frozenset(skip), "xenforo1")


def _invision(node: LexborNode) -> QuoteParts | None:
    if "ipsQuote" not in classes(node):
        return None
    skip = {child.mem_id for child in node.css(".ipsQuote_citation")}
    source = _digits(node.attributes.get("data-ipsquote-contentcommentid"))
    return QuoteParts(source, node.attributes.get("data-ipsquote-username"), frozenset(skip), "invision")


def _discourse(node: LexborNode) -> QuoteParts | None:
    if node.tag != "aside" or "quote" not in classes(node):
        return None
    skip = {child.mem_id for child in element_children(node) if "title" in classes(child)}
    # data-post is the quoted post's *number* in its topic, the id Discourse readers give posts.
    source = _digits(node.attributes.get("data-post"))
    return QuoteParts(source, node.attributes.get("data-username"), frozenset(skip), "discourse")


def _vbulletin(node: LexborNode) -> QuoteParts | None:
    if "bbcode_quote" not in classes(node):
        return None
    header = node.css_first(".bbcode_postedby")
    if header is None:
        return QuoteParts(None, None, frozenset(), "vbulletin")
    name = header.css_first("strong")
    link = header.css_first("a[href]")
    author = _text(name) if name is not None else _author_before(_text(header), "originally posted by")
    source = post_id_from_href(link.attributes.get("href")) if link is not None else None
    return QuoteParts(source, author, frozenset({header.mem_id}), "vbulletin")


def _vbulletin3(node: LexborNode) -> QuoteParts | None:
    # vBulletin 3: <div><div class="smallfont">Quote:</div><table>...<td class="alt2">
    # <div>Originally Posted by <strong>X</strong> <a href="showthread.php?p=N">...</div><div>text
    children = list(element_children(node))
    if node.tag != "div" or len(children) < 2 or "smallfont" not in classes(children[0]):
        return None
    if not _text(children[0]).lower().startswith("quote") or children[1].tag != "table":
        return None
    skip = {children[0].mem_id}
    source = author = None
    cell = children[1].css_first("td")
    first = next(element_children(cell), None) if cell is not None else None
    if first is not None and "originally posted by" in _text(first).lower():
        skip.add(first.mem_id)
        name = first.css_first("strong")
        link = first.css_first("a[href]")
        author = _text(name) if name is not None else None
        source = post_id_from_href(link.attributes.get("href")) if link is not None else None
    return QuoteParts(source, author, frozenset(skip), "vbulletin")


def _cited_blockquote(node: LexborNode) -> QuoteParts | None:
    """phpBB, SMF 2.1, MyBB: `<blockquote><cite>X wrote:</cite>` (in phpBB 3.0 inside a `div`)."""
    if node.tag != "blockquote" or _NOT_QUOTES.intersection(classes(node)):
        return None
    cite = None
    for child in element_children(node):
        if child.tag == "cite":
            cite = child
        elif child.tag == "div" and cite is None:
            cite = next((inner for inner in element_children(child) if inner.tag == "cite"), None)
        break
    if cite is None:
        return QuoteParts(None, None, frozenset(), "generic")
    source = _digits(cite.attributes.get("data-post-id"))
    for link in cite.css("a[href]"):
        source = source or _digits(link.attributes.get("data-post-id"))
        source = source or post_id_from_href(link.attributes.get("href"))
    source = source or post_id_from_href(node.attributes.get("cite"))
    profile = cite.css_first("a[href*='viewprofile'], a[href*='/members/'], a[href*='/user/']")
    author = (
        _text(profile)
        if profile is not None
        else _author_before(_text(cite), " wrote", "quote from:", " on ")
    )
    return QuoteParts(source, author, frozenset({cite.mem_id}), "phpbb")


# Order matters only where markup overlaps: engine classes first, the bare blockquote last.
QUOTE_RULES: tuple[tuple[str, QuoteRule], ...] = (
    ("xenforo2", _xenforo2),
    ("xenforo1", _xenforo1),
    ("invision", _invision),
    ("discourse", _discourse),
    ("vbulletin", _vbulletin),
    ("vbulletin", _vbulletin3),
    ("generic", _cited_blockquote),
)


def match_quote(node: LexborNode, *, engine: str | None = None) -> QuoteParts | None:
    """Return what `node` declares if it is a quote element, else None.

    Args:
        node: an element inside a post body.
        engine: restrict engine-specific rules to this engine family ("xenforo2", "phpbb", ...);
            the generic blockquote rule always applies.
    """
    family = _family(engine)
    for rule_engine, rule in QUOTE_RULES:
        if family is not None and rule_engine not in (family, "generic"):
            continue
        parts = rule(node)
        if parts is not None:
            return parts
    return None


def match_sibling_header(node: LexborNode, following: LexborNode | None) -> SiblingHeader | None:
    """Return the attribution `node` declares when it is the header line of the quote `following`.

    NodeBB writes `<p>@X said in <a href="/post/N">topic</a>:</p><blockquote>`; SMF 2.0 writes
    `<div class="quoteheader"><a href="...#msgN">Quote from: X on DATE</a></div><blockquote>`.
    """
    if following is None or following.tag != "blockquote":
        return None
    if "quoteheader" in classes(node):
        link = node.css_first("a[href]")
        source = post_id_from_href(link.attributes.get("href")) if link is not None else None
        return SiblingHeader(source, _author_before(_text(node), "quote from:", " on "))
    if node.tag != "p":
        return None
    text = _text(node)
    if " said in " not in text or not text.endswith(":"):
        return None
    source = None
    for link in node.css("a[href]"):
        source = source or post_id_from_href(link.attributes.get("href"))
    author = text.split(" said in ", 1)[0].strip().lstrip("@") or None
    return SiblingHeader(source, author)


def _family(engine: str | None) -> str | None:
    if engine is None:
        return None
    for prefix in ("xenforo1", "xenforo2", "vbulletin", "phpbb", "discourse", "invision"):
        if engine.startswith(prefix):
            return prefix
    if engine == "xenforo":
        return None
    return "generic"
