"""Entry points: read files, parse text, adopt a DataFrame; each returns an assembled Thread."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from threads.assemble import assemble
from threads.collector import collector_paused
from threads.encoding import decode, refuse_binary
from threads.errors import InputError, UnknownFormatError
from threads.merge import group_pages, merge_drafts
from threads.model import Thread, ThreadDraft
from threads.sources import convokit
from threads.sources.html import read_html
from threads.sources.json import load_jsonl, read_json_bytes, read_jsonl_bytes
from threads.sources.sniff import sniff
from threads.sources.table import read_frame, read_table_bytes
from threads.sources.text import read_text

FORMATS = ("auto", "text", "csv", "json", "jsonl", "parquet", "html")
MAX_INPUT_BYTES = 512 * 1024 * 1024
MAX_FOLDER_FILES = 100_000
PathLike = str | os.PathLike[str]


def read(
    path_or_paths: PathLike | Sequence[PathLike],
    *,
    format: str = "auto",
    engine: str | None = None,
) -> Thread:
    """Read a thread from a file, from several pages of one thread, or from a folder.

    Several paths are pages of one thread, in the order given: their posts are merged (posts
    captured twice dropped, see `threads.merge`) before quotes are resolved, so quotes link
    across pages. A ConvoKit corpus directory is one source (its conversations read as pages
    of one thread; `read_threads` keeps them apart); any other folder stands for its files
    (sorted by name, hidden files skipped) as pages.

    Args:
        path_or_paths: a file or folder path, or a sequence of them (pages of one thread, in order).
        format: one of `FORMATS`; "auto" detects it from the content.
        engine: for saved HTML pages, the forum engine (`threads.sources.engines.ENGINE_NAMES`)
            instead of detecting it.

    Returns:
        The assembled Thread.

    Raises:
        InputError: a file is missing, empty, binary, malformed or too large; no file is given.
        UnknownFormatError: the content matches no known format.
    """
    sources = expand_inputs(_as_list(path_or_paths))
    with collector_paused():
        drafts, digests = _drafts(sources, format, engine)
        return _assemble_pages(drafts, digests, range(len(drafts)))


def read_threads(
    paths: Sequence[PathLike],
    *,
    format: str = "auto",
    engine: str | None = None,
    pages: bool = False,
) -> list[Thread]:
    """Read several files (or folders) into threads, merging the pages of each thread.

    Files whose content names the same thread (the same `ThreadDraft.key`: engine and thread id
    or URL) are pages of that thread and merged in the order given; every other file is a
    thread of its own. With `pages=True` every file is a page of one single thread.

    Args:
        paths: files, folders (their files, sorted by name) or ConvoKit corpus directories
            (one thread per conversation).
        format: one of `FORMATS`; "auto" detects each file's format from its content.
        engine: for saved HTML pages, the forum engine instead of detecting it.
        pages: treat all inputs as pages of one thread.

    Returns:
        The threads, in order of their first file.

    Raises:
        InputError: a file is missing, empty, binary, malformed or too large; no file is given.
        UnknownFormatError: a file's content matches no known format.
    """
    sources = expand_inputs(list(paths))
    with collector_paused():
        drafts, digests = _drafts(sources, format, engine)
        groups = [list(range(len(drafts)))] if pages else group_pages(drafts)
        return [_assemble_pages(drafts, digests, group) for group in groups]


def _as_list(path_or_paths: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(path_or_paths, str | os.PathLike):
        return [path_or_paths]
    return list(path_or_paths)


def expand_inputs(paths: Sequence[PathLike]) -> list[Path]:
    """The input files: folders (not ConvoKit corpora) replaced by their files, sorted by name.

    Raises:
        InputError: no path is given, a folder is unreadable or empty, or there are too many files.
    """
    if not paths:
        raise InputError("no input file given")
    sources: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir() and not convokit.is_corpus_dir(entry):
            try:
                files = sorted(
                    child for child in entry.iterdir() if child.is_file() and not child.name.startswith(".")
                )
            except OSError as error:
                raise InputError(f"{entry}: {error.strerror or error}") from error
            if not files:
                raise InputError(f"{entry}: folder has no files")
            sources.extend(files)
        else:
            sources.append(entry)
        if len(sources) > MAX_FOLDER_FILES:
            raise InputError(f"more than {MAX_FOLDER_FILES:,} input files")
    return sources


def _drafts(sources: list[Path], format: str, engine: str | None) -> tuple[list[ThreadDraft], list[bytes]]:
    drafts: list[ThreadDraft] = []
    digests: list[bytes] = []
    for path in sources:
        try:
            found, found_digests = _source_drafts(path, format, engine)
        except InputError as error:
            # Of many inputs (a folder, a glob) the message must say which one is bad.
            if str(error).startswith(f"{path}: "):
                raise
            raise type(error)(f"{path}: {error}") from error
        drafts.extend(found)
        digests.extend(found_digests)
    return drafts, digests


def _source_drafts(path: Path, format: str, engine: str | None) -> tuple[list[ThreadDraft], list[bytes]]:
    """The drafts of one source (a ConvoKit corpus holds several) and the digests that identify them."""
    if convokit.is_corpus_dir(path):
        data = _read_bytes(path / convokit.UTTERANCES)
        conversations = convokit.read_corpus_dir(path, load_jsonl(data))
        digests = [hashlib.sha256(data + (draft.key or "").encode()).digest() for draft in conversations]
        return conversations, digests
    data = _read_bytes(path)
    draft = draft_bytes(data, format=format, source=str(path), engine=engine)
    return [draft], [hashlib.sha256(data).digest()]


def _assemble_pages(drafts: list[ThreadDraft], digests: list[bytes], group: Sequence[int]) -> Thread:
    merged = merge_drafts([drafts[index] for index in group])
    # The id `assemble` gives one source (a hash of its bytes), computed from the kept digest so
    # no page stays in memory; pages hash the sequence of their digests.
    if len(group) == 1:
        identity = digests[group[0]].hex()[:16]
    else:
        identity = hashlib.sha256(b"".join(digests[index] for index in group)).hexdigest()[:16]
    return assemble(merged, thread_id=identity)


def parse_bytes(
    data: bytes, *, format: str = "auto", source: str | None = None, engine: str | None = None
) -> Thread:
    """Parse the raw bytes of one source into a Thread (see `read`)."""
    with collector_paused():
        return assemble(draft_bytes(data, format=format, source=source, engine=engine), source_bytes=data)


def draft_bytes(
    data: bytes, *, format: str = "auto", source: str | None = None, engine: str | None = None
) -> ThreadDraft:
    """The reader's draft of one source's raw bytes, before assembly (see `read`).

    Raises:
        InputError: the bytes are empty, binary or malformed for their format.
        UnknownFormatError: `format` is unknown, or the content matches no known format.
    """
    if format not in FORMATS:
        raise UnknownFormatError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    if not data.startswith(b"PAR1"):
        refuse_binary(data)  # before the file name can send an image to the HTML reader
    family = sniff(data, name=source or "") if format == "auto" else format
    if family in ("parquet", "csv"):
        if not data.strip():
            raise InputError("input is empty")
        return read_table_bytes(data, kind=family, source=source)
    if family == "json":
        return read_json_bytes(data, source=source)
    if family == "jsonl":
        return read_jsonl_bytes(data, source=source)
    if family == "text":
        text, _ = decode(data)
        return read_text(text, source=source)
    if family == "html":
        return read_html(data, engine=engine, source=source)
    raise UnknownFormatError(f"{family} input is not supported yet")


def parse(text: str, *, format: str = "auto", source: str | None = None, engine: str | None = None) -> Thread:
    """Parse a thread from text already in memory (copied page text, JSON, HTML, CSV ...)."""
    return parse_bytes(text.encode("utf-8"), format=format, source=source, engine=engine)


def from_frame(frame: pl.DataFrame, *, source: str | None = None) -> Thread:
    """Adopt a polars posts table (`text` plus optional `id, author, created_at, reply_to`)."""
    with collector_paused():
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
