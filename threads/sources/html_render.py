"""A post body's HTML rendered to the text a reader sees, with the quotes its markup declares."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from threads.errors import InputError
from threads.model import Boilerplate, QuoteMark
from threads.sources.html_quotes import (
    QuoteParts,
    classes,
    match_quote,
    match_sibling_header,
)

MAX_DEPTH = 200  # deeper markup is flattened to its text: no recursion blow-up on hostile pages
MAX_QUOTE_DEPTH = 16  # quotes nested deeper are kept as text without their own marks
MAX_FRAGMENT_CHARS = 20_000_000

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math"}
    | {"button", "input", "select", "textarea", "option", "map", "area"}
)
_MEDIA_TAGS = frozenset({"video", "audio", "iframe", "object", "embed"})
_PARAGRAPH_TAGS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
    | {"figure", "fieldset", "details"}
)
_BLOCK_TAGS = _PARAGRAPH_TAGS | frozenset(
    {"div", "li", "dt", "dd", "tr", "section", "article", "aside", "header", "footer", "nav", "main"}
    | {"address", "figcaption", "legend", "summary", "form", "center", "caption", "tbody", "thead"}
)
# Chrome inside post bodies that a reader does not read as part of the post.
_CHROME_CLASSES = frozenset(
    {
        "messageTextEndMarker",
        "js-selectToQuoteEnd",
        "bbCodeBlock-expandLink",
        "quoteExpand",
        "quotefooter",
        "signature",
        "signaturecontainer",
        "ipsHide",
        "post-tools",
        "quote-controls",
        "share",
        "shareButtons",
    }
)
_EMOJI_HINTS = ("emoji", "smilie", "smiley", "emoticon")


@dataclass(frozen=True, slots=True)
class RenderedPost:
    """A post body as a reader sees it.

    Invariants: every mark satisfies `0 <= start < end <= len(text)` and covers the quoted
    passage without its header; `boilerplate` holds the cut attribution lines ("X said:",
    "Click to expand...") and chrome; `links` counts links in the body outside quote headers,
    `attachments` images and embedded media (emoji and smilies are text, not attachments).
    """

    text: str
    quotes: tuple[QuoteMark, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()
    links: int = 0
    attachments: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Writer:
    """Accumulates text with collapsed white space, so offsets are final as they are taken."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    pending_space: bool = False
    pending_breaks: int = 0
    unstarted: list[list[int]] = field(default_factory=list)

    def words(self, text: str) -> None:
        if not text:
            return
        if text[0].isspace():
            self.pending_space = True
        pieces = text.split()
        if pieces:
            self._emit(" ".join(pieces))
            if text[-1].isspace():
                self.pending_space = True

    def preformatted(self, text: str) -> None:
        for number, line in enumerate(text.split("\n")):
            if number:
                self.line_break()
            if line.strip():
                self._emit(line.rstrip())

    def line_break(self) -> None:
        self.pending_breaks = min(self.pending_breaks + 1, 2)

    def block(self, breaks: int) -> None:
        self.pending_breaks = max(self.pending_breaks, breaks)

    def open_span(self) -> list[int]:
        span = [-1, -1]
        self.unstarted.append(span)
        return span

    def close_span(self, span: list[int]) -> None:
        if span[0] >= 0:
            span[1] = self.length
        elif span in self.unstarted:
            self.unstarted.remove(span)

    def _emit(self, text: str) -> None:
        if self.length:
            separator = "\n" * self.pending_breaks if self.pending_breaks else " " * self.pending_space
            if separator:
                self.parts.append(separator)
                self.length += len(separator)
        self.pending_space = False
        self.pending_breaks = 0
        for span in self.unstarted:
            span[0] = self.length
        self.unstarted.clear()
        self.parts.append(text)
        self.length += len(text)


