"""Implicit text reuse: an incremental word n-gram index over posts' own text, seed-and-extend alignment."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

# A token that cannot match: quoted (not own) words of an indexed post, and words of a post being
# searched that lie inside a declared quote. Two different values, so they never equal each other.
NOT_OWN = ""
EXCLUDED = None

# Edits the extension steps over, as (tokens skipped in the quoting post, in the source): a changed
# word, a word dropped or added, two changed words. Two further words must agree after the edit.
_BRIDGES = ((1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2))
_CONFIRM = 2


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


_Found = list[tuple[int, int]] | tuple[()] | None


class _PostingTable(Protocol):
    """Where each n-gram occurs, looked up by its words (`_Postings`) or by its number (a list)."""

    def __getitem__(self, gram: Any, /) -> _Found: ...

    def __setitem__(self, gram: Any, found: _Found, /) -> None: ...


class _Postings(dict[Hashable, _Found]):
    """Postings keyed by words: an n-gram not indexed yet has none."""

    def __missing__(self, gram: Hashable) -> _Found:
        return ()


class OwnTextIndex:
    """Word n-grams of the own text of the posts added so far, for finding passages copied from them.

    Posts are added in thread order once their own quotes are known, so a later post can only ever
    be matched against earlier posts' own text: a quote of a quote is found in the post that wrote
    the passage. An n-gram in the own text of more than `max_posts` posts (a common phrase,
    boilerplate, a signature) is dropped from the index, as is one repeated more than
    `4 * max_posts` times: a passage copied from one post is own text in that post only. This keeps
    lookups and memory near-linear in the thread's size.

    N-grams are looked up by their words, or by the numbers `threads.shared_grams` gives them
    (`keys`, no tuple of words built per position); an index is keyed one way in every call.
    """

    def __init__(self, *, n: int = 3, max_posts: int = 3, key_count: int | None = None) -> None:
        """Create an empty index.

        Args:
            n: words per n-gram; passages shorter than this are never seeds.
            max_posts: posts whose own text may hold an n-gram before it counts as common.
            key_count: for an index keyed by numbers (see `add`), how many there are: `0` to
                `key_count - 1`; their postings are kept in a list, found without hashing.
        """
        self.n = n
        self.max_posts = max_posts
        self._words: list[Sequence[str | None]] = []
        # Where each n-gram occurs: () before it is indexed, None once it is common.
        self._postings: _PostingTable
        if key_count is None:
            self._postings = _Postings()
        else:
            numbered: list[_Found] = [()] * key_count
            self._postings = numbered

    def add(
        self,
        words: Sequence[str],
        *,
        positions: Sequence[int] | None = None,
        keys: Sequence[int] | None = None,
    ) -> int:
        """Index the next post's tokens, `NOT_OWN` in place of quoted ones; return its index.

        Args:
            words: the post's tokens.
            positions: where the n-grams worth indexing start (those a later post may look up,
                see `threads.shared_grams`); all positions when None.
            keys: the numbers of the n-grams at `positions` (see `threads.shared_grams`), to
                index instead of their words; the caller leaves out n-grams that hold `NOT_OWN`.
        """
        post = len(self._words)
        self._words.append(words)
        postings = self._postings
        max_posts = self.max_posts
        for position, gram in self._grams(words, positions, keys):
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
        self, words: Sequence[str | None], positions: Sequence[int] | None, keys: Sequence[int] | None
    ) -> Iterable[tuple[int, Hashable]]:
        if keys is not None:
            return zip(range(len(keys)) if positions is None else positions, keys, strict=True)
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
        keys: Sequence[int] | None = None,
    ) -> list[Run]:
        """Every maximal passage of `words` that also occurs in an indexed post's own text.

        Args:
            words: the searched post's tokens, `EXCLUDED` where they must not match.
            breaks: whether a line break comes before a token of `words`; a run steps over an edit
                only within a line, since words a quoter adds on a line of their own are their reply.
            positions: increasing positions where an n-gram may match (those an earlier post
                shares, see `threads.shared_grams`); all positions when None.
            keys: the numbers of the n-grams at `positions` (all positions when None), for an
                index keyed by them; the caller leaves out n-grams that hold `EXCLUDED`.

        Returns:
            Runs in order of their start, each extended across small edits (see `_BRIDGES`).
        """
        postings = self._postings
        reached: dict[tuple[int, int], int] = {}  # (source, diagonal) -> end of the run found there
        runs: list[Run] = []
        for position, gram in self._grams(words, positions, keys):
            found = postings[gram]
            if not found:
                continue
            for source, source_position in found:
                diagonal = (source, source_position - position)
                if reached.get(diagonal, -1) > position:
                    continue
                run = self._extend(words, source, position, source_position, breaks)
                reached[diagonal] = run.stop
                reached[(source, run.source_stop - run.stop)] = run.stop
                runs.append(run)
        return runs

    def long_runs(
        self,
        words: Sequence[str | None],
        *,
        min_length: int,
        breaks: Callable[[int], bool] = _never,
        positions: Sequence[int] | None = None,
        keys: Sequence[int] | None = None,
    ) -> list[Run]:
        """The runs of at least `min_length` tokens once nearby runs are joined: the same runs as
        `merge_nearby(self.runs(words, ...), breaks=breaks)` keeps at that length, found faster.

        Most seeds are chance matches of n words that extend by nothing and share their source with
        no other seed; such a run can neither reach `min_length` nor join another run, so it is
        dropped after a few word comparisons, without extending it or building a `Run`. The seeds of
        one source are extended in the same order as in `runs` (the diagonals reached depend only on
        that source's seeds), so every source that is kept gives exactly the runs `runs` gives.

        Args:
            words: the searched post's tokens, `EXCLUDED` where they must not match.
            min_length: fewest tokens a run must span after joining.
            breaks: as in `runs`.
            positions: as in `runs`.
            keys: as in `runs`.

        Returns:
            The joined runs of at least `min_length` tokens, ordered by start.
        """
        postings = self._postings
        seeds_of: dict[int, list[tuple[int, int]]] = {}
        for position, gram in self._grams(words, positions, keys):
            found = postings[gram]
            if found:
                for source, source_position in found:
                    seeds_of.setdefault(source, []).append((position, source_position))
        kept: list[Run] = []
        for source, seeds in seeds_of.items():
            if len(seeds) == 1:
                position, source_position = seeds[0]
                if self.n < min_length and _extends_by_nothing(
                    words, position, self._words[source], source_position, self.n
                ):
                    continue
                run = self._extend(words, source, position, source_position, breaks)
                if run.stop - run.start >= min_length:
                    kept.append(run)
                continue
            reached: dict[int, int] = {}  # diagonal -> end of the run found there
            for position, source_position in seeds:
                if reached.get(source_position - position, -1) > position:
                    continue
                run = self._extend(words, source, position, source_position, breaks)
                reached[source_position - position] = run.stop
                reached[run.source_stop - run.stop] = run.stop
                kept.append(run)
        return [run for run in merge_nearby(kept, breaks=breaks) if run.stop - run.start >= min_length]

    def _extend(
        self,
        words: Sequence[str | None],
        source: int,
        position: int,
        source_position: int,
        breaks: Callable[[int], bool],
    ) -> Run:
        other = self._words[source]
        start, source_start = position, source_position
        while start > 0 and source_start > 0 and words[start - 1] == other[source_start - 1]:
            start -= 1
            source_start -= 1
        stop, source_stop = position + self.n, source_position + self.n
        matched = stop - start
        size, source_size = len(words) - _CONFIRM, len(other) - _CONFIRM
        while True:
            # Most seeds are chance matches that end right after the n-gram: test one word first.
            if stop < len(words) and source_stop < len(other) and words[stop] != other[source_stop]:
                same = 0
            else:
                same = _common_prefix(words, stop, other, source_stop)
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


def _extends_by_nothing(
    words: Sequence[str | None], position: int, other: Sequence[str | None], source_position: int, n: int
) -> bool:
    """Whether the seed at `position` (matching `other` at `source_position`) is a run of its n words
    alone: what `OwnTextIndex._extend` finds in its first step, without building anything."""
    if position > 0 and source_position > 0 and words[position - 1] == other[source_position - 1]:
        return False
    stop, source_stop = position + n, source_position + n
    if stop < len(words) and source_stop < len(other) and words[stop] == other[source_stop]:
        return False
    size, source_size = len(words) - _CONFIRM, len(other) - _CONFIRM
    for skip, source_skip in _BRIDGES:
        after, source_after = stop + skip, source_stop + source_skip
        if after <= size and source_after <= source_size and words[after] == other[source_after]:
            return False
    return True


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
    max_edit: int = 2,
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
