"""Any JSON value, and near misses of every known shape, give a draft or a ThreadlensError: never a crash."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from threads.errors import ThreadlensError
from threads.sources.json import read_json_document

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
POST_KEYS = [
    "id", "post_number", "reply_to_post_number", "cooked", "username", "created_at", "user", "text",
    "content", "date", "kind", "data", "children", "replies", "body", "parent_id", "author", "created_utc",
]  # fmt: skip
POSTS = st.lists(st.dictionaries(st.sampled_from(POST_KEYS), VALUES, max_size=6), max_size=4)


def _near_misses(posts: list[dict[str, Any]], value: Any) -> list[Any]:
    listing = {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": post} for post in posts]}}
    return [
        {"post_stream": {"posts": posts}, "id": value, "posts_count": value},
        {"post_stream": {"posts": value}},
        [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": value}]}}, listing],
        [{"kind": "Listing", "data": value}, listing],
        {"sid": value, "title:": value, "comments": {str(index): post for index, post in enumerate(posts)}},
        {"format_version": "xenforo-2-thread", "posts": posts, "url": value},
        {"format_version": "invision-4+-thread", "posts": value},
        posts,
        {"posts": posts, "title": value},
        [{"id": value, "speaker": value, "conversation_id": value, "meta": value, "text": value}],
    ]


@settings(max_examples=60, deadline=None)
@given(VALUES)
def test_any_json_value_is_a_draft_or_a_clear_error(document: Any) -> None:
    with contextlib.suppress(ThreadlensError):
        read_json_document(document)


@settings(max_examples=60, deadline=None)
@given(POSTS, VALUES)
def test_near_misses_of_known_shapes_are_drafts_or_clear_errors(
    posts: list[dict[str, Any]], value: Any
) -> None:
    for document in _near_misses(posts, value):
        try:
            draft = read_json_document(document)
        except ThreadlensError:
            continue
        assert all(isinstance(post.text, str) for post in draft.posts)
