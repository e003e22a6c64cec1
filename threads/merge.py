"""Several pages of one thread -> one draft: pages in order, posts captured twice dropped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from threads.model import PostDraft, ThreadDraft


def merge_drafts(drafts: Sequence[ThreadDraft]) -> ThreadDraft:
    """Merge the drafts of a thread's pages, in the order given, into one draft.

    A post already taken from an earlier page is dropped: the same id, or, when the source has no
    ids, the same author and text (pages overlap when a thread grows between two downloads).
    Repeats within one page are kept: there they are two posts. Positional ids (`p<N>` for the
    N-th post of a page, what readers give posts without ids) are renumbered for the merged
    thread. Merging happens before assembly, so quotes resolve across pages.

    Args:
        drafts: one draft per page, first page first.

    Returns:
        One draft: the first page's format, title and key (else the first a page has), every
        page's boilerplate and warnings (prefixed with the page number).

    Raises:
        ValueError: `drafts` is empty.
    """
    if not drafts:
        raise ValueError("merge_drafts needs at least one draft")
    if len(drafts) == 1:
        return drafts[0]
    seen_ids: set[str] = set()
    seen_texts: dict[tuple[str, str], str] = {}
    posts: list[PostDraft] = []
    warnings: list[str] = []
    for page, draft in enumerate(drafts, start=1):
        page_ids: set[str] = set()
        page_texts: dict[tuple[str, str], str] = {}
        # Positional ids ("p3": the third post of *this* page) are renumbered for the merged
        # thread, and the page's replies and quotes that cite them follow.
        renamed: dict[str, str] = {}
        taken: list[PostDraft] = []
        dropped = 0
        for index, post in enumerate(draft.posts):
            if post.id is not None and post.id != f"p{index + 1}":
                if post.id in seen_ids:
                    dropped += 1
                    continue
                page_ids.add(post.id)
                taken.append(post)
                continue
            content = (post.author or "", " ".join(post.text.split()))
            if content in seen_texts:
                dropped += 1
                if post.id is not None:
                    renamed[post.id] = seen_texts[content]
                continue
            new_id = f"p{len(posts) + len(taken) + 1}"
            page_texts.setdefault(content, new_id)
            if post.id is not None:
                renamed[post.id] = new_id
            taken.append(replace(post, id=new_id))
        posts.extend(_renamed(post, renamed) for post in taken)
        seen_ids |= page_ids
        for content, post_id in page_texts.items():
            seen_texts.setdefault(content, post_id)
        warnings.extend(f"page {page}: {warning}" for warning in draft.warnings)
        if dropped:
            warnings.append(f"page {page}: {dropped} posts already read from an earlier page were dropped")
    formats = {draft.format for draft in drafts}
    if len(formats) > 1:
        warnings.append(f"pages come in several formats ({', '.join(sorted(formats))})")
    first = drafts[0]
    return ThreadDraft(
        format=first.format,
        posts=posts,
        title=next((draft.title for draft in drafts if draft.title), None),
        source=first.source,
        boilerplate=tuple(item for draft in drafts for item in draft.boilerplate),
        warnings=tuple(warnings),
        key=next((draft.key for draft in drafts if draft.key), None),
    )


def _renamed(post: PostDraft, renamed: dict[str, str]) -> PostDraft:
    if not renamed:
        return post
    quotes = tuple(
        replace(mark, source_post_id=renamed.get(mark.source_post_id, mark.source_post_id))
        if mark.source_post_id is not None
        else mark
        for mark in post.quotes
    )
    return replace(
        post, reply_to=tuple(renamed.get(parent, parent) for parent in post.reply_to), quotes=quotes
    )


def group_pages(drafts: Sequence[ThreadDraft]) -> list[list[int]]:
    """Group drafts that are pages of one thread: those with the same `key`, in order of first page.

    A draft without a key (copied text, a file that does not say which thread it is) is a
    thread of its own.

    Returns:
        Lists of indexes into `drafts`, each list one thread's pages in the order given.
    """
    groups: list[list[int]] = []
    by_key: dict[str, list[int]] = {}
    for index, draft in enumerate(drafts):
        if draft.key is None:
            groups.append([index])
        elif draft.key in by_key:
            by_key[draft.key].append(index)
        else:
            by_key[draft.key] = [index]
            groups.append(by_key[draft.key])
    return groups
