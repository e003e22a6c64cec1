"""The own-text index kept in arrays gives exactly what the general index keyed by words gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from threads.alignment import (
    EXCLUDED,
    NOT_OWN,
    NumberedOwnTextIndex,
    OwnTextIndex,
    Run,
    _extend,
    merge_nearby,
)
from threads.shared_grams import shared_grams

_Post = tuple[list[str], list[tuple[int, int]], list[tuple[int, int]]]


def _masked(words: list[str], ranges: list[tuple[int, int]], mask: str | None) -> list[str | None]:
    masked: list[str | None] = list(words)
    for first, stop in ranges:
        masked[first:stop] = [mask] * (stop - first)
    return masked


def _kept(run: Run, line_ends: bytes, min_length: int, long_length: int | None) -> bool:
    """What `long_runs` keeps, as `_QuoteFinder._promising` tests it: at least `min_length` tokens,
    and long or two line ends among its gaps `min_length` apart."""
    if run.stop - run.start < min_length:
        return False
    if long_length is None or run.stop - run.start >= long_length:
        return True
    ends = [gap for gap in range(run.start, run.stop + 1) if line_ends[gap]]
    return bool(ends) and ends[-1] - ends[0] >= min_length


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
    long_length=st.none() | st.integers(min_value=1, max_value=20),
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
    long_length=None,
    block=1,
    line_breaks=set(),
    passage=(0, 3),
)
@example(
    posts=[(["a"] * 10, [], []), (["a"] * 3, [], []), (["a"] * 3, [], [])],
    n=3,
    max_posts=2,
    min_length=1,
    long_length=None,
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
    long_length=None,
    block=1,
    line_breaks=set(),
    passage=(0, 3),
)
def test_the_numbered_index_finds_what_the_index_keyed_by_words_finds(
    posts: list[_Post],
    n: int,
    max_posts: int,
    min_length: int,
    long_length: int | None,
    block: int,
    line_breaks: set[int],
    passage: tuple[int, int],
) -> None:
    # The thread is walked as `_QuoteFinder` walks it: each post is searched with its declared
    # quotes EXCLUDED, a passage of it is searched as `_QuoteFinder._search` does, then it is
    # indexed with its quotes NOT_OWN. Every post has its lines end at `line_breaks` and at its edges.
    shared = shared_grams([words for words, _, _ in posts], n=n)
    flags = [
        bytes(int(gap in line_breaks or gap in (0, len(words))) for gap in range(len(words) + 1))
        for words, _, _ in posts
    ]
    numbered = NumberedOwnTextIndex(
        shared,
        max_posts=max_posts,
        excluded=[excluded for _, excluded, _ in posts],
        line_breaks=flags,
        block=block,
    )
    by_words = OwnTextIndex(n=n, max_posts=max_posts)

    def breaks(token: int) -> bool:
        return token in line_breaks

    for post, (words, excluded, quoted) in enumerate(posts):
        searched = _masked(words, excluded, EXCLUDED)
        general = merge_nearby(by_words.runs(searched, breaks=breaks), breaks=breaks)

        assert numbered.long_runs(
            post, searched, min_length=min_length, long_length=long_length, breaks=breaks
        ) == [run for run in general if _kept(run, flags[post], min_length, long_length)]
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


def _both_indexes(
    posts: list[list[str]], line_ends: list[set[int]], *, min_length: int, long_length: int | None = None
) -> list[list[Run]]:
    """The runs `long_runs` finds in each post, checked against the general index; every post's lines
    end at its edges and at `line_ends`. Seeds are looked up a post at a time: the seeds of a post's
    look-ahead come from the posts before it."""
    flags = [
        bytes(int(gap in ends or gap in (0, len(words))) for gap in range(len(words) + 1))
        for words, ends in zip(posts, line_ends, strict=True)
    ]
    numbered = NumberedOwnTextIndex(shared_grams(posts, n=3), max_posts=1, line_breaks=flags, block=1)
    by_words = OwnTextIndex(n=3, max_posts=1)
    found = []
    for post, words in enumerate(posts):
        runs = numbered.long_runs(post, words, min_length=min_length, long_length=long_length)
        general = merge_nearby(by_words.runs(words))
        assert runs == [run for run in general if _kept(run, flags[post], min_length, long_length)]
        found.append(runs)
        numbered.add(words)
        by_words.add(words)
    return found


@pytest.mark.parametrize("copied", [["p", "q", "r"], ["p", "q", "r", "s", "t"]])
@pytest.mark.parametrize("min_length", [3, 4, 5, 6])
def test_a_known_run_is_kept_when_its_lines_span_min_length(copied: list[str], min_length: int) -> None:
    # The copied words fill a line of their own: kept exactly when that line is `min_length` long.
    # One seed (the only one of its source) or several, each run known without extending it.
    posts = [copied, ["u", *copied, "v"]]
    found = _both_indexes(posts, [set(), {1, len(copied) + 1}], min_length=min_length, long_length=12)
    expected = [Run(0, 1, len(copied) + 1, 0, len(copied), len(copied))] if len(copied) >= min_length else []
    assert found == [[], expected]


@pytest.mark.parametrize("far", [False, True])
def test_a_run_that_bridges_an_edit_is_not_known(far: bool) -> None:
    # The first seed's run bridges the changed word and two more words agree: six tokens, no other
    # seed on them. Another seed of the same source far off gives a short run of its own.
    source = ["a", "b", "c", "x", "d", "e", "f", "g", "h", "i", "j", "p", "q", "r"]
    searched = ["a", "b", "c", "y", "d", "e", "z", "k", "l", "m", "p", "q", "r"]
    posts = [source, searched if far else searched[:7]]
    found = _both_indexes(posts, [set(), set()], min_length=6)
    assert found == [[], [Run(0, 0, 6, 0, 6, 5)]]


def test_a_source_with_a_run_not_known_keeps_its_known_runs() -> None:
    # The run of the first seed bridges the changed word: not known, so the source is kept although
    # the known runs of its other seeds (from "d e f" on) are short.
    source = ["a", "b", "c", "x", "d", "e", "f", "g", "h"]
    searched = ["a", "b", "c", "y", "d", "e", "f", "g", "h"]
    found = _both_indexes([source, searched], [set(), set()], min_length=6)
    assert found == [[], [Run(0, 0, 9, 0, 9, 8)]]


@pytest.mark.parametrize("length", [26, 45])
def test_a_run_reaching_farther_than_the_words_compared_is_extended(length: int) -> None:
    # The n-grams of the first 22 words are common (in two posts): the first seed of the copy is 20
    # words in, farther than `_known_runs` compares, and its run still starts at the first word
    # (and, 45 words long, ends farther than compared too).
    words = [f"w{index}" for index in range(length)]
    found = _both_indexes([words, words[:22], [*words, "z"]], [set(), set(), set()], min_length=5)
    assert found[2] == [Run(0, 0, length, 0, length, length)]


def test_a_run_reaching_farther_ahead_than_the_words_compared_is_extended() -> None:
    words = [f"w{index}" for index in range(45)]
    found = _both_indexes([words, ["z", *words[5:]]], [set(), set()], min_length=5)
    assert found[1] == [Run(0, 1, 41, 5, 45, 40)]
