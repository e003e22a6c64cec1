"""Counts in words that agree with them: "1 post", "2 posts", never "1 posts"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` followed by `noun`, in the plural unless the count is one.

    Args:
        count: how many.
        noun: the singular ("post", "named author").
        plural: the plural when it is not `noun` + "s" ("replies").

    Returns:
        "1 post", "0 posts", "3 replies", "131,802 links" (thousands separated: these counts are
        read by people, and a large thread's run together).
    """
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
