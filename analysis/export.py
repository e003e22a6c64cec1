"""Export threads as tables (Parquet, CSV, JSONL) or as a ConvoKit corpus directory."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import polars as pl

from analysis.outputs import (
    replacing_directory,
    replacing_files,
    sweep_leftovers,
    write_bytes_atomic,
    write_parquet,
)
from threads.errors import OutputError, UsageError
from threads.model import Edge, Post, Quote, Thread

EXPORT_FORMATS = ("parquet", "csv", "jsonl", "json", "convokit")
TABLES = ("threads", "posts", "quotes", "edges")
CONVOKIT_FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
UNKNOWN_SPEAKER = "[unknown]"
_SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")

THREADS_SCHEMA: dict[str, Any] = {
    "thread_id": pl.String,
    "title": pl.String,
    "source": pl.String,
    "format": pl.String,
    "language": pl.String,
    "posts": pl.Int32,
    "quotes": pl.Int32,
    "edges": pl.Int32,
    "warnings": pl.List(pl.String),
}


def export_tables(threads: Sequence[Thread]) -> dict[str, pl.DataFrame]:
    """The threads, posts, quotes and edges of several threads as frames, each row keyed by `thread_id`.

    Args:
        threads: the threads to export.

    Returns:
        `{"threads": ..., "posts": ..., "quotes": ..., "edges": ...}`; the last three have the
        columns of `Thread.posts_frame()` (and quotes, edges) after a leading `thread_id`.
    """
    summary = pl.DataFrame(
        [
            {
                "thread_id": thread.id,
                "title": thread.title,
                "source": thread.source,
                "format": thread.format,
                "language": thread.language,
                "posts": len(thread.posts),
                "quotes": len(thread.quotes),
                "edges": len(thread.edges),
                "warnings": list(thread.warnings),
            }
            for thread in threads
        ],
        schema=THREADS_SCHEMA,
    )
    tables = {"threads": summary}
    for name, frame_of in (
        ("posts", Thread.posts_frame),
        ("quotes", Thread.quotes_frame),
        ("edges", Thread.edges_frame),
    ):
        frames = [
            frame_of(thread).select(pl.lit(thread.id, dtype=pl.String).alias("thread_id"), pl.all())
            for thread in threads
        ]
        tables[name] = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    return tables


def convokit_corpus(threads: Sequence[Thread]) -> dict[str, str]:
    """The files of a ConvoKit corpus holding these threads, one conversation each, as JSON text.

    Follows ConvoKit's documented data format: `utterances.jsonl` (id, speaker, conversation_id,
    reply_to, timestamp, text, meta, vectors), `speakers.json`, `conversations.json`,
    `corpus.json` and `index.json` (the type of every meta field; ConvoKit drops meta fields
    the index does not list). An utterance id is `<thread id>:<post id>`; `text` is the post
    text with its quotes; `timestamp` is Unix seconds. ConvoKit holds one `reply_to` per
    utterance: the first declared reply parent, else the first quoted post, else the inferred
    parent. Every link is kept in `meta`: `reply_to_posts` (declared replies), `quotes` (all
    quotes, with offsets) and `edges` (every edge from the post, with its kind).

    Args:
        threads: the threads to export.

    Returns:
        File name -> file content.
    """
    utterances: list[str] = []
    speakers: dict[str, dict[str, Any]] = {}
    conversations: dict[str, dict[str, Any]] = {}
    utterance_metas: list[dict[str, Any]] = []
    for thread in threads:
        conversation_id = f"{thread.id}:{thread.posts[0].id}" if thread.posts else thread.id
        conversations[conversation_id] = {
            "meta": {
                "thread_id": thread.id,
                "title": thread.title,
                "source": thread.source,
                "format": thread.format,
                "language": thread.language,
                "warnings": list(thread.warnings),
            },
            "vectors": [],
        }
        edges_of: dict[str, list[Edge]] = {}
        for edge in thread.edges:
            edges_of.setdefault(edge.src, []).append(edge)
        quotes_of: dict[str, list[Quote]] = {}
        for quote in thread.quotes:
            quotes_of.setdefault(quote.post_id, []).append(quote)
        for post in thread.posts:
            row = _utterance(
                thread, post, conversation_id, edges_of.get(post.id, []), quotes_of.get(post.id, [])
            )
            utterance_metas.append(row["meta"])
            utterances.append(json.dumps(row, ensure_ascii=False))
            speaker = speakers.setdefault(
                row["speaker"], {"meta": {"author_id": post.author_id, "posts": 0}, "vectors": []}
            )
            speaker["meta"]["posts"] += 1
            speaker["meta"]["author_id"] = speaker["meta"]["author_id"] or post.author_id
    corpus_meta = {
        "generator": "threadlens",
        "threads": len(threads),
        "posts": sum(len(thread.posts) for thread in threads),
    }
    index = {
        "utterances-index": _meta_index(utterance_metas),
        "speakers-index": _meta_index([speaker["meta"] for speaker in speakers.values()]),
        "conversations-index": _meta_index([conversation["meta"] for conversation in conversations.values()]),
        "overall-index": _meta_index([corpus_meta]),
        "version": 1,
        "vectors": [],
    }
    return {
        "utterances.jsonl": "".join(line + "\n" for line in utterances),
        "speakers.json": json.dumps(speakers, ensure_ascii=False),
        "conversations.json": json.dumps(conversations, ensure_ascii=False),
        "corpus.json": json.dumps(corpus_meta, ensure_ascii=False),
        "index.json": json.dumps(index, ensure_ascii=False),
    }


def write_export(
    threads: Sequence[Thread], directory: str | Path, *, to: str, spreadsheet_safe: bool = False
) -> list[Path]:
    """Write threads to `directory` as tables (`parquet`, `csv`, `jsonl`), JSON, or a ConvoKit corpus.

    Tables are `threads`, `posts`, `quotes` and `edges` files, which replace the previous ones only
    once all four are written (a failure leaves the previous export whole). In CSV,
    list columns (`ranks`, `languages`, `warnings`) are JSON arrays and times ISO 8601. `json`
    writes one `<thread id>.json` per thread, the document of `threadlens parse --json`. A
    ConvoKit corpus replaces `directory` whole, atomically; it must be absent, empty, or a
    ConvoKit corpus already (a folder with other files is never replaced). A thread given twice
    (the same id) is written once.

    Args:
        threads: the threads to export.
        directory: the output folder.
        to: one of `EXPORT_FORMATS`.
        spreadsheet_safe: CSV only: a text cell that a spreadsheet would run as a formula (it starts
            with `=`, `+`, `-`, `@`, a tab, a carriage return or a NUL) gets a leading `'`, so posts
            written by strangers cannot run formulas in whoever opens the file. The text then
            differs from the post by that one character; leave it off for files read by programs.

    Returns:
        The files written.

    Raises:
        OutputError: an unknown format, or the folder cannot be written or is not safe to replace.
        UsageError: `spreadsheet_safe` with a format other than CSV.
    """
    target = Path(directory)
    # The same source given twice is the same thread (its id hashes the bytes): export it once,
    # so ids stay unique in every table and corpus.
    threads = list({thread.id: thread for thread in threads}.values())
    if to not in EXPORT_FORMATS:
        raise OutputError(f"unknown export format {to!r}; choose from {', '.join(EXPORT_FORMATS)}")
    if spreadsheet_safe and to != "csv":
        raise UsageError(f"spreadsheet-safe cells are for CSV exports, not {to}")
    if not threads:
        raise OutputError("nothing to export: no threads")
    if to == "convokit":
        _check_replaceable(target)
        sweep_leftovers(target.parent)
        with replacing_directory(target) as folder:
            for name, content in convokit_corpus(threads).items():
                (folder / name).write_text(content, encoding="utf-8")
        return [target / name for name in CONVOKIT_FILES]
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder")
    sweep_leftovers(target)
    if to == "json":
        unsafe = next((thread.id for thread in threads if not _SAFE_ID.fullmatch(thread.id)), None)
        if unsafe is not None:  # ids name files here: none may reach outside `directory`
            raise OutputError(f"thread id {unsafe[:80]!r} cannot name a file; export it as a table")
        return [
            write_bytes_atomic(
                target / f"{thread.id}.json",
                json.dumps(thread.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"),
            )
            for thread in threads
        ]
    tables = export_tables(threads)
    written = [target / f"{name}.{to}" for name in tables]
    # All four tables are written before any replaces its predecessor: a failure leaves the
    # previous export whole rather than a mix of old and new tables.
    with replacing_files(written) as temporaries:
        for frame, temporary in zip(tables.values(), temporaries, strict=True):
            if to == "parquet":
                write_parquet(frame, temporary)
            else:
                temporary.write_bytes(
                    _ndjson(frame) if to == "jsonl" else _csv(frame, spreadsheet_safe=spreadsheet_safe)
                )
    return written


def _utterance(
    thread: Thread, post: Post, conversation_id: str, edges: list[Edge], quotes: list[Quote]
) -> dict[str, Any]:
    parent = (
        next((edge.dst for edge in edges if edge.kind == "reply"), None)
        or next((quote.source_post_id for quote in quotes if quote.source_post_id), None)
        or next((edge.dst for edge in edges if edge.kind == "inferred"), None)
    )
    return {
        "id": f"{thread.id}:{post.id}",
        "speaker": post.author or UNKNOWN_SPEAKER,
        "conversation_id": conversation_id,
        "reply_to": f"{thread.id}:{parent}" if parent else None,
        "timestamp": int(post.created_at.timestamp()) if post.created_at else None,
        "text": post.text,
        "meta": {
            "thread_id": thread.id,
            "post_id": post.id,
            "position": post.position,
            "author": post.author,
            "author_id": post.author_id,
            "ranks": list(post.ranks),
            "created_at": post.created_at.isoformat() if post.created_at else None,
            "edited": post.edited,
            "own_text": post.own_text,
            "language": post.language,
            "languages": list(post.languages),
            "links": post.links,
            "attachments": post.attachments,
            "reply_to_posts": [edge.dst for edge in edges if edge.kind == "reply"],
            "quotes": [
                {field.name: getattr(quote, field.name) for field in fields(quote) if field.name != "post_id"}
                for quote in quotes
            ],
            "edges": [{"dst": edge.dst, "kind": edge.kind} for edge in edges],
        },
        "vectors": [],
    }


def _meta_index(metas: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's index entry per meta key: the type of its first non-null value, as ConvoKit writes it."""
    index: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            if value is not None and (key not in index or index[key] == [str(type(None))]):
                index[key] = [str(type(value))]
            index.setdefault(key, [str(type(None))])
    return index


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder")
    names = {path.name for path in target.iterdir()}
    if names and not (target / "utterances.jsonl").is_file():
        raise OutputError(
            f"{target} is a folder with other files, not a ConvoKit corpus; choose a new folder"
        )
    unexpected = {name for name in names if not name.endswith((".json", ".jsonl", ".p"))}
    if unexpected:
        raise OutputError(
            f"{target} holds files a ConvoKit corpus does not ({', '.join(sorted(unexpected)[:3])})"
        )


def _ndjson(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ndjson(buffer)
    return buffer.getvalue()


def _csv(frame: pl.DataFrame, *, spreadsheet_safe: bool) -> bytes:
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    encoded = frame.with_columns(
        pl.Series(
            name,
            [
                None if values is None else json.dumps(values, ensure_ascii=False)
                for values in frame[name].to_list()
            ],
            dtype=pl.String,
        )
        for name in lists
    )
    if spreadsheet_safe:
        # The first characters that make Excel, LibreOffice or Google Sheets read a cell as a
        # formula (OWASP's CSV injection list, and NUL from ASVS 1.2.10).
        encoded = encoded.with_columns(
            pl.when(pl.col(name).str.contains(r"^[=+\-@\t\r\x00]"))
            .then(pl.lit("'") + pl.col(name))
            .otherwise(pl.col(name))
            .alias(name)
            for name, dtype in encoded.schema.items()
            if dtype == pl.String
        )
    buffer = io.BytesIO()
    encoded.write_csv(buffer)
    return buffer.getvalue()
