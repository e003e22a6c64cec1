"""The own-text index kept in arrays gives exactly what the general index keyed by words gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from threads.alignment import EXCLUDED, NOT_OWN, NumberedOwnTextIndex, OwnTextIndex, _extend, merge_nearby
from threads.shared_grams import shared_grams

_Post = tuple[list[str], list[tuple[int, int]], list[tuple[int, int]]]


def _masked(words: list[str], ranges: list[tuple[int, int]], mask: str | None) -> list[str | None]:
    masked: list[str | None] = list(words)
    for first, stop in ranges:
        masked[first:stop] = [mask] * (stop - first)
    return masked


@st.composite
def _posts(draw: st.DrawFn) -> list[_Post]:
    """Posts of a few distinct words (one to four: posts share many n-grams, runs extend and bridge
    edits, n-grams repeat and become common), each with up to two declared quotes (excluded when
    it is searched) and up to two quotes (not its own text once it is indexed), as token ranges."""
    letters = draw(st.sampled_from(["a", "ab", "abc", "abcd"]))
    posts = []
    for words in draw(st.lists(st.lists(st.sampled_from(letters), max_size=30), min_size=1, max_size=8)):
        bound = st.integers(min_value=0, max_value=len(words))
        ranges = st.lists(st.tuples(bound, bound).map(sorted).map(tuple), max_size=2)
        posts.append((words, draw(ranges), draw(ranges)))
    return posts  # type: ignore[return-value]


@settings(max_examples=500, deadline=None)
@given(
    posts=_posts(),
    n=st.integers(min_value=2, max_value=4),
    max_posts=st.integers(min_value=1, max_value=3),
    min_length=st.integers(min_value=1, max_value=9),
    block=st.integers(min_value=1, max_value=4),
    line_breaks=st.sets(st.integers(min_value=0, max_value=30)),
    passage=st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30)),
)
# An n-gram becomes common with the one position more than it may hold: added in the post
# that holds the others, and in another post.
@example(
    posts=[(["a"] * 7, [], []), (["a"] * 3, [], [])],
    n=3,
    max_posts=1,
    min_length=1,
    block=1,
    line_breaks=set(),
    passage=(0, 3),
)
@example(
    posts=[(["a"] * 10, [], []), (["a"] * 3, [], []), (["a"] * 3, [], [])],
    n=3,
    max_posts=2,
    min_length=1,
    block=1,
    line_breaks=set(),
    passage=(0, 3),
)
# A lone seed whose run reaches min_length only with the word before it (the n-gram there is common).
@example(
    posts=[(list("abc"), [], []), (list("abc"), [], []), (list("abcd"), [], []), (list("abcd"), [], [])],
    n=3,
    max_posts=1,
    min_length=4,
    block=1,
    line_breaks=set(),
    passage=(0, 3),
)
def test_the_numbered_index_finds_what_the_index_keyed_by_words_finds(
    posts: list[_Post],
    n: int,
    max_posts: int,
    min_length: int,
    block: int,
    line_breaks: set[int],
    passage: tuple[int, int],
) -> None:
    # The thread is walked as `_QuoteFinder` walks it: each post is searched with its declared
    # quotes EXCLUDED, a passage of it is searched as `_QuoteFinder._search` does, then it is
    # indexed with its quotes NOT_OWN.
    shared = shared_grams([words for words, _, _ in posts], n=n)
    numbered = NumberedOwnTextIndex(
        shared, max_posts=max_posts, excluded=[excluded for _, excluded, _ in posts], block=block
    )
    by_words = OwnTextIndex(n=n, max_posts=max_posts)

    def breaks(token: int) -> bool:
        return token in line_breaks

    for post, (words, excluded, quoted) in enumerate(posts):
        searched = _masked(words, excluded, EXCLUDED)
        general = merge_nearby(by_words.runs(searched, breaks=breaks), breaks=breaks)
        assert numbered.long_runs(post, searched, min_length=min_length, breaks=breaks) == [
            run for run in general if run.stop - run.start >= min_length
        ]
        first, stop = min(passage[0], len(words)), min(max(passage), len(words))
        positions, keys = shared.grams_between(post, first, stop)
        assert numbered.runs(words[first:stop], positions=positions, keys=keys) == by_words.runs(
            words[first:stop]
        )
        assert numbered.add(words, quoted=quoted) == by_words.add(_masked(words, quoted, NOT_OWN)) == post  # type: ignore[arg-type]
        assert numbered.words(post) == by_words.words(post)


@pytest.mark.parametrize(("skip", "source_skip"), [(1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2)])
def test_a_lone_seed_that_only_bridges_an_edit_is_kept(skip: int, source_skip: int) -> None:
    # One shared n-gram, then an edit, then two words that agree: a run of n + skip + 2 tokens.
    source = ["x", "y", "z", *["source"] * source_skip, "v", "w"]
    searched = ["x", "y", "z", *["searched"] * skip, "v", "w"]
    numbered = NumberedOwnTextIndex(shared_grams([source, searched], n=3))
    assert numbered.long_runs(0, source, min_length=5) == []
    numbered.add(source)
    found = numbered.long_runs(1, searched, min_length=5)
    by_words = OwnTextIndex(n=3)
    by_words.add(source)
    assert found == [run for run in merge_nearby(by_words.runs(searched)) if run.stop - run.start >= 5]
    assert [(run.start, run.stop) for run in found] == [(0, len(searched))]


def _extend_word_by_word(
    words: list[str | None], other: list[str | None], position: int, source_position: int, n: int
) -> tuple[int, int, int, int, int]:
    """`_extend` as its docstring says, one word at a time (no line breaks)."""
    start, source_start = position, source_position
    while start > 0 and source_start > 0 and words[start - 1] == other[source_start - 1]:
        start, source_start = start - 1, source_start - 1
    stop, source_stop = position + n, source_position + n
    matched = stop - start
    while True:
        while stop < len(words) and source_stop < len(other) and words[stop] == other[source_stop]:
            stop, source_stop, matched = stop + 1, source_stop + 1, matched + 1
        for skip, source_skip in [(1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2)]:
            after, source_after = stop + skip, source_stop + source_skip
            if (
                after + 2 <= len(words)
                and source_after + 2 <= len(other)
                and words[after : after + 2] == other[source_after : source_after + 2]
                and EXCLUDED not in words[stop : after + 2]
                and NOT_OWN not in other[source_stop:source_after]
            ):
                stop, source_stop = after, source_after
                break
        else:
            return start, stop, source_start, source_stop, matched


@settings(max_examples=300, deadline=None)
@given(
    other=st.lists(st.sampled_from(["a", "b", "c", NOT_OWN]), min_size=3, max_size=80),
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=79), st.sampled_from(["a", "b", "x", EXCLUDED])),
        max_size=4,
    ),
    shift=st.integers(min_value=0, max_value=3),
    data=st.data(),
)
def test_extend_gives_the_run_a_word_by_word_extension_gives(
    other: list[str | None], edits: list[tuple[int, str | None]], shift: int, data: st.DataObject
) -> None:
    # A copy of the source with a few words changed, after a few words of its own: long runs
    # (compared in blocks) and runs ending at edits (compared word by word, then bridged).
    words: list[str | None] = ["y"] * shift + [word if word != NOT_OWN else "z" for word in other]
    for at, word in edits:
        words[min(at, len(words) - 1)] = word
    seeds = [
        (position, position - shift)
        for position in range(shift, len(words) - 2)
        if words[position : position + 3] == other[position - shift : position - shift + 3]
    ]
    if not seeds:
        return
    position, source_position = data.draw(st.sampled_from(seeds))
    run = _extend(words, other, 0, position, source_position, 3, lambda token: False)
    assert (run.start, run.stop, run.source_start, run.source_stop, run.matched) == _extend_word_by_word(
        words, other, position, source_position, 3
    )
