"""N-gram keys: equal exactly when the n-grams are equal, also when they must be renumbered."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threads import shared_grams as module
from threads.shared_grams import shared_grams


@pytest.mark.parametrize("limit", [2**63, 40])
@settings(max_examples=150, deadline=None)
@given(
    posts=st.lists(st.lists(st.sampled_from("abcdefg"), max_size=12), min_size=1, max_size=5),
    n=st.integers(min_value=1, max_value=4),
)
def test_numbers_are_equal_exactly_for_equal_grams(posts: list[list[str]], n: int, limit: int) -> None:
    # A small limit forces the dense renumbering that a thread with a huge vocabulary needs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_INT64_LIMIT", limit)
        shared = shared_grams(posts, n=n)
    grams: dict[int, set[tuple[str, ...]]] = {}
    for post, words in enumerate(posts):
        positions, keys = shared.grams_between(post, 0, len(words))
        for position, key in zip(positions, keys, strict=True):
            grams.setdefault(key, set()).add(tuple(words[position : position + n]))
    # Keys go to the n-grams of two posts or more, one key each, numbered densely.
    in_posts: dict[tuple[str, ...], set[int]] = {}
    for post, words in enumerate(posts):
        for position in range(len(words) - n + 1):
            in_posts.setdefault(tuple(words[position : position + n]), set()).add(post)
    assert all(len(same) == 1 for same in grams.values())
    assert sorted(grams) == list(range(shared.key_count))
    assert {gram for same in grams.values() for gram in same} == {
        gram for gram, where in in_posts.items() if len(where) > 1
    }


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.integers(min_value=0, max_value=7), st.integers(min_value=0, max_value=2**63 - 1)),
        max_size=40,
    )
)
def test_stable_sort_equals_stable_argsort(values: list[int]) -> None:
    # Small values take the packed sort, values near 2**63 the general stable argsort.
    array = np.array(values, dtype=np.int64)
    sorted_values, order = module._stable_sort(array.copy())
    expected = np.argsort(array, kind="stable")
    assert order.tolist() == expected.tolist()
    assert sorted_values.tolist() == array[expected].tolist()
