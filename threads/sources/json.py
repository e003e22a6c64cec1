"""JSON and JSONL inputs: parse them with guards, then hand them to the reader whose shape they have."""

from __future__ import annotations

import json
from typing import Any

from threads.encoding import decode
from threads.errors import InputError, UnknownFormatError
from threads.model import ThreadDraft
from threads.sources import convokit, discourse, forumdl, forumscraper, iac, reddit
from threads.sources.table import read_frame_rows
from threads.sources.values import json_type

# Python's parser recurses once per nesting level; its recursion limit (about 1,000) is the cap.
MAX_JSONL_LINES = 5_000_000


def load_json(data: bytes) -> Any:
    """Parse JSON bytes (any Unicode encoding, BOM or not).

    Raises:
        InputError: the input is empty, malformed, or nested too deeply to parse.
    """
    text, _ = decode(data)
    try:
        return json.loads(text, parse_int=_parse_int)
    except RecursionError as error:
        raise InputError("JSON is nested too deeply (over about 1,000 levels)") from error
    except json.JSONDecodeError as error:
        raise InputError(f"malformed JSON: {error.msg}: line {error.lineno} column {error.colno}") from error


def _parse_int(digits: str) -> int | str:
    # Python refuses to convert integers of over 4,300 digits (a denial-of-service guard) and raises
    # a bare ValueError. No count or time is that long: such a number can only be an id, so keep
    # its digits as text.
    return int(digits) if len(digits) <= 100 else digits


# `json.loads(line, parse_int=...)` builds a decoder per call (a third of the time on short lines);
# one decoder serves every line. (`json.loads` also refuses a str that starts with a BOM: kept.)
_JSON_DECODER = json.JSONDecoder(parse_int=_parse_int)


def load_jsonl(data: bytes) -> list[Any]:
    """Parse JSON Lines bytes: one JSON value per non-blank line.

    Raises:
        InputError: a line is malformed or nested too deeply, or there are no lines.
    """
    text, _ = decode(data)
    rows: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(rows) >= MAX_JSONL_LINES:
            raise InputError(f"JSONL input has more than {MAX_JSONL_LINES:,} lines")
        try:
            if line.startswith("\ufeff"):
                rows.append(json.loads(line, parse_int=_parse_int))  # raises as json.loads does
            else:
                rows.append(_JSON_DECODER.decode(line))
        except RecursionError as error:
            raise InputError(f"JSONL line {number} is nested too deeply") from error
        except json.JSONDecodeError as error:
            raise InputError(f"malformed JSONL: line {number}: {error.msg}: column {error.colno}") from error
    if not rows:
        raise InputError("input is empty")
    return rows


def read_json_bytes(data: bytes, *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a JSON document, choosing the reader by the document's shape.

    Shapes: Discourse topic (`post_stream`), Reddit API comment listings, nested Reddit
    comment dumps (`comments` keyed by id), forumscraper threads (`posts[]` of HTML bodies),
    Internet Argument Corpus discussions (`[posts, annotations, metadata]`, posts as arrays),
    and generic posts tables (an array of post objects, or an object with such a `posts` array).

    Raises:
        InputError: the JSON is malformed, nested too deeply, or has a known shape with wrong types.
        UnknownFormatError: the JSON has no shape threadlens knows.
    """
    return read_json_document(load_json(data), source=source)


def read_json_document(document: Any, *, source: str | None = None) -> ThreadDraft:
    """`read_json_bytes` for a document already parsed."""
    if discourse.is_topic(document):
        return discourse.read_topic(document, source=source)
    if reddit.is_listing(document):
        return reddit.read_listing(document, source=source)
    if reddit.is_nested_dump(document):
        return reddit.read_nested_dump(document, source=source)
    if forumscraper.is_thread(document):
        return forumscraper.read_thread(document, source=source)
    if iac.is_discussion(document):
        return iac.read_discussion(document, source=source)
    if isinstance(document, list):
        if not document:
            raise InputError("JSON array is empty: no posts")
        if convokit.is_utterances(document):
            return convokit.read_utterances(document, source=source)
        return read_frame_rows(document, source=source)
    if isinstance(document, dict) and isinstance(document.get("posts"), list):
        return read_frame_rows(document["posts"], source=source, title=document.get("title"))
    raise UnknownFormatError(
        f"JSON {json_type(document).split()[-1]} of no known thread shape "
        "(Discourse topic, Reddit listing, forumscraper thread, IAC discussion, ConvoKit utterances, "
        "posts array)"
    )


def read_jsonl_bytes(data: bytes, *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from JSON Lines: forum-dl output, ConvoKit utterances, or a posts table.

    Raises:
        InputError: a line is malformed, or the rows are not a usable posts table.
    """
    rows = load_jsonl(data)
    if forumdl.is_forumdl(rows):
        return forumdl.read_rows(rows, source=source)
    if convokit.is_utterances(rows):
        return convokit.read_utterances(rows, source=source)
    return read_frame_rows(rows, source=source)
