"""Plain text: pick the layout from the content (transcript, forum page, digest, article) and read it."""

from __future__ import annotations

from threads.errors import InputError, UnknownFormatError
from threads.model import ThreadDraft
from threads.sources.documents import digest_items, read_article, read_digest
from threads.sources.forum_text import forum_blocks, read_forum_text
from threads.sources.transcript import looks_like_transcript, read_transcript

LAYOUTS = ("discourse-transcript", "text-forum", "text-digest", "text-article")
_MAX_LINES = 2_000_000


def read_text(text: str, *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from plain text, choosing the layout from what the text holds.

    In order: a Discourse transcript (`user | date | #N` headers), copied forum page text
    (member-title lines open posts), a news digest (numbered items whose headlines reappear as
    articles), else an article or blog post (one post). The draft's `format` names the layout.

    Args:
        text: the decoded input.
        source: where the text came from.

    Returns:
        The draft for `threads.assemble`.

    Raises:
        InputError: the text holds nothing but white space, or is too many lines long.
        UnknownFormatError: the text holds no letters at all.
    """
    # (Most text has no carriage return: one scan for it instead of two replacements.)
    normalized = (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text).lstrip("\ufeff")
    if not normalized or normalized.isspace():
        raise InputError("input is empty")
    if not any(char.isalpha() for char in normalized):
        raise UnknownFormatError("the text holds no words: it is not a thread in any format threadlens knows")
    # A tuple of strings holds nothing the cycle collector has to follow: after its first look
    # the collector leaves it alone, where it would walk a list of all the lines every time.
    lines = tuple(normalized.split("\n"))
    if len(lines) > _MAX_LINES:
        raise InputError(f"text has {len(lines):,} lines, over the {_MAX_LINES:,}-line limit")
    if looks_like_transcript(lines):
        return read_transcript(lines, source=source)
    forum = forum_blocks(lines)
    if forum is not None:
        return read_forum_text(lines, source=source, forum=forum)
    items = digest_items(lines)
    if items:
        return read_digest(lines, items, source=source)
    return read_article(lines, source=source)
