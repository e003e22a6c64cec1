"""Which thread a saved page belongs to: its canonical URL with the page number taken out."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

# Query parameters that select a page or a post within a thread, not the thread itself.
_PAGE_PARAMETERS = frozenset(
    {"page", "start", "st", "p", "pid", "sid", "s", "highlight", "view", "postcount"}
)
_PAGE_SUFFIX = re.compile(r"(?:/page[-/]?\d+|-page\d+|/\d+)/?$", re.I)
_THREAD_PATH = re.compile(r"/(?:t|topic|threads?|showthread\.php)/", re.I)


def page_thread_key(tree: LexborHTMLParser) -> str | None:
    """The key (`ThreadDraft.key`) of the thread a page shows, from `link[rel=canonical]` or `og:url`.

    Returns:
        `"html:<url without page part>"`, or None when the page names no URL of itself.
    """
    for selector, attribute in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        value = (node.attributes.get(attribute) or "").strip() if node is not None else ""
        if value:
            return f"html:{thread_url(value)}"
    return None


def thread_url(url: str) -> str:
    """`url` without what selects a page or post: `/page-2`, `/page/2`, `?page=2`, `&start=20`, `#post-5`.

    A trailing number is taken as a page or post index only under a thread path (`/t/`,
    `/topic/`, `/threads/`, `showthread.php/`) after the thread's own id and slug.
    """
    parts = urlsplit(url.strip())
    query = urlencode(
        [(name, value) for name, value in parse_qsl(parts.query) if name.lower() not in _PAGE_PARAMETERS]
    )
    path = parts.path
    match = _PAGE_SUFFIX.search(path)
    if match is not None and (
        not match.group(0).strip("/").isdigit() or _has_thread_id_before(path[: match.start()])
    ):
        path = path[: match.start()]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path.rstrip("/"), query, ""))


def _has_thread_id_before(path: str) -> bool:
    """Whether a thread path already holds the thread id before a trailing number (NodeBB, Discourse)."""
    found = _THREAD_PATH.search(path)
    if found is None:
        return False
    rest = [part for part in path[found.end() :].split("/") if part]
    return any(part.isdigit() for part in rest) and len(rest) >= 2
