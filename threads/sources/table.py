"""Generic posts tables (JSONL, CSV, Parquet, a polars DataFrame): id, author, created_at, text, reply_to."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

import polars as pl

from threads.errors import InputError
from threads.model import PostDraft, ThreadDraft

REQUIRED_COLUMNS = ("text",)
# Parquet is compressed: a file of under a megabyte can hold gigabytes of repeated text. Its rows and
# text are counted before anything is built from them, against the limits an uncompressed input has.
MAX_TABLE_ROWS = 2_000_000
MAX_TABLE_TEXT_BYTES = 512 * 1024 * 1024
OPTIONAL_COLUMNS = ("id", "author", "author_id", "created_at", "reply_to", "title")


def read_frame(frame: pl.DataFrame, *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a posts table, one row a post, in row order.

    Columns: `text` (required); `id`, `author`, `author_id`, `created_at` (datetime, ISO string
    or Unix seconds) and `reply_to` (a post id, or a list of them) are optional; a `title`
    column's first value becomes the thread title. Other columns are ignored.

    Raises:
        InputError: the table has no `text` column or no rows.
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise InputError(
            f"posts table has no {', '.join(missing)} column (columns: {', '.join(frame.columns)})"
        )
    if frame.height == 0:
        raise InputError("posts table has no rows")
    warnings: list[str] = []
    # Each column as one Python list (the values `iter_rows` would give, without a dict per row);
    # a missing column is an endless run of None, so `zip` stops at the table's height.
    texts, ids, authors, author_ids, times, replies = (
        frame.get_column(name).to_list() if name in frame.columns else repeat(None)
        for name in ("text", "id", "author", "author_id", "created_at", "reply_to")
    )
    posts = [
        PostDraft(
            text=_text(text),
            id=_optional_str(post_id),
            author=_optional_str(author),
            author_id=_optional_str(author_id),
            created_at=_timestamp(created_at, number, warnings),
            reply_to=_reply_to(reply_to),
        )
        for number, (text, post_id, author, author_id, created_at, reply_to) in enumerate(
            zip(texts, ids, authors, author_ids, times, replies, strict=False), start=1
        )
    ]
    title = _optional_str(frame["title"][0]) if "title" in frame.columns else None
    return ThreadDraft(format="table", posts=posts, title=title, source=source, warnings=tuple(warnings))


def read_table_bytes(data: bytes, *, kind: str, source: str | None = None) -> ThreadDraft:
    """Draft a thread from the bytes of a JSONL, CSV or Parquet posts table.

    Raises:
        InputError: the bytes are not a readable table of that kind.
    """
    try:
        if kind == "parquet":
            frame = _read_parquet(data)
        elif kind == "csv":
            frame = pl.read_csv(io.BytesIO(data), infer_schema=False, truncate_ragged_lines=True)
        else:
            rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
            if not all(isinstance(row, dict) for row in rows):
                raise InputError("JSONL posts table: every line must be a JSON object")
            frame = pl.DataFrame(rows, infer_schema_length=None)
    except InputError:
        raise
    # polars and json raise many types for bad files; a panic in polars' Rust code is a BaseException
    except (Exception, pl.exceptions.PanicException) as error:
        raise InputError(f"unreadable {kind} posts table: {_one_line(error)}") from error
    return read_frame(frame, source=source)


def _read_parquet(data: bytes) -> pl.DataFrame:
    """Read a Parquet file, refusing one that inflates past the limits (a decompression bomb)."""
    frame = pl.read_parquet(io.BytesIO(data))  # strings are views into shared buffers: still small
    if frame.height > MAX_TABLE_ROWS:
        raise InputError(f"Parquet table has {frame.height:,} rows, over the {MAX_TABLE_ROWS:,}-row limit")
    text = frame.select(
        pl.col(pl.String).str.len_bytes().cast(pl.UInt64).sum(),
        pl.col(pl.List(pl.String)).list.eval(pl.element().str.len_bytes()).list.sum().cast(pl.UInt64).sum(),
    )
    total = sum(value or 0 for value in text.row(0)) if text.width else 0
    if total > MAX_TABLE_TEXT_BYTES:
        raise InputError(
            f"Parquet table holds {total:,} bytes of text once inflated, over the "
            f"{MAX_TABLE_TEXT_BYTES:,}-byte limit"
        )
    return frame


def read_frame_rows(rows: list[Any], *, source: str | None = None, title: Any = None) -> ThreadDraft:
    """Draft a thread from parsed JSON rows, one object per post (see `read_frame`).

    Args:
        rows: the parsed posts.
        source: where they came from.
        title: a thread title given beside the rows; used when the rows have no `title` column.

    Raises:
        InputError: a row is not an object, the rows do not make a table, or there is no `text`.
    """
    if not rows:
        raise InputError("posts array is empty")
    if not all(isinstance(row, dict) for row in rows):
        raise InputError("posts array: every post must be a JSON object")
    try:
        frame = pl.DataFrame(rows, infer_schema_length=None)
    except Exception as error:  # polars raises many types for ragged or mixed-type rows
        raise InputError(f"posts array is not a table: {_one_line(error)}") from error
    draft = read_frame(frame, source=source)
    if draft.title is None and isinstance(title, str) and title.strip():
        draft = replace(draft, title=title.strip())
    return draft


def _one_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _reply_to(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(text for item in values if (text := _optional_str(item)) is not None)


def _timestamp(value: Any, number: int, warnings: list[str]) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, int | float):
            moment = datetime.fromtimestamp(float(value), tz=UTC)
        else:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        warnings.append(f"row {number}: unreadable created_at {str(value)[:40]!r}; left empty")
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
