"""Saved forum pages: the engine is detected, each post located, its body rendered with its quotes."""

from __future__ import annotations

from datetime import timedelta

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser

from threads.encoding import decode
from threads.errors import InputError, UnknownFormatError
from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.sources.engines import ENGINE_NAMES, GENERIC, detect_engine, engine_named, find_posts
from threads.sources.engines.fields import PagePost, first, page_utc_offset
from threads.sources.engines.generic import find_generic_posts
from threads.sources.html_render import RenderedPost, render_fragment
from threads.sources.thread_key import page_thread_key

MAX_PAGE_BYTES = 64 * 1024 * 1024
MAX_POSTS = 100_000
MAX_NESTING = 4_000
# Elements that never hold others, or that the next sibling closes implicitly, do not deepen a page.
_FLAT_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"}
    | {"track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "!doctype"}
)
_CHARSET_SNIFF_BYTES = 16_384
_NON_LATIN_CHARSETS = (
    "cp1251",
    "koi8",
    "mac_cyrillic",
    "cp866",
    "cp855",
    "cp1125",
    "iso8859_5",
    "ptcp154",
    "kz1048",
    "cp1253",
    "iso8859_7",
    "mac_greek",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "iso8859_6",
    "cp874",
    "tis_620",
    "big5",
    "gb",
    "hz",
    "euc",
    "shift_jis",
    "cp932",
    "cp949",
    "cp950",
    "iso2022",
    "johab",
)
# Engines whose pages print dates as text in the forum's time zone (others carry machine timestamps).
_PRINTED_DATES = frozenset({"xenforo1", "phpbb", "vbulletin3", "vbulletin4", "smf", GENERIC})


