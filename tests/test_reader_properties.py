"""Hypothesis properties of the readers the other property tests do not cover: the posts tables (CSV,
JSONL, Parquet), JSON posts arrays, Discourse topic JSON, saved HTML pages and every JSON shape.

Each reader, on generated input, either raises one of threadlens's own errors or gives a thread that
keeps the invariants (tests/thread_invariants.py) and loses no text. The text reader's properties are
in test_text.py and test_quotes_properties.py, Markdown quotes' in test_markdown_quotes.py.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import threads
from tests.test_json_fuzz import POSTS, VALUES, _near_misses
from tests.thread_invariants import check_thread, kept_text, squeeze
from threads.errors import ThreadlensError
from threads.sources.json import read_json_document

# Post text: letters, digits, punctuation, spaces and line breaks of any script, no control codes.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Co", "Cn"])
    | st.sampled_from("\n "),
    min_size=1,
    max_size=60,
)
IDS = st.none() | st.integers(-5, 10**20).map(str) | st.text(max_size=6)
DATES = st.none() | st.sampled_from(
    ["2024-01-01T10:00:00Z", "9999-12-31T23:59:59", "0001-01-01", "yesterday", "", "1e400", "-99999999999"]
)
ROWS = st.lists(
    st.fixed_dictionaries(
        {"text": TEXT, "id": IDS, "author": st.none() | TEXT, "created_at": DATES, "reply_to": IDS}
    ),
    min_size=1,
    max_size=6,
)


def _table_bytes(rows: list[dict[str, Any]], kind: str) -> bytes:
    if kind == "jsonl":
        return "".join(json.dumps(row) + "\n" for row in rows).encode()
    frame = pl.DataFrame(rows, schema={name: pl.String for name in rows[0]})
    buffer = io.BytesIO()
    if kind == "csv":
        frame.write_csv(buffer)
    else:
        frame.write_parquet(buffer)
    return buffer.getvalue()


def _assert_no_text_lost(thread: threads.Thread, texts: list[str]) -> None:
    kept = kept_text(thread)
    for text in texts:
        assert squeeze(text) in kept, text


@settings(max_examples=60, deadline=None)
@given(ROWS, st.sampled_from(["csv", "jsonl", "parquet"]))
def test_posts_tables_keep_every_row(rows: list[dict[str, Any]], kind: str) -> None:
    data = _table_bytes(rows, kind)
    try:
        thread = threads.parse_bytes(data, format=kind, source=f"posts.{kind}")
    except ThreadlensError:
        return
    check_thread(thread)
    _assert_no_text_lost(thread, [row["text"] for row in rows])


@settings(max_examples=60, deadline=None)
@given(ROWS)
def test_json_posts_arrays_keep_every_post(rows: list[dict[str, Any]]) -> None:
    data = json.dumps({"title": "t", "posts": rows}).encode()
    try:
        thread = threads.parse_bytes(data, source="posts.json")
    except ThreadlensError:
        return
    check_thread(thread)
    _assert_no_text_lost(thread, [row["text"] for row in rows])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, st.none() | st.integers(0, 8)), min_size=1, max_size=6))
def test_discourse_topics_keep_every_post(posts: list[tuple[str, int | None]]) -> None:
    stream = [
        {
            "post_number": number,
            "username": f"user{number}",
            "cooked": "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n")),
            "reply_to_post_number": reply,
            "created_at": "2024-01-01T10:00:00Z",
        }
        for number, (text, reply) in enumerate(posts, start=1)
    ]
    document = {"id": 9, "title": "t", "post_stream": {"posts": stream}}
    try:
        thread = threads.parse_bytes(json.dumps(document).encode(), source="topic.json")
    except ThreadlensError:
        return
    check_thread(thread)
    _assert_no_text_lost(thread, [text for text, _ in posts])


def _discourse_page(bodies: list[str]) -> bytes:
    posts = "".join(
        f'<div id="post_{n}" itemprop="comment" class="topic-body crawler-post">'
        f'<div class="crawler-post-meta"><span class="creator" itemprop="author">'
        f'<a href="/u/user{n}"><span itemprop="name">user{n}</span></a></span>'
        f'<time itemprop="datePublished" datetime="2019-06-01T10:00:00Z"></time></div>'
        f'<div class="post" itemprop="text"><p>{html.escape(body)}</p></div></div>'
        for n, body in enumerate(bodies, start=1)
    )
    return f"<!DOCTYPE html><html><head><title>T</title></head><body>{posts}</body></html>".encode()


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_saved_pages_keep_every_post(bodies: list[str]) -> None:
    try:
        thread = threads.parse_bytes(_discourse_page(bodies), source="page.html")
    except ThreadlensError:
        return
    check_thread(thread)
    _assert_no_text_lost(thread, bodies)


@settings(max_examples=60, deadline=None)
@given(POSTS, VALUES)
def test_every_json_shape_gives_a_valid_thread_or_a_clear_error(
    posts: list[dict[str, Any]], value: Any
) -> None:
    for document in _near_misses(posts, value):
        with contextlib.suppress(ThreadlensError):
            read_json_document(document)  # the draft alone first: the reader itself must not crash
        try:
            thread = threads.parse_bytes(json.dumps(document).encode(), source="export.json")
        except ThreadlensError:
            continue
        check_thread(thread)
