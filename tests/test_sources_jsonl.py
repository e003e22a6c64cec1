"""JSONL readers: forum-dl output and ConvoKit utterances, in the shapes their tools write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

import threads
from tests.conftest import corpus_path


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


def _utterance(uid: str, conversation: str, text: str, speaker: str, parent: str | None, time: int) -> str:
    # ConvoKit's Corpus.dump writes `reply-to`, `vectors`, and {"meta": ..., "vectors": []} records.
    row = {"id": uid, "conversation_id": conversation, "text": text, "speaker": speaker, "meta": {}}
    return json.dumps(row | {"reply-to": parent, "timestamp": time, "vectors": []}) + "\n"


def test_convokit_directory_as_convokit_dumps_it(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "utterances.jsonl").write_text(
        _utterance("a1", "a1", "Question?", "ann", None, 1)
        + _utterance("b1", "b1", "Other topic.", "cat", None, 2)
        + _utterance("a2", "a1", "Answer.", "bob", "a1", 3)
    )
    conversations = {"a1": {"meta": {"title": "First"}, "vectors": []}, "b1": {"meta": {}, "vectors": []}}
    (folder / "conversations.json").write_text(json.dumps(conversations))
    (folder / "corpus.json").write_text(json.dumps({"name": "demo"}))
    first, second = threads.read_threads([folder])
    assert (first.title, [post.id for post in first.posts]) == ("First", ["a1", "a2"])
    assert [(edge.src, edge.dst, edge.kind) for edge in first.edges] == [("a2", "a1", "reply")]
    assert (second.title, [post.text for post in second.posts]) == ("demo", ["Other topic."])
    assert len(threads.read(folder).posts) == 3


def test_reddit_more_stubs_are_counted(tmp_path: Path) -> None:
    body = "&gt; quoted words from the post\n\nmine"
    comment = {
        "id": "c1",
        "parent_id": "t3_s1",
        "author": "ann",
        "created_utc": 2,
        "body": body,
        "replies": "",
    }
    more = {"kind": "more", "data": {"count": 7, "children": ["x", "y"]}}
    submission = {"id": "s1", "title": "T", "author": "op", "created_utc": 1, "num_comments": 8}
    submission["selftext"] = "quoted words from the post"
    document = [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": submission}]}},
        {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": comment}, more]}},
    ]
    path = tmp_path / "reddit.json"
    path.write_text(json.dumps(document))
    thread = threads.read(path)
    assert thread.warnings == ("7 comments were not loaded in this response ('more' stubs)",)
    assert thread.posts[1].text == "quoted words from the post\n\nmine"
    assert [(quote.post_id, quote.source_post_id) for quote in thread.quotes] == [("c1", "s1")]


@pytest.mark.corpus
def test_forumdl_discourse_output_reads_as_the_topic(tmp_path: Path) -> None:
    # What forum-dl's Discourse extractor writes for this topic: a thread entry, then one entry
    # per post with subpath (post id), author, cooked content and the post object as `data`.
    topic_path = corpus_path("discourse", "removing-lua-bindings.7149.json")
    topic = json.loads(topic_path.read_text(encoding="utf-8"))
    url = "https://discourse.urho3d.io/t/removing-lua-bindings/7149"
    base = {"path": ["5", "7149"], "url": url, "origin": url}
    lines = [_forumdl_line("thread", {**base, "data": {}, "title": topic["title"]})]
    for post in topic["post_stream"]["posts"]:
        item = {**base, "subpath": [str(post["id"])], "data": post, "author": post["username"]}
        lines.append(_forumdl_line("post", item | {"content": post["cooked"]}))
    path = tmp_path / "topic.jsonl"
    path.write_text("\n".join(lines) + "\n")
    from_forumdl, from_topic = threads.read(path), threads.read(topic_path)
    assert from_forumdl.format == "forum-dl" and from_forumdl.title == from_topic.title
    assert_frame_equal(from_forumdl.posts_frame(), from_topic.posts_frame())
    assert_frame_equal(from_forumdl.quotes_frame(), from_topic.quotes_frame())
    assert_frame_equal(from_forumdl.edges_frame(), from_topic.edges_frame())
