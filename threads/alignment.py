"""Implicit text reuse: an incremental word n-gram index over posts' own text, seed-and-extend alignment."""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from threads.shared_grams import SharedGrams

# A token that cannot match: quoted (not own) words of an indexed post, and words of a post being
# searched that lie inside a declared quote. Two different values, so they never equal each other.
NOT_OWN = ""
EXCLUDED = None

# Edits the extension steps over, as (tokens skipped in the quoting post, in the source): a changed
# word, a word dropped or added, two changed words. Two further words must agree after the edit.
_BRIDGES = ((1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2))
# Most words `merge_nearby` joins two runs over (by default).
_MAX_EDIT = 2
_CONFIRM = 2
# Words `_extend` compares one at a time before comparing in blocks: most runs are a few words.
_WORD_BY_WORD = 8


@dataclass(frozen=True, slots=True)
class Run:
    """An aligned passage: tokens `[start, stop)` of the searched post match `[source_start, source_stop)`
    of the earlier post `source` (an index into the thread), `matched` of them exactly.
    """

    source: int
    start: int
    stop: int
    source_start: int
    source_stop: int
    matched: int

    @property
    def score(self) -> float:
        """1.0 for an exact copy; the share of matched tokens otherwise."""
        return self.matched / max(self.stop - self.start, self.source_stop - self.source_start)


def _never(token: int) -> bool:
    return False


def _never_run(run: Run) -> bool:
    return False


def _source_of(seed: tuple[int, int, int]) -> int:
    return seed[0]


def _start_and_source(run: Run) -> tuple[int, int]:
    return run.start, run.source


class _Postings(dict[Hashable, list[tuple[int, int]] | tuple[()] | None]):
    """Where each n-gram occurs, keyed by its words: () before it is indexed, None once it is common."""

    def __missing__(self, gram: Hashable) -> tuple[()]:
        return ()


class OwnTextIndex:
    """Word n-grams of the own text of the posts added so far, for finding passages copied from them.

    Posts are added in thread order once their own quotes are known, so a later post can only ever
    be matched against earlier posts' own text: a quote of a quote is found in the post that wrote
    the passage. An n-gram in the own text of more than `max_posts` posts (a common phrase,
    boilerplate, a signature) is dropped from the index, as is one repeated more than
    `4 * max_posts` times: a passage copied from one post is own text in that post only. This keeps
    lookups and memory near-linear in the thread's size.

    N-grams are looked up by their words; `NumberedOwnTextIndex` is the same index over a whole
    thread's posts, kept in arrays.
    """

    def __init__(self, *, n: int = 3, max_posts: int = 3) -> None:
        """Create an empty index.

        Args:
            n: words per n-gram; passages shorter than this are never seeds.
            max_posts: posts whose own text may hold an n-gram before it counts as common.
        """
        self.n = n
        self.max_posts = max_posts
        self._words: list[Sequence[str | None]] = []
        self._postings = _Postings()

    def add(self, words: Sequence[str], *, positions: Sequence[int] | None = None) -> int:
        """Index the next post's tokens, `NOT_OWN` in place of quoted ones; return its index.

        Args:
            words: the post's tokens.
            positions: where the n-grams worth indexing start (those a later post may look up,
                see `threads.shared_grams`); all positions when None.
        """
        post = len(self._words)
        self._words.append(words)
        postings = self._postings
        max_posts = self.max_posts
        for position, gram in self._grams(words, positions):
            found = postings[gram]
            if found is None:
                continue  # already known to be common
            if not found:
                postings[gram] = [(post, position)]
            elif len(found) >= 4 * max_posts or (
                found[-1][0] != post and len({entry[0] for entry in found}) >= max_posts
            ):
                postings[gram] = None
            else:
                found.append((post, position))
        return post

    def words(self, post: int) -> Sequence[str | None]:
        """The tokens indexed for a post (`NOT_OWN` where they were quoted)."""
        return self._words[post]

    def _grams(
        self, words: Sequence[str | None], positions: Sequence[int] | None
    ) -> Iterable[tuple[int, tuple[str | None, ...]]]:
        n = self.n
        if positions is None:
            grams: Iterable[tuple[int, tuple[str | None, ...]]] = enumerate(
                zip(*(words[offset:] for offset in range(n)), strict=False)
            )
        else:
            grams = ((position, tuple(words[position : position + n])) for position in positions)
        # A quoted word is no own text: an n-gram holding one is neither indexed nor found.
        return ((position, gram) for position, gram in grams if NOT_OWN not in gram)

    def runs(
        self,
        words: Sequence[str | None],
        *,
        breaks: Callable[[int], bool] = _never,
        positions: Sequence[int] | None = None,
    ) -> list[Run]:
        """Every maximal passage of `words` that also occurs in an indexed post's own text.

        Args:
            words: the searched post's tokens, `EXCLUDED` where they must not match.
            breaks: whether a line break comes before a token of `words`; a run steps over an edit
                only within a line, since words a quoter adds on a line of their own are their reply.
            positions: increasing positions where an n-gram may match (those an earlier post
                shares, see `threads.shared_grams`); all positions when None.

        Returns:
            Runs in order of their start, each extended across small edits (see `_BRIDGES`).
        """
        postings = self._postings
        seeds = (
            (position, source, source_position)
            for position, gram in self._grams(words, positions)
            for source, source_position in postings[gram] or ()
        )
        return _runs_of(seeds, words, self._words, n=self.n, breaks=breaks)


# Word numbers (`SharedGrams.tokens`) that never equal a word's number nor each other, as `NOT_OWN`
# and `EXCLUDED` never equal a word nor each other.
NOT_OWN_NUMBER = -1
EXCLUDED_NUMBER = -2


