"""N-gram numbers: equal exactly when the n-grams are equal, also when they must be renumbered."""

from __future__ import annotations

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
        keys = shared.keys_between(post, 0, len(words))
        assert len(keys) == max(0, len(words) - n + 1)
        for position, key in enumerate(keys):
            grams.setdefault(key, set()).add(tuple(words[position : position + n]))
    assert all(len(same) == 1 for same in grams.values())
    assert len(grams) == len({tuple(w[p : p + n]) for w in posts for p in range(len(w) - n + 1)})
