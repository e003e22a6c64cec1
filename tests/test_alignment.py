"""The fast seed search of the own-text index gives exactly what the general one gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threads.alignment import EXCLUDED, NOT_OWN, OwnTextIndex, merge_nearby
from threads.shared_grams import shared_grams

# A handful of words, so that posts share many n-grams, runs extend and bridge edits, and n-grams
# become common; NOT_OWN marks quoted words of indexed posts, EXCLUDED declared quotes of the searched one.
_WORD = st.sampled_from(["a", "b", "c", "d", NOT_OWN])
_SEARCHED_WORD = st.sampled_from(["a", "b", "c", "d", EXCLUDED])


@settings(max_examples=400, deadline=None)
@given(
    indexed=st.lists(st.lists(_WORD, max_size=30), max_size=6),
    searched=st.lists(_SEARCHED_WORD, max_size=40),
    line_breaks=st.sets(st.integers(min_value=0, max_value=40)),
    min_length=st.integers(min_value=1, max_value=7),
    every_position=st.booleans(),
)
def test_long_runs_are_the_long_merged_runs(
    indexed: list[list[str]],
    searched: list[str | None],
    line_breaks: set[int],
    min_length: int,
    every_position: bool,
) -> None:
    index = OwnTextIndex(n=3, max_posts=2)
    for words in indexed:
        index.add(words)

    def breaks(token: int) -> bool:
        return token in line_breaks

    positions = None if every_position else [position for position in range(len(searched)) if position % 3]
    general = merge_nearby(index.runs(searched, breaks=breaks, positions=positions), breaks=breaks)
    assert index.long_runs(searched, min_length=min_length, breaks=breaks, positions=positions) == [
        run for run in general if run.stop - run.start >= min_length
    ]


@pytest.mark.parametrize(("skip", "source_skip"), [(1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2)])
def test_a_lone_seed_that_only_bridges_an_edit_is_kept(skip: int, source_skip: int) -> None:
    # One shared n-gram, then an edit, then two words that agree: a run of n + skip + 2 tokens.
    source = ["x", "y", "z", *["source"] * source_skip, "v", "w"]
    searched = ["x", "y", "z", *["searched"] * skip, "v", "w"]
    index = OwnTextIndex(n=3)
    index.add(source)
    found = index.long_runs(searched, min_length=5)
    assert found == [run for run in merge_nearby(index.runs(searched)) if run.stop - run.start >= 5]
    assert [(run.start, run.stop) for run in found] == [(0, len(searched))]


def _masked(words: list[str], ranges: list[tuple[int, int]], mask: str | None) -> list[str | None]:
    masked: list[str | None] = list(words)
    for first, stop in ranges:
        masked[first:stop] = [mask] * max(0, stop - first)
    return masked


_RANGES = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).map(sorted).map(tuple), max_size=2)


@settings(max_examples=600, deadline=None)
@given(
    posts=st.lists(
        st.tuples(st.lists(st.sampled_from("abcd"), max_size=30), _RANGES), min_size=1, max_size=6
    ),
    min_length=st.integers(min_value=1, max_value=7),
)
def test_an_index_keyed_by_gram_numbers_finds_what_one_keyed_by_words_finds(
    posts: list[tuple[list[str], list[tuple[int, int]]]], min_length: int
) -> None:
    # Every post but the last is indexed with its quoted ranges masked; the last is searched with
    # its declared ranges excluded. The keyed index leaves those n-grams out by position instead.
    shared = shared_grams([words for words, _ in posts], n=3)
    by_words = OwnTextIndex(n=3, max_posts=2)
    by_keys = OwnTextIndex(n=3, max_posts=2, key_count=shared.key_count)
    for post, (words, quoted) in enumerate(posts[:-1]):
        positions, keys = shared.index_grams(post, outside=quoted)
        own = _masked(words, quoted, NOT_OWN)
        by_words.add(own, positions=shared.index_grams(post)[0])  # type: ignore[arg-type]
        by_keys.add(own, positions=positions, keys=keys)  # type: ignore[arg-type]
    words, excluded = posts[-1]
    last = len(posts) - 1
    searched = _masked(words, excluded, EXCLUDED)
    positions, keys = shared.search_grams(last, outside=excluded)
    every_position = shared.search_grams(last)[0]
    assert by_keys.runs(searched, positions=positions, keys=keys) == by_words.runs(
        searched, positions=every_position
    )
    assert by_keys.long_runs(
        searched, min_length=min_length, positions=positions, keys=keys
    ) == by_words.long_runs(searched, min_length=min_length, positions=every_position)
    positions, keys = shared.grams_between(last, 0, len(words))
    assert by_keys.runs(words, positions=positions, keys=keys) == by_words.runs(words)
