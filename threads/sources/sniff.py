"""Name the input family of some bytes from their content, the file name only as a tie-breaker."""

from __future__ import annotations

import re

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<div|<article|<\?xml)", re.I)
_HTML_TAGS = re.compile(rb"<(div|p|blockquote|article|span|a)\b[^>]*>", re.I)


def sniff(data: bytes, *, name: str = "") -> str:
    """Return the input family: "parquet", "json", "jsonl", "csv", "html" or "text".

    JSON documents are told apart further by `threads.read` once parsed.
    """
    lowered = name.lower()
    if data.startswith(b"PAR1"):
        return "parquet"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        first_line = head.split(b"\n", 1)[0].rstrip()
        if lowered.endswith(".jsonl") or (
            head[:1] == b"{" and first_line.endswith(b"}") and b"\n{" in data[:65536]
        ):
            return "jsonl"
        return "json"
    if _HTML_START.match(head) or lowered.endswith((".html", ".htm")) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if lowered.endswith(".csv"):
        return "csv"
    return "text"
