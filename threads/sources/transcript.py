"""Discourse topic transcripts: `user | date | #N` headers, `[quote="user, post:N"]` blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.quote_headers import split_declared_lines

FORMAT = "discourse-transcript"
_HEADER = re.compile(
    r"^(?P<author>\S[^|]{0,80}?) \| (?P<date>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)"
    r"\s*(?P<zone>UTC|Z|[+-]\d{2}:?\d{2})? \| #(?P<number>\d+)$"
)
_SEPARATOR = re.compile(r"^-{5,}$")


def looks_like_transcript(lines: Sequence[str]) -> bool:
    """Whether text is a Discourse transcript: its first line of text is a `user | date | #N` header."""
    for line in lines:
        if line.strip():
            return bool(_HEADER.match(line.strip()))
    return False


def read_transcript(lines: Sequence[str], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a Discourse transcript (the `posts/raw` export of a topic).

    Each `user | 2022-01-24 00:24:45 UTC | #N` line opens post "N" by `user` at that time (UTC);
    `-----` lines separate posts. `[quote="user, post:N, topic:T"] ... [/quote]` blocks stay
    inline as the reader sees them and become quote marks naming post N and its author; the tag
    lines, headers and separators are kept as Boilerplate records.

    Args:
        lines: the text, split into lines.
        source: where the text came from.

    Returns:
        The draft, format "discourse-transcript", post ids = post numbers.
    """
    records: list[Boilerplate] = []
    warnings: list[str] = []
    headed: list[tuple[re.Match[str], list[str]]] = []
    for line in lines:
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            headed.append((header, []))
        elif _SEPARATOR.match(stripped):
            records.append(Boilerplate(headed[-1][0]["number"] if headed else None, "separator", stripped))
        elif headed:
            headed[-1][1].append(line)
        elif stripped:
            records.append(Boilerplate(None, "page_header", stripped))
    posts = []
    for header, body in headed:
        post_id = header["number"]
        records.append(Boilerplate(post_id, "post_header", header.group(0)))
        declared = split_declared_lines(body, post_id=post_id)
        records.extend(declared.boilerplate)
        posts.append(
            PostDraft(
                text=declared.text,
                id=post_id,
                author=header["author"].strip(),
                created_at=_timestamp(header["date"], header["zone"], post_id, warnings),
                quotes=declared.quotes,
            )
        )
    return ThreadDraft(
        format=FORMAT, posts=posts, source=source, boilerplate=tuple(records), warnings=tuple(warnings)
    )


def _timestamp(date: str, zone: str | None, post_id: str, warnings: list[str]) -> datetime | None:
    suffix = "+00:00" if zone in (None, "UTC", "Z") else zone
    try:
        moment = datetime.fromisoformat(date.replace(" ", "T") + suffix)
    except ValueError:
        warnings.append(f"post {post_id}: unreadable date {date!r}; left empty")
        return None
    return moment.astimezone(UTC)
