"""JSONL readers: forum-dl output and ConvoKit utterances, in the shapes their tools write."""

from __future__ import annotations

import json
from pathlib import Path

import threads


def _forumdl_line(kind: str, item: dict[str, object]) -> str:
    # The envelope forum-dl 0.3's JsonlWriter writes (forum_dl/writers/jsonl.py: Entry).
    entry = {
        "generator": "forum-dl",
        "version": "0.3.0",
        "extractor": "discourse",
        "type": kind,
        "item": item,
    }
    return json.dumps(entry)


def test_forumdl_html_and_markdown_posts(tmp_path: Path) -> None:
    base = {
        "path": ["12"],
        "url": "https://forum.example/t/12",
        "origin": "https://forum.example",
        "data": {},
    }
    lines = [
        _forumdl_line("thread", {**base, "title": "Tabs or spaces"}),
        _forumdl_line(
            "post",
            {**base, "subpath": ["1"], "author": "ann", "creation_time": "2024-03-01T10:00:00+00:00",
             "content": "<p>Tabs are clearly better for indentation.</p>"},
        ),
        _forumdl_line(
            "post",
            {**base, "subpath": ["1", "2"], "author": "bob", "creation_time": "2024-03-01T11:00:00+00:00",
             "content": "> Tabs are clearly better for indentation.\n\nNo, spaces."},
        ),
    ]  # fmt: skip
    path = tmp_path / "thread.jsonl"
    path.write_text("\n".join(lines) + "\n")
    thread = threads.read(path)
    assert thread.format == "forum-dl" and thread.title == "Tabs or spaces"
    assert [(post.id, post.author) for post in thread.posts] == [("1", "ann"), ("2", "bob")]
    assert thread.posts[1].own_text == "No, spaces."
    (quote,) = thread.quotes
    assert (quote.post_id, quote.source_post_id, quote.method) == ("2", "1", "markup")
    assert {(edge.src, edge.dst, edge.kind) for edge in thread.edges} >= {
        ("2", "1", "reply"),
        ("2", "1", "quote"),
    }


def test_convokit_utterances_file(tmp_path: Path) -> None:
    rows = [
        {"id": "u1", "speaker": "ann", "conversation_id": "u1", "reply_to": None, "timestamp": 1700000000,
         "text": "Opening post.", "meta": {}},
        {"id": "u2", "speaker": "bob", "conversation_id": "u1", "reply-to": "u1", "timestamp": 1700000100,
         "text": "A reply.", "meta": {}},
    ]  # fmt: skip
    path = tmp_path / "utterances.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    thread = threads.read(path)
    assert thread.format == "convokit"
    assert [(edge.src, edge.dst, edge.kind) for edge in thread.edges] == [("u2", "u1", "reply")]
    assert thread.posts[1].created_at is not None and thread.posts[1].created_at.year == 2023


def test_plain_jsonl_posts_table_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "1", "text": "hello"}\n{"id": "2", "text": "world", "reply_to": "1"}\n')
    thread = threads.read(path)
    assert thread.format == "table" and len(thread.posts) == 2
