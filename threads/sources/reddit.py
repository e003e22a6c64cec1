"""Reddit threads as JSON: API comment listings (`/comments/<id>.json`) and nested comment dumps."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from threads.errors import InputError
from threads.model import PostDraft, QuoteMark, ThreadDraft
from threads.sources.markdown_quotes import find_source, normalized, split_quotes
from threads.sources.values import expect_dict, expect_list, optional_str, text_of, timestamp

_LINK = re.compile(r"\]\((?:https?://|/r/|/u/)|(?<![(\[])\bhttps?://\S+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


@dataclass(frozen=True, slots=True)
class _Comment:
    id: str
    parent: str | None
    author: str | None
    created_at: datetime | None
    body: str
    order: int


def is_listing(document: Any) -> bool:
    """Whether a parsed JSON document is a Reddit API `[post listing, comment listing]` pair."""
    return (
        isinstance(document, list)
        and len(document) == 2
        and all(isinstance(part, dict) and part.get("kind") == "Listing" for part in document)
    )


def is_nested_dump(document: Any) -> bool:
    """Whether a parsed JSON document is a nested comment dump (`sid`, `comments: {id: {..., replies}}`)."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("comments"), dict)
        and ("sid" in document or "title:" in document)
    )


def read_listing(document: list[Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a Reddit API comments response: the submission, then every loaded comment.

    Comments are ordered by creation time (ties keep the page's tree order); `parent_id` gives
    each comment's reply parent; "more" stubs (comments the response did not load) are counted
    in a warning.

    Raises:
        InputError: the listings do not have Reddit's shape.
    """
    warnings: list[str] = []
    posts_listing = expect_list(
        expect_dict(document[0].get("data"), "post listing data").get("children"), "post listing children"
    )
    if not posts_listing:
        raise InputError("Reddit post listing is empty")
    submission = expect_dict(expect_dict(posts_listing[0], "submission").get("data"), "submission data")
    root_id = optional_str(submission.get("id")) or "t3"
    root = _Comment(
        id=root_id,
        parent=None,
        author=optional_str(submission.get("author")),
        created_at=timestamp(submission.get("created_utc")),
        body=text_of(submission.get("selftext")) or text_of(submission.get("url")),
        order=0,
    )
    comments_data = expect_dict(document[1].get("data"), "comment listing data")
    comments, missing = _listing_comments(
        expect_list(comments_data.get("children"), "comment listing children"), warnings
    )
    expected = submission.get("num_comments")
    if missing:
        warnings.append(f"{missing} comments were not loaded in this response ('more' stubs)")
    if isinstance(expected, int) and len(comments) < expected and not missing:
        warnings.append(f"the submission counts {expected} comments; {len(comments)} are present")
    return _draft(
        root,
        comments,
        title=optional_str(submission.get("title")),
        source=source,
        key=f"reddit:{root_id}",
        warnings=warnings,
    )


def read_nested_dump(document: dict[str, Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a nested dump: submission fields plus `comments` keyed by id, `replies` nested.

    Raises:
        InputError: `comments` or a `replies` value is not an object.
    """
    warnings: list[str] = []
    root_id = optional_str(document.get("sid")) or "submission"
    root = _Comment(
        id=root_id,
        parent=None,
        author=optional_str(document.get("author")),
        created_at=timestamp(document.get("created")),
        body=text_of(document.get("text")),
        order=0,
    )
    comments = list(_nested_comments(document["comments"], root_id, warnings))
    title = optional_str(document.get("title:")) or optional_str(document.get("title"))
    return _draft(root, comments, title=title, source=source, key=f"reddit:{root_id}", warnings=warnings)


def _listing_comments(children: list[Any], warnings: list[str]) -> tuple[list[_Comment], int]:
    comments: list[_Comment] = []
    missing = 0
    # An explicit stack, not recursion: reply chains can be as deep as the JSON parser allows.
    stack = list(reversed(children))
    while stack:
        child = stack.pop()
        if not isinstance(child, dict) or not isinstance(child.get("data"), dict):
            warnings.append("skipped a comment entry that is not an object")
            continue
        data = child["data"]
        if child.get("kind") == "more":
            count = data.get("count")
            missing += count if isinstance(count, int) else len(data.get("children") or [])
            continue
        if child.get("kind") != "t1":
            continue
        comment_id = optional_str(data.get("id"))
        if comment_id is None:
            warnings.append("skipped a comment without an id")
            continue
        parent = optional_str(data.get("parent_id"))
        comments.append(
            _Comment(
                id=comment_id,
                parent=parent.split("_", 1)[1] if parent and "_" in parent else parent,
                author=optional_str(data.get("author")),
                created_at=timestamp(data.get("created_utc")),
                body=text_of(data.get("body")),
                order=len(comments) + 1,
            )
        )
        replies = data.get("replies")
        if isinstance(replies, dict):
            nested = (
                replies.get("data", {}).get("children") if isinstance(replies.get("data"), dict) else None
            )
            if isinstance(nested, list):
                stack.extend(reversed(nested))
    return comments, missing


def _nested_comments(comments: dict[str, Any], root_id: str, warnings: list[str]) -> Iterator[_Comment]:
    stack: list[tuple[str, str, Any]] = [(key, root_id, value) for key, value in reversed(comments.items())]
    order = 0
    while stack:
        comment_id, parent, entry = stack.pop()
        if not isinstance(entry, dict):
            warnings.append(f"comment {comment_id!r} is not an object; skipped")
            continue
        order += 1
        yield _Comment(
            id=comment_id,
            parent=parent,
            author=optional_str(entry.get("author")),
            created_at=timestamp(entry.get("created")),
            body=text_of(entry.get("text")),
            order=order,
        )
        replies = entry.get("replies")
        if isinstance(replies, dict):
            stack.extend((key, comment_id, value) for key, value in reversed(replies.items()))
        elif replies not in (None, "", []):
            warnings.append(f"replies of comment {comment_id!r} are not an object; ignored")


def _draft(
    root: _Comment,
    comments: list[_Comment],
    *,
    title: str | None,
    source: str | None,
    key: str,
    warnings: list[str],
) -> ThreadDraft:
    # Chronological order keeps every reply after its parent and makes "earlier post" mean what
    # a reader saw first; comments without a time keep their tree order.
    ordered = (
        [
            root,
            *sorted(
                comments, key=lambda c: (c.created_at is None, c.created_at or root.created_at or 0, c.order)
            ),
        ]
        if all(c.created_at for c in comments)
        else [root, *comments]
    )
    index_of = {comment.id: index for index, comment in enumerate(ordered)}
    split = [split_quotes(_ZERO_WIDTH.sub("", html.unescape(comment.body)).strip()) for comment in ordered]
    own_texts = [normalized(_without(part.text, part.spans)) for part in split]
    posts: list[PostDraft] = []
    for index, (comment, part) in enumerate(zip(ordered, split, strict=True)):
        ancestors = _ancestors(comment, ordered, index_of) if part.spans else []
        marks = []
        for start, end in part.spans:
            found = find_source(
                part.text[start:end], ancestors=ancestors, earlier=range(index), own_texts=own_texts
            )
            marks.append(
                QuoteMark(
                    start,
                    end,
                    "markup",
                    source_post_id=ordered[found].id if found is not None else None,
                    quoted_author=ordered[found].author if found is not None else None,
                )
            )
        parent = comment.parent
        if parent is not None and parent not in index_of:
            warnings.append(f"comment {comment.id} replies to {parent!r}, which is not in the response")
        posts.append(
            PostDraft(
                text=part.text,
                id=comment.id,
                author=comment.author,
                created_at=comment.created_at,
                links=len(_LINK.findall(part.text)),
                quotes=tuple(marks),
                reply_to=(parent,) if parent is not None and parent in index_of else (),
            )
        )
    return ThreadDraft(
        format="reddit-json", posts=posts, title=title, source=source, warnings=tuple(warnings), key=key
    )


def _ancestors(comment: _Comment, ordered: list[_Comment], index_of: dict[str, int]) -> list[int]:
    result: list[int] = []
    parent = comment.parent
    seen: set[str] = set()
    while parent is not None and parent in index_of and parent not in seen:
        seen.add(parent)
        result.append(index_of[parent])
        parent = ordered[index_of[parent]].parent
    return result


def _without(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    pieces = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return "\n".join(pieces)
