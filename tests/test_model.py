"""The data model: frames follow the declared schemas, JSON uses DESIGN.md's field names."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

import threads
from threads.assemble import own_text
from threads.model import EDGES_SCHEMA, POSTS_SCHEMA, QUOTES_SCHEMA
from threads.replies import infer_replies


def _thread() -> threads.Thread:
    frame = pl.DataFrame(
        {
            "id": ["1", "2"],
            "author": ["ann", "bob"],
            "created_at": ["2024-01-01T10:00:00Z", "2024-01-01T11:00:00+02:00"],
            "text": ["The tracker measures research output.", "@ann Fair enough."],
        }
    )
    return threads.from_frame(frame)


def test_frames_follow_declared_schemas() -> None:
    thread = _thread()
    assert dict(thread.posts_frame().schema) == POSTS_SCHEMA
    assert dict(thread.quotes_frame().schema) == QUOTES_SCHEMA
    assert dict(thread.edges_frame().schema) == EDGES_SCHEMA


def test_json_uses_design_field_names() -> None:
    document = _thread().to_dict()
    assert set(document) == {"thread", "posts", "quotes", "edges"}
    assert set(document["posts"][0]) >= {
        "id", "position", "author", "author_id", "ranks", "created_at", "edited",
        "text", "own_text", "language", "links", "attachments",
    }  # fmt: skip
    assert document["posts"][1]["created_at"] == "2024-01-01T09:00:00+00:00"


def test_addressed_post_gets_inferred_edge() -> None:
    expected = pl.DataFrame({"src": ["2"], "dst": ["1"], "kind": ["inferred"]}, schema=EDGES_SCHEMA)
    assert_frame_equal(_thread().edges_frame(), expected)


def test_a_thread_without_authors_gets_its_replies_inferred_as_with_an_unknown_name() -> None:
    # No earlier author: "@ann" and "Ann," address no one, so every unlinked post answers the first.
    posts = [
        threads.PostDraft("The tracker measures research output.", id="1"),
        threads.PostDraft("@ann Fair enough.", id="2"),
        threads.PostDraft("Ann, that is not what it measures.", id="3"),
    ]
    edges = [(edge.src, edge.dst, edge.kind) for edge in infer_replies(posts, linked=set())]
    assert edges == [("2", "1", "inferred"), ("3", "1", "inferred")]


def test_thread_shows_as_table_in_jupyter() -> None:
    assert "<table" in _thread()._repr_html_()


def test_own_text_cuts_overlapping_spans() -> None:
    assert own_text("aaa QQQ bbb QQ ccc", [(4, 7), (12, 14), (5, 6)]) == "aaa\nbbb\nccc"


def test_own_text_without_spans_is_the_text_stripped() -> None:
    for text in ("  aaa\nbbb \n", "", " \n\t ", "x"):
        assert own_text(text, []) == own_text(text, [(len(text), len(text))]) == text.strip()
