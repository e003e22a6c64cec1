"""The parser's invariants on any assembled Thread: for the Hypothesis properties and the fuzz target."""

from __future__ import annotations

import itertools
import re

from threads.model import Thread

_SPACE = re.compile(r"\s+")


def check_thread(thread: Thread) -> None:
    """Offsets valid, quotes disjoint, sources and edges earlier, own text = text outside the quotes."""
    position = {post.id: post.position for post in thread.posts}
    assert len(position) == len(thread.posts), "post ids are not unique"
    for post in thread.posts:
        quotes = sorted((quote for quote in thread.quotes if quote.post_id == post.id), key=lambda q: q.start)
        for quote in quotes:
            assert 0 <= quote.start < quote.end <= len(post.text), quote
            assert 0 < quote.score <= 1, quote
            if quote.source_post_id is not None:
                assert position[quote.source_post_id] < post.position, quote
        for before, after in itertools.pairwise(quotes):
            assert before.end <= after.start, (before, after)
        kept, cursor = [], 0
        for quote in quotes:
            kept.append(post.text[cursor : quote.start])
            cursor = quote.end
        kept.append(post.text[cursor:])
        assert squeeze(post.own_text) == squeeze("".join(kept)), post.id
    for edge in thread.edges:
        assert position[edge.dst] < position[edge.src], edge


def squeeze(text: str) -> str:
    """Text without its whitespace: readers may re-wrap lines and trim, never drop words."""
    return _SPACE.sub("", text)


def kept_text(thread: Thread) -> str:
    """Every character a reader kept, posts and boilerplate, whitespace squeezed out."""
    return squeeze(
        "".join([post.text for post in thread.posts] + [record.text for record in thread.boilerplate])
    )
