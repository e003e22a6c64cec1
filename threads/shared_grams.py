"""Which word n-grams of a thread occur in more than one post: a vectorized prefilter for quotes.

A passage copied from one post into another shares all its word n-grams with the source, so an
n-gram found in a single post can never seed a quote. Hashing every n-gram of the whole thread
with numpy and sorting the hashes once (C loops over flat arrays) tells, for every token
position, whether its n-gram also occurs in an earlier post (worth looking up) and in a later
post (worth indexing). The per-post Python index then touches only those positions, and a post
that shares no n-gram with an earlier post skips the search entirely.

Hash collisions can only mark an n-gram shared that is not: the prefilter may keep a position
it could drop, never drop one it must keep, so quote attribution stays exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

# Odd 64-bit multipliers (golden ratio and xxHash primes) mixing the word hashes of an n-gram
# position by position, so that "a b c" and "c b a" hash differently.
_MIXERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)


@dataclass(frozen=True, slots=True)
class SharedGrams:
    """Per token position of the thread's posts (flat, post after post): the n-gram starting there
    also starts somewhere in an earlier post (`seen_before`) or in a later post (`seen_after`).
    """

    offsets: npt.NDArray[np.int64]
    seen_before: npt.NDArray[np.bool_]
    seen_after: npt.NDArray[np.bool_]

    def search_positions(self, post: int) -> list[int]:
        """Positions in post `post` whose n-gram an earlier post also has."""
        start, stop = self.offsets[post], self.offsets[post + 1]
        return np.flatnonzero(self.seen_before[start:stop]).tolist()

    def index_positions(self, post: int) -> list[int]:
        """Positions in post `post` whose n-gram a later post also has."""
        start, stop = self.offsets[post], self.offsets[post + 1]
        return np.flatnonzero(self.seen_after[start:stop]).tolist()


def shared_grams(words: Sequence[Sequence[str]], *, n: int) -> SharedGrams:
    """Find the n-grams each post shares with earlier and later posts.

    Args:
        words: every post's tokens, in thread order.
        n: words per n-gram (at most 4).

    Returns:
        Flags per token position; a position starts an n-gram only if n tokens of its post
        follow, so the last `n - 1` positions of every post are never flagged.
    """
    assert 1 <= n <= len(_MIXERS)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    seen_before = np.zeros(total, dtype=np.bool_)
    seen_after = np.zeros(total, dtype=np.bool_)
    if total < n:
        return SharedGrams(offsets, seen_before, seen_after)
    # Python's string hash is computed in C (and cached on the string); 64-bit wrap-around is the
    # point of the multiply-xor mix, so the arithmetic is unsigned.
    token_hash = np.fromiter(map(hash, chain.from_iterable(words)), dtype=np.int64, count=total).view(
        np.uint64
    )
    count = total - n + 1
    gram = token_hash[:count] * np.uint64(_MIXERS[0])
    for k in range(1, n):
        gram ^= token_hash[k : k + count] * np.uint64(_MIXERS[k])
    del token_hash
    post = np.repeat(np.arange(len(words), dtype=np.int32), lengths)[:count]
    # An n-gram must lie inside one post: the last n - 1 positions of each post start none.
    starts_gram = np.ones(count, dtype=np.bool_)
    for k in range(1, n):
        last = offsets[1:] - k
        starts_gram[last[(last >= offsets[:-1]) & (last < count)]] = False
    # Hashes are split by their top bits into buckets sorted one at a time: the same answer as one
    # sort of everything, with a fraction of the temporary memory on a thread of millions of words.
    bucket_of = (gram >> np.uint64(64 - _BUCKET_BITS)).astype(np.int8 if _BUCKET_BITS < 7 else np.int16)
    for bucket in range(1 << _BUCKET_BITS):
        positions = np.flatnonzero((bucket_of == bucket) & starts_gram)
        if positions.size:
            _mark(gram[positions], post[positions], positions, seen_before, seen_after)
    return SharedGrams(offsets, seen_before, seen_after)


_BUCKET_BITS = 3


def _mark(
    gram: npt.NDArray[np.uint64],
    post: npt.NDArray[np.int32],
    positions: npt.NDArray[np.int64],
    seen_before: npt.NDArray[np.bool_],
    seen_after: npt.NDArray[np.bool_],
) -> None:
    """Flag the positions whose hash also occurs at a position of an earlier (a later) post."""
    # A stable sort by hash keeps each hash's positions in thread order: the first and last entry
    # of a group are its first and last post.
    order = np.argsort(gram, kind="stable")
    sorted_gram = gram[order]
    sorted_post = post[order]
    del gram, post
    new = np.empty(len(sorted_gram), dtype=np.bool_)
    new[0] = True
    np.not_equal(sorted_gram[1:], sorted_gram[:-1], out=new[1:])
    del sorted_gram
    starts = np.flatnonzero(new)
    group = np.cumsum(new, dtype=np.int32) - 1
    ends = np.append(starts[1:] - 1, len(sorted_post) - 1)
    where = positions[order]
    seen_before[where] = sorted_post[starts][group] < sorted_post
    seen_after[where] = sorted_post[ends][group] > sorted_post