@dataclass(slots=True)
class _Renderer:
    engine: str | None
    post_id: str | None
    writer: _Writer = field(default_factory=_Writer)
    marks: list[tuple[list[int], str | None, str | None]] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    links: int = 0
    attachments: int = 0

    def children(self, node: LexborNode, depth: int, quote_depth: int, skip: frozenset[int]) -> None:
        child = node.child
        while child is not None:
            tag = child.tag or ""
            if tag == "-text":
                self.writer.words(child.text(deep=False))
            elif not tag.startswith("-"):
                following = _next_element(child)
                header = match_sibling_header(child, following) if quote_depth < MAX_QUOTE_DEPTH else None
                if header is not None and following is not None:
                    self._cut("quote_header", child)
                    declared = match_quote(following, engine=self.engine)
                    parts = QuoteParts(
                        header.source_post_id or (declared.source_post_id if declared else None),
                        header.author or (declared.author if declared else None),
                        declared.skip if declared else frozenset(),
                        "sibling",
                    )
                    self.quote(following, parts, depth + 1, quote_depth, skip)
                    child = following.next
                    continue
                self.element(child, depth + 1, quote_depth, skip)
            child = child.next

    def element(self, node: LexborNode, depth: int, quote_depth: int, skip: frozenset[int]) -> None:
        tag = node.tag
        if node.mem_id in skip:
            self._cut("quote_header", node)
            return
        if tag in _SKIP_TAGS or "hidden" in node.attributes or _CHROME_CLASSES.intersection(classes(node)):
            if tag not in ("script", "style", "svg", "head", "template", "noscript"):
                self._cut("chrome", node)
            return
        if depth > MAX_DEPTH:
            if not self.warnings:
                self.warnings.append(f"markup nested deeper than {MAX_DEPTH} levels was flattened")
            self.writer.words(node.text(deep=True))
            return
        if tag == "br":
            self.writer.line_break()
            return
        if tag == "img":
            self._image(node)
            return
        if tag in _MEDIA_TAGS:
            self.attachments += 1
            return
        if tag == "a" and _counts_as_link(node.attributes.get("href")):
            self.links += 1
        if quote_depth < MAX_QUOTE_DEPTH:
            parts = match_quote(node, engine=self.engine)
            if parts is not None:
                self.quote(node, parts, depth, quote_depth, skip)
                return
        breaks = 2 if tag in _PARAGRAPH_TAGS else 1 if tag in _BLOCK_TAGS else 0
        if tag in ("td", "th"):
            self.writer.pending_space = True
        self.writer.block(breaks)
        if tag == "pre":
            self.writer.preformatted(node.text(deep=True))
        else:
            self.children(node, depth, quote_depth, skip)
        self.writer.block(breaks)

    def quote(
        self, node: LexborNode, parts: QuoteParts, depth: int, quote_depth: int, skip: frozenset[int]
    ) -> None:
        self.writer.block(2)
        span = self.writer.open_span()
        self.children(node, depth, quote_depth + 1, skip | parts.skip)
        self.writer.close_span(span)
        self.writer.block(2)
        if span[0] < 0 or span[1] <= span[0]:
            return
        source, author = parts.source_post_id, parts.author
        # A wrapper inside a wrapper (XenForo 1's blockquote.quoteContainer in div.bbCodeQuote)
        # covers the same passage: one quote, with whatever either level declares.
        same = [
            mark
            for mark in self.marks
            if mark[0] == span
            and ((mark[1] is None and mark[2] is None) or (source is None and author is None))
        ]
        for mark in same:
            self.marks.remove(mark)
            source, author = source or mark[1], author or mark[2]
        self.marks.append((span, source, author))

    def _image(self, node: LexborNode) -> None:
        alt = (node.attributes.get("alt") or "").strip()
        hint = " ".join((*classes(node), node.attributes.get("src") or "")).lower()
        if any(word in hint for word in _EMOJI_HINTS):
            self.writer.words(alt)
        else:
            self.attachments += 1

    def _cut(self, kind: str, node: LexborNode) -> None:
        text = " ".join(node.text(deep=True).split())
        if text:
            self.boilerplate.append(Boilerplate(post_id=self.post_id, kind=kind, text=text))


def render_fragment(
    html_or_node: str | LexborNode, *, engine: str | None = None, post_id: str | None = None
) -> RenderedPost:
    """Render a post body to the text a reader sees, with the quotes its markup declares.

    Block elements become line breaks (paragraphs a blank line), white space collapses as a
    browser collapses it, scripts and styles are dropped, links and attachments are counted.
    Quote elements (XenForo 1 and 2, phpBB, vBulletin 3-5, Discourse, Invision, SMF, NodeBB,
    any `blockquote`) keep their passage inline and become `QuoteMark`s with `method="markup"`;
    their attribution lines are cut as `quote_header` boilerplate. A quote inside a quote gets
    its own mark with its own source.

    Args:
        html_or_node: a post body as an HTML string, or a parsed selectolax (lexbor) node.
        engine: the forum engine ("xenforo2", "phpbb", "vbulletin4", "discourse", ...) to use
            only that engine's quote rules; None tries every rule.
        post_id: stamped on the boilerplate records this post produces.

    Returns:
        The rendered post.

    Raises:
        InputError: the HTML string is over `MAX_FRAGMENT_CHARS`.
    """
    if isinstance(html_or_node, str):
        if len(html_or_node) > MAX_FRAGMENT_CHARS:
            raise InputError(f"post HTML of {len(html_or_node):,} characters is over the limit")
        tree = LexborHTMLParser(html_or_node)
        root = tree.body
        if root is None:
            return RenderedPost(text="")
    else:
        root = html_or_node
    renderer = _Renderer(engine=engine, post_id=post_id)
    renderer.children(root, 0, 0, frozenset())
    text = "".join(renderer.writer.parts)
    marks = tuple(
        QuoteMark(start=span[0], end=span[1], method="markup", source_post_id=source, quoted_author=author)
        for span, source, author in sorted(renderer.marks, key=lambda mark: (mark[0][0], -mark[0][1]))
    )
    return RenderedPost(
        text=text,
        quotes=marks,
        boilerplate=tuple(renderer.boilerplate),
        links=renderer.links,
        attachments=renderer.attachments,
        warnings=tuple(renderer.warnings),
    )


def _next_element(node: LexborNode) -> LexborNode | None:
    """The next sibling element, when only white space or comments stand between the two."""
    following = node.next
    while following is not None and (following.tag or "").startswith("-"):
        if following.tag == "-text" and following.text(deep=False).strip():
            return None
        following = following.next
    return following


def _counts_as_link(href: str | None) -> bool:
    if not href:
        return False
    href = href.strip().lower()
    return not href.startswith(("#", "javascript:"))
