"""Forum and site UI strings that copied page text carries but no author wrote."""

from __future__ import annotations

import re

# Member titles that forum engines print under a user name. Copied page text keeps them
# even when it drops the name, so a run of them marks where a post starts.
KNOWN_RANKS = frozenset(
    {
        "Registered Member",
        "Senior Member",
        "Junior Member",
        "New Member",
        "Full Member",
        "Active Member",
        "Well-known Member",
        "Well-known member",
        "Established Member",
        "Valued Member",
        "Veteran Member",
        "Platinum Member",
        "Gold Member",
        "Silver Member",
        "Premium Member",
        "Supporting Member",
        "Lifetime Member",
        "Banned",
        "Member",
        "Moderator",
        "Super Moderator",
        "Global Moderator",
        "Forum Moderator",
        "Administrator",
        "Admin",
        "Staff member",
        "Staff Member",
        "Newbie",
        "Guest",
    }
)
MAX_RANK_CHARS = 40
# Unknown titles of the same shape: a few capitalized words ending in a title noun.
_RANK_PATTERN = re.compile(
    r"^(?:[A-Z][\w'-]*\s){0,3}(?:Member|Moderator|Administrator|Poster|Contributor|Veteran|Newbie)$"
)

_LINK_PLACEHOLDERS = re.compile(
    r"^(?:Please,? )?(?:Log ?in|Sign ?in) (?:or|to) (?:Register|Sign ?up)"
    r"(?: to view(?: URLs| links| the)?(?: content)?)?[!.]?$"
    r"|^You (?:must|need to) (?:log ?in|be registered|register)[^.]{0,60}(?:links?|URLs?|content)[!.]?$"
    r"|^\[?Only registered(?: and activated)? users can see links\.? ?\]?$"
    r"|^\[(?:IMG|URL|LINK|MEDIA)\]$",
    re.IGNORECASE,
)
# How every line the four patterns below (edited note, link placeholder, post button or counter)
# can start, matched as they match it (the same case rule); an attachment name is told by its end.
UI_START = re.compile(
    r"Last edited|\[|(?i:please|log|sign|you|only|reaction|like|reply|quote|multi|report|share|bookmark"
    r"|click|show|top|back|thanks)"
)
_ATTACHMENT = re.compile(
    r"^[^\n/\\]{1,200}\.(?:jpe?g|png|gif|webp|bmp|tiff?|heic|svg|pdf|mp4|webm)$", re.IGNORECASE
)
_EDITED = re.compile(r"^Last edited(?: by [^:;]{1,60})?[:;]?(?:\s.{0,60})?$")
_URL_LINE = re.compile(r"^<?https?://\S+>?$")
# Buttons and counters of a post's footer that copied page text keeps (XenForo, vBulletin, phpBB).
_POST_UI = re.compile(
    r"^(?:Reactions?:\s.{1,200}|Like|Likes?:\s?\d+|Reply|Quote|Multi-?Quote|Report|Share|Bookmark"
    r"|Click to shrink\.\.\.|Show hidden low quality content|You must log in or register to reply here\.?"
    r"|Top|Back to top|Thanks|Reply With Quote|Like Reply|Reply Report)$",
    re.IGNORECASE,
)

# Comment forms under blog posts (WordPress and similar) in the languages the seeds use.
COMMENT_FORM_HEADINGS = frozenset(
    {
        "답글 남기기",
        "댓글 남기기",
        "Leave a Reply",
        "Leave a Reply Cancel reply",
        "Leave a Comment",
        "Leave a comment",
        "发表评论",
        "发表回复",
        "コメントを残す",
        "Laisser un commentaire",
        "Schreibe einen Kommentar",
        "Deja una respuesta",
    }
)
_COMMENT_FORM_LINES = re.compile(
    r"이메일 주소는 공개되지 않습니다|필수 필드는|Your email address will not be published"
    r"|Required fields are marked|Save my name, email, and website|您的电子邮箱地址不会被公开"
    r"|必填项已用|メールアドレスが公開されることはありません|^Cancel reply$|^Post Comment$"
    r"|^(?:댓글|이름|이메일|웹사이트|Comment|Name|Email|Website)\s?\*?$"
)
# Site chrome that feeds and aggregators insert between items.
_SITE_CHROME = re.compile(r"^(?:获取更多RSS|Get more RSS|More RSS)\s*[:：]?\s*$", re.IGNORECASE)
_DATELINE = re.compile(r"\b(?:19|20)\d{2}\b")
_DATE_WORDS = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
    r"|\d+(?:st|nd|rd|th)?|posted|published|updated|on|at|am|pm|utc",
    re.IGNORECASE,
)
_MAX_DATELINE_LETTERS = 6
_READING_TIME = re.compile(r"\b\d+\s*(?:min|minutes?)\b.*\b\d[\d,]*\s*words?\b", re.IGNORECASE)


