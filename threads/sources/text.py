"""Copied page text: one post per document for now (forum layouts are recognized in later work)."""

from __future__ import annotations

from threads.errors import InputError
from threads.model import PostDraft, ThreadDraft


def read_text(text: str, *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from plain text.

    Raises:
        InputError: the text holds nothing but white space.
    """
    body = text.strip()
    if not body:
        raise InputError("input is empty")
    title = body.splitlines()[0].strip()[:200]
    return ThreadDraft(format="text", posts=[PostDraft(text=body)], title=title, source=source)
