"""ConvoKit corpora: a directory with `utterances.jsonl` (plus speakers, conversations, corpus, index)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from threads.errors import InputError
from threads.model import PostDraft, QuoteMark, ThreadDraft
from threads.sources.values import optional_str, text_of, timestamp

UTTERANCES = "utterances.jsonl"
MAX_META_FILE_BYTES = 64 * 1024 * 1024
_DECLARED = ("markup", "header")


def is_utterances(rows: list[Any]) -> bool:
    """Whether JSONL rows are ConvoKit utterances (`id`, `speaker`/`user`, `conversation_id`/`root`)."""
    first = rows[0] if rows else None
    return (
        isinstance(first, dict)
        and "id" in first
        and ("speaker" in first or "user" in first)
        and ("conversation_id" in first or "root" in first)
    )


def is_corpus_dir(path: Path) -> bool:
    """Whether `path` is a directory holding a ConvoKit `utterances.jsonl`."""
    return path.is_dir() and (path / UTTERANCES).is_file()


def read_corpus_dir(path: Path, rows: list[Any]) -> list[ThreadDraft]:
    """Draft one thread per conversation of a ConvoKit corpus directory, utterances already parsed.

    Conversations come in order of their first utterance; each draft's title is its
    conversation's `title` meta (`conversations.json`), else the corpus `name` (`corpus.json`);
    both files are optional. Each draft's key names the corpus and conversation.

    Raises:
        InputError: no row is a usable utterance.
    """
    conversations = _optional_json(path / "conversations.json")
    corpus = _optional_json(path / "corpus.json")
    corpus_title = (
        optional_str(corpus.get("title")) or optional_str(corpus.get("name"))
        if isinstance(corpus, dict)
        else None
    )
    groups: dict[str | None, list[Any]] = {}
    for row in rows:
        conversation = (
            optional_str(row.get("conversation_id", row.get("root"))) if isinstance(row, dict) else None
        )
        groups.setdefault(conversation, []).append(row)
    drafts = []
    for conversation, members in groups.items():
        meta = conversations.get(conversation) if isinstance(conversations, dict) and conversation else None
        meta = meta.get("meta", meta) if isinstance(meta, dict) else None
        title = optional_str(meta.get("title")) if isinstance(meta, dict) else None
        draft = read_utterances(members, source=str(path), title=title or corpus_title)
        drafts.append(replace(draft, key=f"convokit:{path.resolve()}:{conversation}"))
    return drafts


def read_utterances(rows: list[Any], *, source: str | None = None, title: str | None = None) -> ThreadDraft:
    """Draft a thread from ConvoKit utterances, one post each.

    ConvoKit's single `reply_to` (or `reply-to`) becomes the declared reply parent. Utterances
    that threadlens exported carry their full links in `meta` (`post_id`, `position`,
    `reply_to_posts`, `quotes`, `created_at`, ...), which are restored instead, so an export
    reads back as the same posts, quotes and edges. Posts are ordered by `meta.position`, else
    by `timestamp` when every utterance has one, else in file order. A corpus of several
    conversations is read as one thread, with a warning.

    Raises:
        InputError: no row is a usable utterance.
    """
    warnings: list[str] = []
    entries: list[tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or optional_str(row.get("id")) is None:
            warnings.append(f"utterance {number} is not an object with an id; skipped")
            continue
        meta: dict[str, Any] = row["meta"] if isinstance(row.get("meta"), dict) else {}
        entries.append(((number,), row, meta))
    if not entries:
        raise InputError("ConvoKit utterances: no utterance with an id")
    entries = _ordered(entries)
    post_of = {
        str(row["id"]): optional_str(meta.get("post_id")) or str(row["id"]) for _, row, meta in entries
    }
    conversations = {optional_str(row.get("conversation_id", row.get("root"))) for _, row, _ in entries}
    if len(conversations) > 1:
        warnings.append(f"the corpus holds {len(conversations)} conversations; read as one thread")
    posts = [_post(row, meta, post_of, warnings) for _, row, meta in entries]
    return ThreadDraft(format="convokit", posts=posts, title=title, source=source, warnings=tuple(warnings))


def _ordered(
    entries: list[tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]],
) -> list[tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]]:
    if all(isinstance(meta.get("position"), int) for _, _, meta in entries):
        return sorted(entries, key=lambda entry: (entry[2]["position"], entry[0]))
    times = [timestamp(row.get("timestamp")) for _, row, _ in entries]
    if all(times):
        keyed = [
            ((moment, order), row, meta) for moment, (order, row, meta) in zip(times, entries, strict=True)
        ]
        return sorted(keyed, key=lambda entry: entry[0])
    return entries


def _post(
    row: dict[str, Any], meta: dict[str, Any], post_of: dict[str, str], warnings: list[str]
) -> PostDraft:
    post_id = post_of[str(row["id"])]
    text = text_of(row.get("text"))
    if isinstance(meta.get("reply_to_posts"), list):
        reply_to = tuple(value for value in map(optional_str, meta["reply_to_posts"]) if value)
    else:
        parent = optional_str(row.get("reply_to", row.get("reply-to")))
        reply_to = (post_of.get(parent, parent),) if parent else ()
    author = (
        optional_str(meta["author"])
        if "author" in meta
        else optional_str(row.get("speaker", row.get("user")))
    )
    ranks = meta.get("ranks")
    return PostDraft(
        text=text,
        id=post_id,
        author=author,
        author_id=optional_str(meta.get("author_id")),
        ranks=tuple(rank for rank in map(optional_str, ranks) if rank) if isinstance(ranks, list) else (),
        created_at=timestamp(meta.get("created_at")) or timestamp(row.get("timestamp")),
        edited=meta.get("edited") is True,
        links=_count(meta.get("links")),
        attachments=_count(meta.get("attachments")),
        quotes=_quotes(meta.get("quotes"), len(text), post_id, warnings),
        reply_to=reply_to,
    )


def _quotes(value: Any, length: int, post_id: str, warnings: list[str]) -> tuple[QuoteMark, ...]:
    if not isinstance(value, list):
        return ()
    marks = []
    for quote in value:
        if not isinstance(quote, dict) or quote.get("method") not in _DECLARED:
            continue  # implicit quotes are found again from the text, as they were the first time
        start, end = quote.get("start"), quote.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
            warnings.append(f"post {post_id}: quote offsets {start!r}..{end!r} are outside its text; dropped")
            continue
        marks.append(
            QuoteMark(
                start,
                end,
                quote["method"],
                source_post_id=optional_str(quote.get("source_post_id")),
                quoted_author=optional_str(quote.get("quoted_author")),
            )
        )
    return tuple(marks)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _optional_json(path: Path) -> Any:
    try:
        if not path.is_file() or path.stat().st_size > MAX_META_FILE_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError, RecursionError):
        return None
