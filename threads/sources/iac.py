"""Internet Argument Corpus discussion files (`discussion_<id>.json`): `[posts, annotations, metadata]`.

Each post is `[post_id, side, author, text, annotations, parent_post_id, category, timestamp]`
(Walker et al., LREC 2012). The corpus stripped the quote markup from `text`, so quoted passages
sit inline unmarked: the reader declares no quotes and leaves them to implicit attribution
(`threads.quotes`). The corpus's gold quote spans (`quotes_<id>.json`) index `text` as given, so
the text is kept byte for byte, not even stripped.
"""

from __future__ import annotations

from typing import Any

from threads.errors import InputError
from threads.model import PostDraft, ThreadDraft
from threads.sources.values import json_type, optional_str, timestamp

FORMAT = "iac"
POST_FIELDS = ("post_id", "side", "author", "text", "annotations", "parent_post_id", "category", "timestamp")
_SHAPE = f"[{', '.join(POST_FIELDS)}]"
# The site name 4forums.com puts before every thread title in the scraped metadata.
_SITE_TITLE_SEPARATOR = " - "


def is_discussion(document: Any) -> bool:
    """Whether a parsed JSON document looks like an IAC discussion: an array whose first item is
    an array of posts that are arrays (or no posts, followed by the annotations and metadata objects).

    Only the first post is looked at: a document shaped like this with a wrong field anywhere is
    still meant as an IAC discussion (no other thread format nests arrays so), and
    `read_discussion` says which post and field are wrong.
    """
    if not isinstance(document, list) or not document or not isinstance(document[0], list):
        return False
    posts = document[0]
    if posts:
        return isinstance(posts[0], list)
    return len(document) > 1 and all(isinstance(item, dict) for item in document[1:])


def read_discussion(document: list[Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from an IAC discussion: one post per entry of `document[0]`, in file order.

    `parent_post_id` becomes the declared reply parent, `timestamp` (Unix seconds) the date. The
    title is the first post's `post_info.post_title`, else the metadata's `title` without the
    site's prefix.

    Raises:
        InputError: the discussion has no posts, or it has the IAC shape with wrong contents: a
            post is not the eight IAC fields with their types (post id a number or string, text a
            string, author and parent id a string, number or null, timestamp a number or null), or
            the annotations or metadata are not objects. Like every JSON reader, a known shape
            with wrong types is malformed input (exit 3), not an unknown format (exit 4).
    """
    if not document[0]:
        raise InputError("IAC discussion has no posts")
    posts = [_post(number, entry) for number, entry in enumerate(document[0], start=1)]
    metadata = _extras(document)
    thread_id = optional_str(metadata.get("identifier")) or optional_str(metadata.get("id_number"))
    url = optional_str(metadata.get("url"))
    return ThreadDraft(
        format=FORMAT,
        posts=posts,
        title=_title(document[0][0], metadata),
        source=source,
        key=f"iac:{url}" if url else (f"iac:{thread_id}" if thread_id else None),
    )


def _post(number: int, entry: Any) -> PostDraft:
    if not isinstance(entry, list) or len(entry) != len(POST_FIELDS):
        raise InputError(
            f"IAC discussion: post {number} should be an array {_SHAPE}, not {_described(entry)}"
        )
    fields = dict(zip(POST_FIELDS, entry, strict=True))
    _expect(number, fields, "post_id", (int, str))
    _expect(number, fields, "text", (str,))
    for name in ("author", "parent_post_id"):
        _expect(number, fields, name, (int, str, type(None)))
    _expect(number, fields, "timestamp", (int, float, type(None)))
    _expect(number, fields, "annotations", (dict, type(None)))
    post_id = optional_str(fields["post_id"])
    if post_id is None:
        raise InputError(f"IAC discussion: post {number} has an empty post_id")
    parent = optional_str(fields["parent_post_id"])
    return PostDraft(
        text=fields["text"],
        id=post_id,
        author=optional_str(fields["author"]),
        created_at=timestamp(fields["timestamp"]),
        reply_to=(parent,) if parent else (),
    )


def _expect(number: int, fields: dict[str, Any], name: str, types: tuple[type, ...]) -> None:
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, types):
        raise InputError(
            f"IAC discussion: post {number}: {name} should be "
            f"{' or '.join(dict.fromkeys(_TYPE_NAMES[kind] for kind in types))}, not {json_type(value)}"
        )


_TYPE_NAMES: dict[type, str] = {
    int: "a number",
    float: "a number",
    str: "a string",
    dict: "an object",
    type(None): "null",
}


def _described(value: Any) -> str:
    return f"an array of {len(value)} items" if isinstance(value, list) else json_type(value)


def _extras(document: list[Any]) -> dict[str, Any]:
    """The metadata object (the third item); the annotations (second) must be an object too."""
    for index, what in ((1, "annotations"), (2, "metadata")):
        if len(document) > index and not isinstance(document[index], dict):
            raise InputError(
                f"IAC discussion: the {what} (item {index + 1}) should be an object, "
                f"not {json_type(document[index])}"
            )
    if len(document) > 3:
        raise InputError(f"IAC discussion: {len(document)} items; expected [posts, annotations, metadata]")
    return document[2] if len(document) > 2 else {}


def _title(first_post: list[Any], metadata: dict[str, Any]) -> str | None:
    annotations = first_post[4] if isinstance(first_post[4], dict) else {}
    post_info = annotations.get("post_info")
    if isinstance(post_info, dict) and (title := optional_str(post_info.get("post_title"))):
        return title
    site_title = optional_str(metadata.get("title"))
    if site_title and _SITE_TITLE_SEPARATOR in site_title:
        return site_title.split(_SITE_TITLE_SEPARATOR, 1)[1].strip() or site_title
    return site_title