def is_rank(line: str) -> bool:
    """Whether a whole line is a member title ("Senior Member", "Moderator", ...)."""
    stripped = line.strip()
    return 0 < len(stripped) <= MAX_RANK_CHARS and (
        stripped in KNOWN_RANKS or bool(_RANK_PATTERN.match(stripped))
    )


def is_known_rank(line: str) -> bool:
    """Whether a whole line is one of `KNOWN_RANKS`."""
    return line.strip() in KNOWN_RANKS


def post_ui_kind(stripped: str) -> str | None:
    """What UI string a stripped line of a post is: "edited", "link", "attachment", "post_ui" or None.

    The first that applies, in that order, of `is_edited_marker`, `is_link_placeholder`,
    `is_attachment_name` and `is_post_ui`.
    """
    # One look at its start and at its last five characters (an attachment's extension has three
    # or four letters after the dot) rules out a line of prose, instead of four patterns.
    if not (UI_START.match(stripped) or "." in stripped[-5:-3]):
        return None
    if is_edited_marker(stripped):
        return "edited"
    if is_link_placeholder(stripped):
        return "link"
    if is_attachment_name(stripped):
        return "attachment"
    if is_post_ui(stripped):
        return "post_ui"
    return None


def is_link_placeholder(line: str) -> bool:
    """Whether a line is a forum's stand-in for a link guests may not see."""
    return bool(_LINK_PLACEHOLDERS.match(line.strip()))


def is_attachment_name(line: str) -> bool:
    """Whether a line is only the file name of an attached image or file ("photo 2.jpg")."""
    return bool(_ATTACHMENT.match(line.strip()))


def is_edited_marker(line: str) -> bool:
    """Whether a line is a "Last edited:" note (with or without its date and editor)."""
    return bool(_EDITED.match(line.strip()))


def is_post_ui(line: str) -> bool:
    """Whether a line is a post's button or counter ("Reply", "Reactions: ann, bob and 3 others")."""
    return bool(_POST_UI.match(line.strip()))


def is_url_line(line: str) -> bool:
    """Whether a line is a bare URL and nothing else."""
    return bool(_URL_LINE.match(line.strip()))


def is_comment_form_heading(line: str) -> bool:
    """Whether a line opens a blog's comment form ("Leave a Reply", "답글 남기기", ...)."""
    return line.strip() in COMMENT_FORM_HEADINGS


def is_comment_form_line(line: str) -> bool:
    """Whether a line is a comment form's label or notice ("Required fields are marked *")."""
    stripped = line.strip()
    return is_comment_form_heading(stripped) or bool(_COMMENT_FORM_LINES.search(stripped))


def is_site_chrome(line: str) -> bool:
    """Whether a line is aggregator or site chrome ("获取更多RSS:")."""
    return bool(_SITE_CHROME.match(line.strip()))


def is_dateline(line: str) -> bool:
    """Whether a short line is only a date or a byline ("July 21, 2025  57 min  12109 words")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return False
    if _READING_TIME.search(stripped):
        return True
    if not _DATELINE.search(stripped):
        return False
    # Once dates, month and weekday names are gone, a dateline has almost no letters left.
    rest = _DATE_WORDS.sub("", stripped)
    return sum(char.isalpha() for char in rest) <= _MAX_DATELINE_LETTERS
