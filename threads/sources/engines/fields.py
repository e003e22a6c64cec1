"""What engine adapters pull out of a post's markup: the PagePost record and small field readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborNode

from threads.sources.html_quotes import post_id_from_href

__all__ = [
    "PagePost",
    "attr_digits",
    "first",
    "node_text",
    "page_utc_offset",
    "parse_forum_date",
    "post_id_from_href",
    "texts",
    "user_id_from_href",
]

# Date layouts forum engines print, tried in order after white space is collapsed.
_DATE_FORMATS = (
    "%a %b %d, %Y %I:%M %p",  # phpBB 3.0: Sun May 26, 2019 4:34 pm
    "%a %b %d, %Y %H:%M",
    "%b %d, %Y at %I:%M %p",  # XenForo 1: Oct 30, 2014 at 10:49 PM
    "%b %d, %Y %I:%M %p",
    "%m-%d-%Y, %I:%M %p",  # vBulletin: 06-15-2016, 03:03 PM
    "%m-%d-%Y %I:%M %p",
    "%d-%m-%Y, %H:%M",
    "%B %d, %Y, %I:%M:%S %p",  # SMF: May 01, 2020, 10:15:22 PM
    "%B %d, %Y, %I:%M %p",
    "%d %b %Y, %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
# "All times are UTC - 5 hours [ DST ]" (phpBB), "All times are GMT -5. The time now is" (vBulletin).
# Matched on the page's visible text, never on its markup.
_TIMEZONE_NOTE = re.compile(r"All times are (?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?:[:.](\d\d))?)?", re.I)


@dataclass(frozen=True, slots=True)
class PagePost:
    """One post as an engine adapter located it on a page, before its body is rendered.

    `body` is the element holding the post's own markup (None when the page lost it, e.g. a
    truncated save); every other field is what the page shows, None or empty when it does not.
    """

    body: LexborNode | None
    id: str | None = None
    author: str | None = None
    author_id: str | None = None
    ranks: tuple[str, ...] = ()
    created_at: datetime | None = None
    edited: bool = False
    reply_to: tuple[str, ...] = ()
    signature: str | None = None


def node_text(node: LexborNode | None) -> str | None:
    """The visible text of an element with white space collapsed; None for no element or no text."""
    if node is None:
        return None
    text = " ".join(node.text(deep=True).split())
    return text or None


def first(node: LexborNode, *selectors: str) -> LexborNode | None:
    """The first element matching the first selector that matches anything (selectors by priority).

    A comma list would return the earliest element in page order instead, often a wrapper.
    """
    for selector in selectors:
        found = node.css_first(selector)
        if found is not None:
            return found
    return None


def texts(nodes: list[LexborNode]) -> tuple[str, ...]:
    """The distinct non-empty texts of some elements, in order."""
    found: list[str] = []
    for node in nodes:
        text = node_text(node)
        if text and text not in found:
            found.append(text)
    return tuple(found)


def attr_digits(node: LexborNode | None, name: str) -> str | None:
    """The trailing number of an attribute ("post-114210" -> "114210", "post: 7" -> "7")."""
    if node is None:
        return None
    value = (node.attributes.get(name) or "").strip()
    digits = ""
    for char in reversed(value):
        if not char.isdigit():
            break
        digits = char + digits
    return digits or None


def user_id_from_href(href: str | None) -> str | None:
    """A member id from a profile link: `?u=N`, `members/name.N/`, `member.php/N-name`, `profile/N-name`."""
    if not href:
        return None
    parts = urlsplit(href.strip())
    query = parse_qs(parts.query.replace(";", "&"))
    for name in ("u", "userid", "user_id", "id"):
        for value in query.get(name, ()):
            if value.isdigit():
                return value
    segments = [segment for segment in parts.path.split("/") if segment]
    for segment in reversed(segments):
        head = segment.split("-", 1)[0]
        if head.isdigit():
            return head
        tail = segment.rsplit(".", 1)[-1]
        if "." in segment and tail.isdigit():
            return tail
    return None


def parse_forum_date(value: str | None, *, utc_offset: timedelta = timedelta(0)) -> datetime | None:
    """Read a date as forum pages print it (ISO 8601, Unix seconds or milliseconds, or a layout
    of `_DATE_FORMATS`) and return it in UTC.

    Args:
        value: the text or attribute value.
        utc_offset: the page's time zone, for dates printed without one.

    Returns:
        A timezone-aware UTC datetime, or None when the text is no date this knows.
    """
    if not value:
        return None
    text = " ".join(value.replace("\u00a0", " ").split()).strip(" «»,")
    if not text:
        return None
    if text.isdigit():
        number = int(text)
        seconds = number / 1000 if number > 10**11 else number
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for layout in _DATE_FORMATS:
            try:
                moment = datetime.strptime(text, layout)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if moment.tzinfo is None:
        return (moment - utc_offset).replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def page_utc_offset(page_text: str) -> timedelta | None:
    """The time zone a page states for its dates ("All times are UTC - 5 hours [ DST ]"), if any."""
    match = _TIMEZONE_NOTE.search(page_text)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if sign == "-":
        offset = -offset
    tail = page_text[match.end() : match.end() + 40]
    if "DST" in tail:
        offset += timedelta(hours=1)
    return offset