def read_html(data: bytes, *, engine: str | None = None, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a saved forum page.

    Args:
        data: the page's bytes, in whatever charset it declares (or UTF-8, or a detected one).
        engine: one of `ENGINE_NAMES` to skip detection; None detects the engine from the markup,
            falling back to "generic" (posts found from the page's repeated structure).
        source: where the page came from, kept on the thread.

    Returns:
        The draft; its `format` is the engine name ("xenforo2", "phpbb", ..., "generic").

    Raises:
        InputError: the page is empty, binary or too large.
        UnknownFormatError: `engine` is no known name, or nothing post-like is on the page.
    """
    if engine is not None and engine not in ENGINE_NAMES:
        raise UnknownFormatError(f"unknown forum engine {engine!r}; choose from {', '.join(ENGINE_NAMES)}")
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(f"HTML page of {len(data):,} bytes is over the {MAX_PAGE_BYTES:,}-byte limit")
    text, _ = decode(data, declared=declared_charset(data) or _undeclared_charset(data))
    # Each level of nesting opens at a "<" of its own: a page with no more of them than the limit
    # (most pages) cannot pass it, and is not scanned.
    if text.count("<") > MAX_NESTING and markup_depth(text, limit=MAX_NESTING) > MAX_NESTING:
        # The HTML parser's time grows with the square of nesting depth: refuse before parsing.
        raise InputError(f"HTML nested more than {MAX_NESTING:,} elements deep; not a forum page")
    tree = LexborHTMLParser(text)
    warnings: list[str] = []
    if "</html>" not in text[-4096:].lower():
        warnings.append("the page has no closing </html>: it may be truncated; read what is there")
    body_text = tree.body.text(deep=True) if tree.body is not None else ""
    offset = page_utc_offset(body_text)
    if offset is None:
        offset = timedelta(0)
        note = "dates without a time zone were read as UTC (the page states none)"
    else:
        note = ""
    layout = engine_named(engine) if engine is not None else detect_engine(tree)
    if layout is not None:
        found = find_posts(tree, layout, offset)
        name = layout.name
    else:
        found = find_generic_posts(tree.body, offset) if tree.body is not None else []
        name = GENERIC
        if found:
            warnings.append(
                "forum engine not recognized: posts were found from the page's repeated structure"
            )
    if not found:
        raise UnknownFormatError(
            f"no posts found in the HTML page ({'engine ' + engine if engine else 'no known forum engine'})"
        )
    if len(found) > MAX_POSTS:
        warnings.append(f"the page has {len(found):,} posts; only the first {MAX_POSTS:,} were read")
        found = found[:MAX_POSTS]
    posts, boilerplate = _drafts(found, name, warnings)
    if note and name in _PRINTED_DATES and any(post.created_at is not None for post in posts):
        warnings.append(note)
    titles = (*(layout.titles if layout is not None else ()), "title")
    title_node = first(tree.root, *titles) if tree.root is not None else None
    title = " ".join(title_node.text().split())[:200] if title_node is not None else None
    return ThreadDraft(
        format=name,
        posts=posts,
        title=title or None,
        source=source,
        boilerplate=tuple(boilerplate),
        warnings=tuple(warnings),
        key=page_thread_key(tree),
    )


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in `<meta charset>` or `<meta http-equiv=content-type>`, if any."""
    head = LexborHTMLParser(data[:_CHARSET_SNIFF_BYTES].decode("latin-1"))
    for meta in head.css("meta"):
        charset = meta.attributes.get("charset")
        if charset:
            return charset.strip()
        if (meta.attributes.get("http-equiv") or "").lower() == "content-type" or (
            meta.attributes.get("name") or ""
        ).lower() == "content-type":
            content = meta.attributes.get("content") or ""
            for part in content.split(";"):
                key, _, value = part.partition("=")
                if key.strip().lower() == "charset" and value.strip():
                    return value.strip().strip("\"'")
    return None


def markup_depth(text: str, *, limit: int) -> int:
    """How deep elements nest in some HTML, estimated in one linear scan of its tags.

    Script and style contents are skipped; void and implicitly closed elements do not count.
    The scan stops once `limit` is passed, returning a value over it.
    """
    depth = deepest = 0
    index = text.find("<")
    while index >= 0 and deepest <= limit:
        following = text[index + 1 : index + 2]
        if following == "/":
            depth = max(0, depth - 1)
        elif following.isalpha():
            end = text.find(">", index)
            if end < 0:
                break
            name = text[index + 1 : end].split(None, 1)[0].rstrip("/").lower() if end > index + 1 else ""
            if name in ("script", "style"):
                close = _find_close(text, name, end)  # the closing tag itself is skipped too
                index = text.find("<", close + 1) if close >= 0 else -1
                continue
            if name not in _FLAT_ELEMENTS and text[end - 1] != "/":
                depth += 1
                deepest = max(deepest, depth)
            index = end
        index = text.find("<", index + 1)
    return deepest


def _find_close(text: str, name: str, start: int) -> int:
    for variant in (f"</{name}", f"</{name.upper()}", f"</{name.capitalize()}"):
        found = text.find(variant, start)
        if found >= 0:
            return found
    return -1


def _undeclared_charset(data: bytes) -> str | None:
    """The charset to read a page that declares none and is not UTF-8.

    Browsers read such pages as windows-1252 in Latin-script locales; byte statistics cannot
    tell Latin code pages apart on short pages (French "è" read as cp1250 becomes "č"), so any
    Latin guess becomes cp1252, while a Cyrillic, Greek, Hebrew, Arabic, Thai or CJK guess stands.
    """
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding.lower().startswith(_NON_LATIN_CHARSETS):
        return str(best.encoding)
    return "cp1252"


def _drafts(
    found: list[PagePost], engine: str, warnings: list[str]
) -> tuple[list[PostDraft], list[Boilerplate]]:
    posts: list[PostDraft] = []
    boilerplate: list[Boilerplate] = []
    for position, page_post in enumerate(found, start=1):
        label = page_post.id or f"p{position}"
        if page_post.body is None:
            warnings.append(f"post {label} has no body on the page (truncated?); kept with empty text")
            rendered = RenderedPost(text="")
        else:
            # Unknown pages may carry any engine's quote markup: every rule applies there.
            rules = None if engine == GENERIC else engine
            rendered = render_fragment(page_post.body, engine=rules, post_id=page_post.id)
            boilerplate.extend(rendered.boilerplate)
        if page_post.signature:
            boilerplate.append(Boilerplate(post_id=page_post.id, kind="signature", text=page_post.signature))
            warnings.extend(f"post {label}: {warning}" for warning in rendered.warnings)
        posts.append(
            PostDraft(
                text=rendered.text,
                id=page_post.id,
                author=page_post.author,
                author_id=page_post.author_id,
                ranks=page_post.ranks,
                created_at=page_post.created_at,
                edited=page_post.edited,
                links=rendered.links,
                attachments=rendered.attachments,
                quotes=rendered.quotes,
                reply_to=page_post.reply_to,
            )
        )
    return posts, boilerplate
