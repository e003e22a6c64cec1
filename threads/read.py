"""Entry points: read files, parse text, adopt a DataFrame; each returns an assembled Thread."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from threads.assemble import assemble
from threads.encoding import decode
from threads.errors import InputError, UnknownFormatError
from threads.model import Thread, ThreadDraft
from threads.sources.html import read_html
from threads.sources.sniff import sniff
from threads.sources.table import read_frame, read_table_bytes
from threads.sources.text import read_text

FORMATS = ("auto", "text", "csv", "jsonl", "parquet", "html")
MAX_INPUT_BYTES = 512 * 1024 * 1024


def read(
    path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    format: str = "auto",
    engine: str | None = None,
) -> Thread:
    """Read a thread from a file (or several pages of one thread).

    Args:
        path_or_paths: a file path, or a sequence of paths (pages of one thread, in order).
        format: one of `FORMATS`; "auto" detects it from the content.
        engine: for saved HTML pages, the forum engine (`threads.sources.engines.ENGINE_NAMES`)
            instead of detecting it.

    Returns:
        The assembled Thread.

    Raises:
        InputError: a file is missing, empty, binary, malformed or too large.
        UnknownFormatError: the content matches no known format.
    """
    paths = [path_or_paths] if isinstance(path_or_paths, str | os.PathLike) else list(path_or_paths)
    if len(paths) != 1:
        raise InputError(f"expected one file, got {len(paths)}")
    path = Path(paths[0])
    data = _read_bytes(path)
    return parse_bytes(data, format=format, source=str(path), engine=engine)


def parse_bytes(
    data: bytes, *, format: str = "auto", source: str | None = None, engine: str | None = None
) -> Thread:
    """Parse the raw bytes of one source into a Thread (see `read`)."""
    if format not in FORMATS:
        raise UnknownFormatError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    family = sniff(data, name=source or "") if format == "auto" else format
    draft: ThreadDraft
    if family in ("parquet", "csv", "jsonl"):
        if not data.strip():
            raise InputError("input is empty")
        draft = read_table_bytes(data, kind=family, source=source)
    elif family == "text":
        text, _ = decode(data)
        draft = read_text(text, source=source)
    elif family == "html":
        draft = read_html(data, engine=engine, source=source)
    else:
        raise UnknownFormatError(f"{family} input is not supported yet")
    return assemble(draft, source_bytes=data)


def parse(text: str, *, format: str = "auto", source: str | None = None, engine: str | None = None) -> Thread:
    """Parse a thread from text already in memory (copied page text, JSON, HTML, CSV ...)."""
    return parse_bytes(text.encode("utf-8"), format=format, source=source, engine=engine)


def from_frame(frame: pl.DataFrame, *, source: str | None = None) -> Thread:
    """Adopt a polars posts table (`text` plus optional `id, author, created_at, reply_to`)."""
    return assemble(read_frame(frame, source=source))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {size:,} bytes is over the {MAX_INPUT_BYTES:,}-byte limit")
        return path.read_bytes()
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a directory") from error
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except PermissionError as error:
        raise InputError(f"{path}: permission denied") from error
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from error