class NumberedOwnTextIndex:
    """`OwnTextIndex` over the posts of one thread, keyed by the n-gram numbers of
    `threads.shared_grams` and kept in flat int32 arrays: the same postings, the same rules for
    common n-grams, the same runs, with the seeds found by array operations instead of a Python
    step per seed.

    Each n-gram number has a block of slots holding where it occurs (post and position, in thread
    order): as many slots as positions a later post shares (each may be indexed once), at most
    `4 * max_posts`, the most an n-gram holds before it counts as common. The own text of the
    posts added is kept as word numbers too, `NOT_OWN_NUMBER` where quoted, so that most chance
    seeds are rejected by comparing numbers (`_may_reach`).

    A call into numpy costs microseconds whatever the size, so the seeds are looked up for `block`
    posts at a time, from the index as it is before the first of them. A post's seeds are used as
    found then if none of its n-grams changed since (posts of the block added meanwhile); else they
    are looked up again. Either way they are exactly what the index holds when the post is searched.
    """

    def __init__(
        self,
        shared: SharedGrams,
        *,
        max_posts: int = 3,
        excluded: Sequence[Sequence[tuple[int, int]]] | None = None,
        line_breaks: Sequence[bytes] | None = None,
        block: int = 32,
    ) -> None:
        """Create an empty index for the thread `shared` numbers.

        Args:
            shared: the n-grams of the thread's posts (see `threads.shared_grams`).
            max_posts: posts whose own text may hold an n-gram before it counts as common.
            excluded: per post, the token ranges `[first, stop)` that must not match when it is
                searched (its declared quotes); none when None.
            line_breaks: per post, one byte per gap `0 .. len(words)` (gap k lies before token k),
                1 where a line ends, the post's edges included (`PostWords.break_flags`);
                needed for `long_runs` with `long_length`.
            block: posts whose seeds are looked up at once.
        """
        # What each n-gram holds is one byte (see `_States`).
        self._states = _States.of(max_posts)
        self.n = n = shared.n
        self.max_posts = max_posts
        self._shared = shared
        self._block = block
        self._words: list[Sequence[str | None]] = []
        posts = len(shared.offsets) - 1
        self._excluded = list(excluded) if excluded is not None else [()] * posts
        # The posts' words as numbers, each post after `_PAD` numbers that match nothing, so that
        # the words around a seed are compared without testing where its post ends. A post's own
        # text once it is added (`NOT_OWN_NUMBER` where quoted), its words to search before
        # (`EXCLUDED_NUMBER` where excluded).
        self._base = shared.offsets[:-1] + _PAD * np.arange(1, posts + 1)
        # Twice after the last post: `_known_runs` reads that far past a post's end.
        self._own = np.full(len(shared.tokens) + _PAD * (posts + 2), NOT_OWN_NUMBER, dtype=np.int32)
        padding = _PAD * np.repeat(np.arange(1, posts + 1), np.diff(shared.offsets))
        self._own[np.arange(len(shared.tokens)) + padding] = shared.tokens
        del padding
        # Where lines end, as positions in `_own` (gap k of a post at its base + k), between one
        # before and one after every gap: `_hold_lines` looks a span's first and last one up in it.
        self._line_ends: npt.NDArray[np.int64] | None = None
        if line_breaks is not None:
            assert [len(flags) for flags in line_breaks] == (np.diff(shared.offsets) + 1).tolist()
            flags = np.frombuffer(b"".join(line_breaks), dtype=np.uint8)
            gaps = np.diff(shared.offsets) + 1
            shift = np.repeat(self._base - shared.offsets[:-1] - np.arange(posts), gaps)
            ends = (flags == 1).nonzero()[0]
            self._line_ends = np.concatenate([[-1], ends + shift[ends], [len(self._own) + 1]])
        self._line_breaks = line_breaks
        # Where a post's n-grams are looked up: those an earlier post has, none touching an
        # excluded range.
        self._searched = shared.seen_before.copy()
        for post, ranges in enumerate(self._excluded):
            start, base = int(shared.offsets[post]), int(self._base[post])
            for first, stop in ranges:
                if first < stop:
                    self._searched[start + max(0, first - n + 1) : start + stop] = False
                    self._own[base + first : base + stop] = EXCLUDED_NUMBER
        capacity = np.minimum(
            np.bincount(shared.keys[shared.seen_after], minlength=shared.key_count), 4 * max_posts
        )
        self._first_slot = np.zeros(shared.key_count, dtype=np.int32)
        np.cumsum(capacity[:-1], out=self._first_slot[1:])
        # Where each n-gram occurs: post and position, in thread order from its first slot on.
        self._slot_post = np.empty(int(capacity.sum()), dtype=np.int32)
        self._slot_position = np.empty(int(capacity.sum()), dtype=np.int32)
        self._state = np.zeros(shared.key_count, dtype=np.uint8)
        self._state_view = self._state.data
        self._first_slot_view = self._first_slot.data
        self._slot_post_view = self._slot_post.data
        self._slot_position_view = self._slot_position.data
        self._keys_view = shared.keys.data
        nothing = np.empty(0, dtype=np.int64)
        self._lookahead = _Lookahead(0, 0, (0, None), nothing, *([] for _ in range(13)))
        self._changed: set[int] = set()  # n-grams whose postings changed since the look-ahead

    def add(self, words: Sequence[str], *, quoted: Sequence[tuple[int, int]] = ()) -> int:
        """Index the next post of the thread; return its index.

        Args:
            words: the post's tokens (those `shared` numbered).
            quoted: token ranges `[first, stop)` of the post that are quotes, not its own text.
        """
        post = len(self._words)
        base = int(self._base[post])
        if self._excluded[post]:
            start, stop = self._shared.offsets[post : post + 2]
            self._own[base : base + stop - start] = self._shared.tokens[start:stop]
        own: list[str | None] = list(words)
        for first, stop in quoted:
            own[first:stop] = [NOT_OWN] * (stop - first)
            self._own[base + first : base + max(first, stop)] = NOT_OWN_NUMBER
        self._words.append(own)
        ahead = self._lookahead
        # Each n-gram's state after this post adds it, as the look-ahead found it; None when the
        # post lies outside the look-ahead.
        afters: list[int] | None = None
        if ahead.start <= post < ahead.stop:
            at = post - ahead.start
            first, last = ahead.index_bounds[at], ahead.index_bounds[at + 1]
            positions, keys = ahead.indexed_positions[first:last], ahead.indexed_keys[first:last]
            afters = ahead.indexed_afters[first:last]
        else:
            start, stop = self._shared.offsets[post : post + 2]
            where = self._shared.seen_after[start:stop].nonzero()[0]
            positions, keys = where.tolist(), self._shared.keys[where + start].tolist()
        for first, stop in quoted:
            if first < stop:
                # No n-gram touching a quote is own text.
                low, high = bisect_left(positions, first - self.n + 1), bisect_left(positions, stop)
                if afters is not None:
                    # Their slots hold what the look-ahead wrote for this post: a later post of
                    # the block stores them as changed ones (see `_store`).
                    self._changed.update(keys[low:high])
                    del afters[low:high]
                del positions[low:high], keys[low:high]
        if keys:
            self._store(post, positions, keys, afters)
        return post

    def _store(
        self,
        post: int,
        positions: list[int],
        keys: list[int],
        afters: list[int] | None,
    ) -> None:
        """Add one post's n-grams at `positions` (increasing) one at a time, as `OwnTextIndex.add`
        does: an n-gram already in `max_posts` posts, or one that would pass `4 * max_posts`
        positions, becomes common. A post holds a few dozen n-grams worth indexing: Python steps
        over byte and int32 views of the arrays cost less than numpy calls here."""
        states = self._states
        common, entries, after_new, after_same = (
            states.common,
            states.entries_of,
            states.after_new,
            states.after_same,
        )
        state_of, first_slot = self._state_view, self._first_slot_view
        slot_post, slot_position = self._slot_post_view, self._slot_position_view
        distinct = len(set(keys)) == len(keys)
        if distinct and afters is not None:
            # Each n-gram once, and each one's slot and state after as the look-ahead found them,
            # its slot written already (`_look_ahead`), unless a post added since changed it.
            changed = self._changed
            if changed.isdisjoint(keys):
                for key, after in zip(keys, afters, strict=True):
                    state_of[key] = after
            else:
                for position, key, after in zip(positions, keys, afters, strict=True):
                    if key in changed:
                        state = state_of[key]
                        if state == common:
                            continue
                        after = after_new[state]
                        if after != common:
                            slot = first_slot[key] + entries[state]
                            slot_post[slot] = post
                            slot_position[slot] = position
                    state_of[key] = after
        elif distinct:
            # Each n-gram once, as in most posts: each one is new to the post.
            for position, key in zip(positions, keys, strict=True):
                state = state_of[key]
                if state == common:
                    continue
                after = after_new[state]
                if after != common:
                    slot = first_slot[key] + entries[state]
                    slot_post[slot] = post
                    slot_position[slot] = position
                state_of[key] = after
        else:
            added: set[int] = set()
            for position, key in zip(positions, keys, strict=True):
                state = state_of[key]
                if state == common:
                    continue
                if key in added:
                    after = after_same[state]
                else:
                    after = after_new[state]
                    added.add(key)
                if after != common:
                    slot = first_slot[key] + entries[state]
                    slot_post[slot] = post
                    slot_position[slot] = position
                state_of[key] = after
        # Every one of `keys` changed in the look-ahead, since those common already when it was
        # looked up are left out (see `_look_ahead`).
        if afters is not None:
            self._changed.update(keys)

    def words(self, post: int) -> Sequence[str | None]:
        """The tokens indexed for a post (`NOT_OWN` where they were quoted)."""
        return self._words[post]

    def runs(
        self,
        words: Sequence[str | None],
        *,
        positions: npt.NDArray[np.int64],
        keys: npt.NDArray[np.int32],
        breaks: Callable[[int], bool] = _never,
    ) -> list[Run]:
        """`OwnTextIndex.runs` for `words`, looked up by the numbers `keys` of the n-grams at `positions`
        (see `SharedGrams.grams_between`); the caller leaves out n-grams that hold `EXCLUDED`."""
        counts = self._states.entries[self._state[keys]]
        ends = counts.cumsum()
        slot = np.repeat(self._first_slot[keys] - ends + counts, counts)
        slot += np.arange(len(slot))
        seeds = zip(
            np.repeat(positions, counts).tolist(),
            self._slot_post[slot].tolist(),
            self._slot_position[slot].tolist(),
            strict=True,
        )
        return _runs_of(seeds, words, self._words, n=self.n, breaks=breaks)

    def long_runs(
        self,
        post: int,
        words: Sequence[str | None],
        *,
        min_length: int,
        long_length: int | None = None,
        breaks: Callable[[int], bool] = _never,
    ) -> list[Run]:
        """The runs of at least `min_length` tokens once nearby runs are joined: the same runs as
        `merge_nearby(OwnTextIndex.runs(words, ...), breaks=breaks)` keeps at that length, found
        faster. With `long_length`, only those at least that long or that hold whole lines of
        `min_length` tokens: two line ends (`line_breaks` of `__init__`) among the run's gaps, at
        least `min_length` apart.

        Most seeds are chance matches of n words that extend by a few words. The run of most seeds
        is known from comparing word numbers around them (`_known_runs`): the words that agree on
        either side, when no edit can be bridged after them. A source whose seeds' runs, however
        they are joined, cannot give a run that is kept is dropped without extending any
        (`_keeps_sources`); so is the only seed of a source that `_may_reach` rejects. The seeds of
        a source that is kept are gone through in the same order as in `runs` (the diagonals
        reached depend only on that source's seeds), a known run built without `_extend`, so
        every source that is kept gives exactly the runs `runs` gives.

        Args:
            post: the searched post's index in the thread; every post before it has been added.
            words: its tokens, `EXCLUDED` in its excluded ranges (see `__init__`).
            min_length: fewest tokens a run must span after joining.
            long_length: tokens from which a run need not hold whole lines; any run is kept when None.
            breaks: as in `OwnTextIndex.runs`; where `line_breaks` of `__init__` has a line end.

        Returns:
            The joined runs kept, ordered by start.
        """
        assert post == len(self._words)
        assert long_length is None or self._line_breaks is not None
        lengths = (min_length, long_length)
        ahead = self._lookahead
        if not ahead.start <= post < ahead.stop or lengths != ahead.lengths:
            ahead = self._look_ahead(post, min_length, long_length)
        at = post - ahead.start
        first, last = ahead.key_bounds[at], ahead.key_bounds[at + 1]
        if self._changed.isdisjoint(ahead.keys[first:last]):
            first, last = ahead.seed_bounds[at], ahead.seed_bounds[at + 1]
            seeds: Iterable[tuple[int, int, int, bool, int, int]] = zip(
                ahead.positions[first:last],
                ahead.sources[first:last],
                ahead.source_positions[first:last],
                ahead.lone[first:last],
                ahead.starts[first:last],
                ahead.stops[first:last],
                strict=True,
            )
        else:
            # A post of the look-ahead added since changed some of its n-grams' postings.
            seeds = self._seeds_since(ahead, post)
        n = self.n
        indexed = self._words
        runs: list[Run] = []
        # The run of a source's only seed joins no other: `merge_nearby` would keep it as it is.
        alone: list[Run] = []
        reached: dict[int, int] = {}  # diagonal -> end of the run found there, for the current source
        current = -1
        for position, source, source_position, single, start, stop in seeds:
            if single:
                if start >= 0:
                    # Known, and kept by `_keeps_sources` only if it is kept here.
                    shift = source_position - position
                    alone.append(Run(source, start, stop, start + shift, stop + shift, stop - start))
                    continue
                run = _extend(words, indexed[source], source, position, source_position, n, breaks)
                if run.stop - run.start >= min_length and self._kept(post, run, min_length, long_length):
                    alone.append(run)
                continue
            if source != current:
                reached = {}
                current = source
            if reached.get(source_position - position, -1) > position:
                continue
            if start >= 0:
                shift = source_position - position
                run = Run(source, start, stop, start + shift, stop + shift, stop - start)
            else:
                run = _extend(words, indexed[source], source, position, source_position, n, breaks)
            reached[source_position - position] = run.stop
            reached[run.source_stop - run.stop] = run.stop
            runs.append(run)
        if runs:
            alone += (
                run
                for run in merge_nearby(runs, breaks=breaks)
                if run.stop - run.start >= min_length and self._kept(post, run, min_length, long_length)
            )
        # No two runs share a start and a source: the order `merge_nearby` gives them.
        alone.sort(key=_start_and_source)
        return alone

    def _kept(self, post: int, run: Run, min_length: int, long_length: int | None) -> bool:
        """Whether a run of at least `min_length` tokens is long or holds lines (see `long_runs`)."""
        if long_length is None or run.stop - run.start >= long_length:
            return True
        assert self._line_breaks is not None
        ends = self._line_breaks[post]
        first = ends.find(1, run.start, run.stop + 1)
        return first >= 0 and ends.rfind(1, first, run.stop + 1) - first >= min_length

    def _seeds_since(self, ahead: _Lookahead, post: int) -> list[tuple[int, int, int, bool, int, int]]:
        """The seeds of `post` as `_seeds` would look them up now, from those `ahead` found: the
        posts added since (from `ahead.start` on) only ever made an n-gram common, which drops its
        seeds, or added positions of their own, which are seeds from sources after all those found
        (their runs not known: extended).

        A seed that was one of several of its source and is now its source's only one stays marked
        as not lone (and is not tested by `_may_reach`): `long_runs` gives the same runs either
        way, since a source's only run joins no other and is kept exactly when it is long enough.
        Dropping seeds of a source never makes a source dropped by `_keeps_sources` worth keeping.
        """
        common, entries = self._states.common, self._states.entries_of
        state_of, first_slot = self._state_view, self._first_slot_view
        slot_post, slot_position = self._slot_post_view, self._slot_position_view
        at = post - ahead.start
        first, last = ahead.key_bounds[at], ahead.key_bounds[at + 1]
        keys = ahead.keys[first:last]
        changed = self._changed.intersection(keys)
        made_common = {key for key in changed if state_of[key] == common}
        low, high = ahead.seed_bounds[at], ahead.seed_bounds[at + 1]
        seeds = list(
            zip(
                ahead.positions[low:high],
                ahead.sources[low:high],
                ahead.source_positions[low:high],
                ahead.lone[low:high],
                ahead.starts[low:high],
                ahead.stops[low:high],
                strict=True,
            )
        )
        start = int(self._shared.offsets[post])
        if made_common:
            keys_of = self._keys_view
            seeds = [seed for seed in seeds if keys_of[start + seed[0]] not in made_common]
        # The others got positions of posts added since.
        changed -= made_common
        if not changed:
            return seeds
        added: list[tuple[int, int, int]] = []  # (source, position, source position)
        for index, key in enumerate(keys):
            if key in changed:
                position = int(ahead.where[first + index]) - start
                for slot in range(first_slot[key], first_slot[key] + entries[state_of[key]]):
                    if slot_post[slot] >= ahead.start:
                        added.append((slot_post[slot], position, slot_position[slot]))
        # Grouped by source, each source's seeds in the order found (a stable sort).
        added.sort(key=_source_of)
        for index, (source, position, source_position) in enumerate(added):
            lone = (index == 0 or added[index - 1][0] != source) and (
                index + 1 == len(added) or added[index + 1][0] != source
            )
            seeds.append((position, source, source_position, lone, -1, -1))
        return seeds

    def _look_ahead(self, post: int, min_length: int, long_length: int | None) -> _Lookahead:
        """Look up the seeds of the next `block` posts from `post` on in the index as it is now."""
        offsets = self._shared.offsets
        stop = min(post + self._block, len(offsets) - 1)
        begin = int(offsets[post])
        where = self._searched[begin : offsets[stop]].nonzero()[0] + begin
        indexed = self._shared.seen_after[begin : offsets[stop]].nonzero()[0] + begin
        # An n-gram common already stays common: adding it changes nothing.
        indexed_keys = self._shared.keys[indexed]
        indexed_state = self._state[indexed_keys]
        worth = indexed_state != self._states.common
        indexed, indexed_keys, indexed_state = indexed[worth], indexed_keys[worth], indexed_state[worth]
        indexed_post = offsets.searchsorted(indexed, side="right") - 1
        indexed_slots = self._first_slot[indexed_keys] + self._states.entries[indexed_state]
        indexed_afters = self._states.after_new_array[indexed_state]
        # Each slot a post of the block takes for an n-gram no post before it in the block adds
        # is written now, for `_store`: it lies past the n-gram's entries, read by nobody before
        # that post adds the n-gram. The first post of the block to take a slot gets it: any later
        # one finds the n-gram changed (added, or left out by the first for a quote, see `add`).
        taken = (indexed_afters != self._states.common).nonzero()[0]
        slot, first = np.unique(indexed_slots[taken], return_index=True)
        self._slot_post[slot] = indexed_post[taken[first]]
        self._slot_position[slot] = (indexed - offsets[indexed_post])[taken[first]]
        searched = offsets.searchsorted(where, side="right") - 1
        bounds = np.arange(post, stop + 1)
        seeker, position, source, source_position, lone, run_start, run_stop = self._seeds(
            where, searched, min_length, long_length
        )
        self._lookahead = _Lookahead(
            start=post,
            stop=stop,
            lengths=(min_length, long_length),
            where=where,
            keys=self._shared.keys[where].tolist(),
            key_bounds=searched.searchsorted(bounds).tolist(),
            seed_bounds=seeker.searchsorted(bounds).tolist(),
            indexed_positions=(indexed - offsets[indexed_post]).tolist(),
            indexed_keys=indexed_keys.tolist(),
            indexed_afters=indexed_afters.tolist(),
            index_bounds=indexed_post.searchsorted(bounds).tolist(),
            positions=position.tolist(),
            sources=source.tolist(),
            source_positions=source_position.tolist(),
            lone=lone.tolist(),
            starts=run_start.tolist(),
            stops=run_stop.tolist(),
        )
        self._changed = set()
        return self._lookahead

    def _seeds(
        self,
        where: npt.NDArray[np.int64],
        searched: npt.NDArray[np.int64],
        min_length: int,
        long_length: int | None,
    ) -> tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
        npt.NDArray[np.bool_],
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
    ]:
        """The seeds of the n-grams at flat positions `where` (of posts `searched`, increasing): their
        searched post, position there, source post, position there, whether it is the one seed of
        its (post, source) pair, and its run's start and stop in the searched post if known (else
        -1). Grouped by searched post, then source; within a group in the order `OwnTextIndex.runs`
        visits them. Left out: the seeds of sources `_keeps_sources` drops, and lone seeds of
        unknown runs that `_may_reach` rejects."""
        offsets = self._shared.offsets
        keys = self._shared.keys[where]
        counts = self._states.entries[self._state[keys]]
        ends = counts.cumsum()
        slot = np.repeat(self._first_slot[keys] - ends + counts, counts)
        slot += np.arange(len(slot))
        source = self._slot_post[slot]
        source_position = self._slot_position[slot]
        where = np.repeat(where, counts)
        searched = np.repeat(searched, counts)
        order = (searched * len(offsets) + source).argsort(kind="stable")
        where, searched, source, source_position = (
            where[order],
            searched[order],
            source[order],
            source_position[order],
        )
        changes = np.empty(len(source) + 1, dtype=np.bool_)
        changes[0] = changes[-1] = True
        changes[1:-1] = (source[1:] != source[:-1]) | (searched[1:] != searched[:-1])
        lone = changes[:-1] & changes[1:]
        group = np.cumsum(changes[:-1]) - 1
        # Positions in `_own`.
        seed_at = where + _PAD * (searched + 1)
        source_at = self._base[source] + source_position
        rules = _reach_rules(self.n, min_length)
        if rules is not None and lone.any():
            # Most seeds: a cheaper test than `_known_runs` for the only seed of a source.
            alone = lone.nonzero()[0]
            kept = ~lone
            kept[alone] = self._may_reach(seed_at[alone], source_at[alone], rules)
            where, searched, source, source_position, lone, group, seed_at, source_at = (
                where[kept],
                searched[kept],
                source[kept],
                source_position[kept],
                lone[kept],
                group[kept],
                seed_at[kept],
                source_at[kept],
            )
        known, run_start, run_stop = self._known_runs(seed_at, source_at)
        kept = self._keeps_sources(group, known, run_start, run_stop, min_length, long_length)
        where, searched, source, source_position, lone, seed_at, known = (
            where[kept],
            searched[kept],
            source[kept],
            source_position[kept],
            lone[kept],
            seed_at[kept],
            known[kept],
        )
        # In the searched post, -1 where not known.
        shift = seed_at - where + offsets[searched]
        run_start = np.where(known, run_start[kept] - shift, -1)
        run_stop = np.where(known, run_stop[kept] - shift, -1)
        return searched, where - offsets[searched], source, source_position, lone, run_start, run_stop

    def _known_runs(
        self, seed_at: npt.NDArray[np.int64], source_at: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For seeds at `seed_at` in `_own` matching `source_at` there: whether `_extend` gives the
        run of the words that agree around the seed (fewer than `_PAD` either side, and no bridge of
        `_BRIDGES` can follow them, not looking at what else a bridge needs), and its start and stop
        in `_own`. Every source added already, its own text no longer changes."""
        n = self.n
        # The words around each seed and its source: `_PAD` before, the seed, `_PAD` after and the
        # words a bridge compares after those. A post's end stops the words that agree, so the
        # words read lie within the post and the padding after it.
        window = np.arange(-_PAD, n + _PAD + max(max(skips) for skips in _BRIDGES) + _CONFIRM)
        words = self._own[seed_at[:, None] + window]
        source_words = self._own[source_at[:, None] + window]
        # The padding around the searched post matches the padding and quoted words of a source.
        same = (words == source_words) & (words >= 0)
        before, after = same[:, _PAD - 1 :: -1], same[:, _PAD + n : 2 * _PAD + n]
        back = np.where(before.all(axis=1), _PAD, before.argmin(axis=1))
        forward = np.where(after.all(axis=1), _PAD, after.argmin(axis=1))
        known = (back < _PAD) & (forward < _PAD)
        # The words a bridge compares after the words that agree (any, where those reach `_PAD`).
        rows = np.arange(len(seed_at))[:, None]
        at_stop = _PAD + n + np.minimum(forward, _PAD - 1)[:, None] + np.arange(window[-1] - n - _PAD + 1)
        words, source_words = words[rows, at_stop], source_words[rows, at_stop]
        for skip, source_skip in _BRIDGES:
            bridged = np.ones(len(seed_at), dtype=np.bool_)
            for step in range(_CONFIRM):
                word = words[:, skip + step]
                bridged &= (word == source_words[:, source_skip + step]) & (word >= 0)
            known &= ~bridged
        stop = seed_at + n + forward
        return known, seed_at - back, stop

    def _keeps_sources(
        self,
        group: npt.NDArray[np.int64],
        known: npt.NDArray[np.bool_],
        run_start: npt.NDArray[np.int64],
        run_stop: npt.NDArray[np.int64],
        min_length: int,
        long_length: int | None,
    ) -> npt.NDArray[np.bool_]:
        """Per seed, whether `long_runs` goes through the seeds of its (post, source) pair `group`
        (increasing): the runs of one source are joined only when at most `_MAX_EDIT` words lie
        between them, so every run `merge_nearby` gives lies within one cluster of runs so close;
        when every run is known and no cluster spans a run that is kept (long enough, holding
        lines), no run of the source is kept."""
        if not len(group):
            return known.copy()
        kept = np.zeros(int(group[-1]) + 1, dtype=np.bool_)
        kept[group[~known]] = True
        sure = ~kept[group]
        seed_group = group
        group, start, stop = group[sure], run_start[sure], run_stop[sure]
        if len(group):
            order = np.lexsort((start, group))
            group, start, stop = group[order], start[order], stop[order]
            # The farthest stop so far in each group: the groups are increasing, stops < 2**32.
            lifted = group << 32
            reach = np.maximum.accumulate(lifted + stop) - lifted
            new = np.ones(len(group), dtype=np.bool_)
            new[1:] = (group[1:] != group[:-1]) | (start[1:] > reach[:-1] + _MAX_EDIT)
            firsts = new.nonzero()[0]
            span_start, span_stop = start[firsts], np.maximum.reduceat(stop, firsts)
            span = span_stop - span_start
            spans_kept = span >= min_length
            if long_length is not None:
                spans_kept &= (span >= long_length) | self._hold_lines(span_start, span_stop, min_length)
            kept[group[firsts[spans_kept]]] = True
        result: npt.NDArray[np.bool_] = kept[seed_group]
        return result

    def _hold_lines(
        self, span_start: npt.NDArray[np.int64], span_stop: npt.NDArray[np.int64], length: int
    ) -> npt.NDArray[np.bool_]:
        """Whether spans `[span_start, span_stop)` of `_own` hold two line ends `length` apart among
        their gaps (`_kept` for many spans)."""
        ends = self._line_ends
        assert ends is not None
        first = ends[ends.searchsorted(span_start)]
        last = ends[ends.searchsorted(span_stop, side="right") - 1]
        result: npt.NDArray[np.bool_] = last - first >= length
        return result

    def _may_reach(
        self,
        seed_at: npt.NDArray[np.int64],
        source_at: npt.NDArray[np.int64],
        rules: _ReachRules,
    ) -> npt.NDArray[np.bool_]:
        """For seeds at `seed_at` in `_own` matching `source_at` there, whether `_extend` may make a
        run of `min_length` tokens of them: False only for those whose run is certainly shorter (see
        `_reach_rules`)."""
        words = self._own[seed_at[:, None] + rules.offsets]
        source_words = self._own[source_at[:, None] + rules.source_offsets]
        # The padding around the searched post matches the padding and quoted words of a source.
        same = (words == source_words) & (words >= 0)
        result: npt.NDArray[np.bool_] = np.logical_or.reduce(
            np.logical_and.reduce(same[:, rules.clauses], axis=2), axis=1
        )
        return result


@dataclass(frozen=True, slots=True)
class _Lookahead:
    """The seeds of posts `start` to `stop - 1`, looked up at once (see `NumberedOwnTextIndex`): the
    flat positions and numbers of the n-grams each post looks up (`key_bounds` per post, from
    `start`), the seeds found, as `_seeds` gives them (`seed_bounds` per post), and the flat
    positions (in their post) and numbers of the n-grams worth indexing (those a later post has
    and that were not common yet; `index_bounds` per post), with the state each leaves once added,
    as the index is at `start` (the slot each takes is written by `_look_ahead` itself)."""

    start: int
    stop: int
    lengths: tuple[int, int | None]
    where: npt.NDArray[np.int64]
    keys: list[int]
    key_bounds: list[int]
    seed_bounds: list[int]
    positions: list[int]
    sources: list[int]
    source_positions: list[int]
    lone: list[bool]
    starts: list[int]
    stops: list[int]
    indexed_positions: list[int]
    indexed_keys: list[int]
    indexed_afters: list[int]
    index_bounds: list[int]


@dataclass(frozen=True, slots=True)
class _States:
    """What an n-gram of `NumberedOwnTextIndex` holds, in one byte: `entries` positions in `posts`
    posts, or `common`. The tables give, per state, the entries, and the state after one more
    position of a post the n-gram is not in yet (`after_new`) or of the post it was last added from
    (`after_same`)."""

    common: int
    entries: npt.NDArray[np.int8]
    after_new_array: npt.NDArray[np.uint8]
    entries_of: bytes
    after_new: bytes
    after_same: bytes

    @staticmethod
    @functools.cache
    def of(max_posts: int) -> _States:
        """The states and tables for n-grams that may be in `max_posts` posts."""
        limit = 4 * max_posts
        common = (limit + 1) * (max_posts + 1)
        assert max_posts >= 1 and common < 256
        entries = bytearray(common + 1)
        after_new = bytearray([common] * (common + 1))
        after_same = bytearray([common] * (common + 1))
        for held in range(limit + 1):
            for holding in range(max_posts + 1):
                state = held * (max_posts + 1) + holding
                entries[state] = held
                # As `OwnTextIndex.add`: the first position is always stored; one more position
                # makes the n-gram common when it holds `limit` already, or, from a post it is not
                # in yet, when it is in `max_posts` posts already.
                if held == 0 or (holding < max_posts and held < limit):
                    after_new[state] = (held + 1) * (max_posts + 1) + holding + 1
                if held < limit:
                    after_same[state] = state + max_posts + 1
        return _States(
            common,
            np.frombuffer(bytes(entries), dtype=np.int8),
            np.frombuffer(bytes(after_new), dtype=np.uint8),
            bytes(entries),
            bytes(after_new),
            bytes(after_same),
        )


# Word numbers that match nothing around each post's own text, and the most words a seed's
# neighbourhood spans on either side of it (see `_reach_rules`).
_PAD = 16


@dataclass(frozen=True, slots=True)
class _ReachRules:
    """Which words around a seed must agree for `_extend` to possibly make its run `min_length`
    long. Literal `i` holds when the searched post's word at `offsets[i]` from the seed equals the
    source's word at `source_offsets[i]` from the seed's position there. A clause (a row of
    `clauses`: the literals it needs, repeated to one length) holds when all its literals hold."""

    offsets: npt.NDArray[np.int64]
    source_offsets: npt.NDArray[np.int64]
    clauses: npt.NDArray[np.int64]


@functools.cache
def _reach_rules(n: int, min_length: int) -> _ReachRules | None:
    """The clauses for seeds of n words: the words around the seed that agree already give
    `min_length` (`back` before it and `need - back` after it), or the first two words after an
    edit after the words that agree are equal (a bridge of `_BRIDGES`; whether the edit holds no
    excluded or quoted word and no line break is not looked at). When none holds, `_extend` stops
    after the words that agree, short of `min_length`. None when every seed may reach it, or when
    the words to compare lie farther than `_PAD` from the seed."""
    need = min_length - n
    last = n + need - 1 + max(max(skips) for skips in _BRIDGES) + _CONFIRM - 1
    if need <= 0 or need > _PAD or last - n >= _PAD:
        return None
    literals: dict[tuple[int, int], int] = {}

    def same(offset: int, source_offset: int) -> int:
        return literals.setdefault((offset, source_offset), len(literals))

    clauses: list[list[int]] = []
    for back in range(need + 1):
        clauses.append(
            [same(-step, -step) for step in range(1, back + 1)]
            + [same(n + step, n + step) for step in range(need - back)]
        )
    for ahead in range(need):
        stop = n + ahead
        for skip, source_skip in _BRIDGES:
            clauses.append([same(stop + skip + step, stop + source_skip + step) for step in range(_CONFIRM)])
    longest = max(map(len, clauses))
    return _ReachRules(
        offsets=np.array([offset for offset, _ in literals]),
        source_offsets=np.array([source_offset for _, source_offset in literals]),
        clauses=np.array([members + members[:1] * (longest - len(members)) for members in clauses]),
    )


def _runs_of(
    seeds: Iterable[tuple[int, int, int]],
    words: Sequence[str | None],
    indexed: Sequence[Sequence[str | None]],
    *,
    n: int,
    breaks: Callable[[int], bool],
) -> list[Run]:
    """The runs of `seeds` (position, source post, position there) in order, each extended once:
    a seed inside a run already found on its diagonal is skipped."""
    reached: dict[tuple[int, int], int] = {}  # (source, diagonal) -> end of the run found there
    runs: list[Run] = []
    for position, source, source_position in seeds:
        diagonal = (source, source_position - position)
        if reached.get(diagonal, -1) > position:
            continue
        run = _extend(words, indexed[source], source, position, source_position, n, breaks)
        reached[diagonal] = run.stop
        reached[(source, run.source_stop - run.stop)] = run.stop
        runs.append(run)
    return runs


def _extend(
    words: Sequence[str | None],
    other: Sequence[str | None],
    source: int,
    position: int,
    source_position: int,
    n: int,
    breaks: Callable[[int], bool],
) -> Run:
    """The run through the seed of n words at `position` that matches `other` (the own text of post
    `source`) at `source_position`: extended back and forth over equal words and `_BRIDGES`."""
    start, source_start = position, source_position
    while start > 0 and source_start > 0 and words[start - 1] == other[source_start - 1]:
        start -= 1
        source_start -= 1
    stop, source_stop = position + n, source_position + n
    matched = stop - start
    size, source_size = len(words) - _CONFIRM, len(other) - _CONFIRM
    while True:
        # Most seeds are chance matches that end within a few words of the n-gram: compare word by
        # word first, in blocks (`_common_prefix`) only past that.
        same = 0
        limit = min(len(words) - stop, len(other) - source_stop)
        while same < limit and words[stop + same] == other[source_stop + same]:
            same += 1
            if same == _WORD_BY_WORD:
                same += _common_prefix(words, stop + same, other, source_stop + same)
                break
        stop += same
        source_stop += same
        matched += same
        for skip, source_skip in _BRIDGES:
            after, source_after = stop + skip, source_stop + source_skip
            # Most seeds are chance matches of a few words: reject a bridge on its first
            # word before building any slice.
            if after > size or source_after > source_size or words[after] != other[source_after]:
                continue
            ahead = words[after : after + _CONFIRM]
            if (
                len(ahead) == _CONFIRM
                and EXCLUDED not in words[stop : after + _CONFIRM]
                and NOT_OWN not in other[source_stop:source_after]
                and ahead == other[source_after : source_after + _CONFIRM]
                and not any(breaks(token) for token in range(stop, after + 1))
            ):
                stop, source_stop = after, source_after
                break
        else:
            return Run(source, start, stop, source_start, source_stop, matched)


def _common_prefix(words: Sequence[str | None], at: int, other: Sequence[str | None], other_at: int) -> int:
    """How many tokens agree from `words[at]` and `other[other_at]` on."""
    count = 0
    # Compare in growing blocks first: a copied paragraph is usually long, and slice equality is
    # done in C; the token-by-token loop only finishes the last, partial block.
    block = 8
    while True:
        left = words[at + count : at + count + block]
        if len(left) == block and left == other[other_at + count : other_at + count + block]:
            count += block
            block = min(block * 2, 1024)
            continue
        for word, other_word in zip(
            left, other[other_at + count : other_at + count + len(left)], strict=False
        ):
            if word != other_word:
                return count
            count += 1
        return count


def merge_nearby(
    runs: Sequence[Run],
    *,
    max_edit: int = _MAX_EDIT,
    max_omitted: int = 8,
    breaks: Callable[[int], bool] = _never,
) -> list[Run]:
    """Join runs from the same source that follow each other closely (a trimmed or retyped quote).

    Two runs join when the words between them differ by a small edit (at most `max_edit` words on
    either side, the two counts within one of each other) or when the quoter left out at most
    `max_omitted` words of the source and added none. Words the quoter added between two copied
    passages are their own text, so a run is never joined across those.

    Args:
        runs: runs of one searched post.
        max_edit: most words of a retyped stretch between two runs.
        max_omitted: most source words left out between two runs.
        breaks: whether a line break comes before a token; runs never join across one.

    Returns:
        The runs after joining, ordered by start.
    """
    merged: list[Run] = []
    for run in sorted(runs, key=lambda run: (run.source, run.start, -run.stop)):
        last = merged[-1] if merged else None
        if last is not None and last.source == run.source and run.stop <= last.stop:
            continue  # inside the last run: the same passage found again on another diagonal
        gap = run.start - last.stop if last is not None else -1
        source_gap = run.source_start - last.source_stop if last is not None else -1
        if (
            last is not None
            and last.source == run.source
            and gap >= 0
            and source_gap >= 0
            and (
                (gap <= max_edit and source_gap <= max_edit and abs(gap - source_gap) <= 1)
                or (gap == 0 and source_gap <= max_omitted)
            )
            and not any(breaks(token) for token in range(last.stop, run.start + 1))
        ):
            merged[-1] = replace(
                last, stop=run.stop, source_stop=run.source_stop, matched=last.matched + run.matched
            )
        else:
            merged.append(run)
    return sorted(merged, key=lambda run: (run.start, run.source))


def choose_disjoint(
    runs: Sequence[Run],
    *,
    accept: Callable[[Run], bool],
    may_repeat: Callable[[Run], bool] = _never_run,
) -> list[Run]:
    """Pick runs that do not overlap in the searched post: longest first, earliest source on ties.

    A run that overlaps one already picked is trimmed to its longest free part, which must still
    pass `accept`. A run repeating more than half of a source passage already picked is the
    quoter restating it in their own words and is dropped, unless `may_repeat` allows it.

    Args:
        runs: candidate runs of one searched post.
        accept: whether a (possibly trimmed) run is long and well placed enough to be a quote.
        may_repeat: whether a run may quote a source passage a second time.

    Returns:
        The chosen runs, ordered by start.
    """
    chosen: list[Run] = []
    for run in sorted(runs, key=lambda run: (-run.matched, run.source, run.start)):
        for taken in chosen:
            if run.start < taken.stop and taken.start < run.stop:
                run = _trim(run, taken)
                if run.stop <= run.start:
                    break
        else:
            if accept(run) and (may_repeat(run) or not any(_restates(run, taken) for taken in chosen)):
                chosen.append(run)
    return sorted(chosen, key=lambda run: run.start)


def _restates(run: Run, taken: Run) -> bool:
    shared = min(run.source_stop, taken.source_stop) - max(run.source_start, taken.source_start)
    return run.source == taken.source and shared * 2 > run.source_stop - run.source_start


def _trim(run: Run, taken: Run) -> Run:
    """The longer part of `run` outside `taken` (source offsets shifted along the diagonal)."""
    # Built directly: `dataclasses.replace` costs several times more, once per trimmed run.
    before = taken.start - run.start
    after = run.stop - taken.stop
    if before >= after:
        cut = run.stop - taken.start
        stop = taken.start
        return Run(
            run.source,
            run.start,
            stop,
            run.source_start,
            max(run.source_start, run.source_stop - cut),
            max(0, min(run.matched, stop - run.start)),
        )
    cut = taken.stop - run.start
    return Run(
        run.source,
        taken.stop,
        run.stop,
        min(run.source_stop, run.source_start + cut),
        run.source_stop,
        max(0, min(run.matched, run.stop - taken.stop)),
    )
