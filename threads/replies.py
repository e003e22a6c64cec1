"""Reply inference for posts that no quote or declared reply links (parser cascade, step 4)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from threads.model import Edge, PostDraft

# "@name" anywhere near the start, or "Name," / "Name:" opening the post.
_ADDRESS = re.compile(r"^\s*@?(?P<name>[^\s,:@]{2,40})\s*[,:]|@(?P<at>[\w.\-]{2,40})")


def infer_replies(posts: Sequence[PostDraft], *, linked: Collection[str]) -> Iterator[Edge]:
    """Yield an `inferred` edge for every post after the first that nothing else links.

    A post that addresses an earlier author by name ("@name" or "Name," at its start) replies to
    that author's latest earlier post; any other unlinked post answers the thread, i.e. its first
    post. The first post never gets an edge.

    Args:
        posts: the thread's posts, ids assigned, in order.
        linked: ids of posts that already have a quote or reply edge.
    """
    if not posts:
        return
    root_id = posts[0].id
    latest_by_author: dict[str, str] = {}
    for index, post in enumerate(posts):
        assert post.id is not None
        if index > 0 and post.id not in linked:
            target = _addressed_post(post.text[:200], latest_by_author) or root_id
            if target is not None and target != post.id:
                yield Edge(post.id, target, "inferred")
        if post.author:
            latest_by_author[post.author.casefold()] = post.id


def _addressed_post(opening: str, latest_by_author: dict[str, str]) -> str | None:
    if not latest_by_author:
        return None  # no author yet (copied page text names none): no name can be found
    for match in _ADDRESS.finditer(opening):
        name = (match.group("name") or match.group("at") or "").casefold()
        if name in latest_by_author:
            return latest_by_author[name]
    return None
