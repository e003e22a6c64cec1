"""forumscraper JSON: thread fields plus `posts[]` whose `text` (or `content`) is the post's original HTML."""

from __future__ import annotations

from typing import Any

from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.sources.html_render import render_fragment
from threads.sources.values import expect_list, optional_str, text_of, timestamp

# forumscraper's `format_version` ("xenforo-2-thread", "invision-4+-thread", ...) names the engine.
_ENGINES = (
    ("xenforo-2", "xenforo2"),
    ("xenforo-1", "xenforo1"),
    ("xenforo", "xenforo"),
    ("invision", "invision"),
    ("phpbb", "phpbb"),
    ("vbulletin", "vbulletin"),
    ("smf", "smf"),
    ("discourse", "discourse"),
)


def is_thread(document: Any) -> bool:
    """Whether a parsed JSON document is a forumscraper thread (`posts[]` of `user` + HTML body)."""
    if not isinstance(document, dict):
        return False
    if isinstance(document.get("format_version"), str) and document["format_version"].endswith("-thread"):
        return True
    posts: list[Any] = document["posts"] if isinstance(document.get("posts"), list) else []
    first = next((post for post in posts if isinstance(post, dict)), None)
    return first is not None and "user" in first and ("text" in first or "content" in first)


def read_thread(document: dict[str, Any], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread from a forumscraper thread: post bodies rendered with their engine's quote rules.

    Post ids are the forum's ids (`id`), which quote markup cites (`data-source="post: N"`,
    `data-ipsquote-contentcommentid`); `user_title`, `badges` and `rank_title` become ranks.

    Raises:
        InputError: `posts` is not an array.
    """
    engine = _engine(document.get("format_version"))
    warnings: list[str] = []
    posts: list[PostDraft] = []
    boilerplate: list[Boilerplate] = []
    for number, entry in enumerate(expect_list(document.get("posts"), "forumscraper posts"), start=1):
        if not isinstance(entry, dict):
            warnings.append(f"post {number} is not an object; skipped")
            continue
        post_id = optional_str(entry.get("id"))
        body = text_of(entry.get("text")) if "text" in entry else text_of(entry.get("content"))
        rendered = render_fragment(body, engine=engine, post_id=post_id)
        warnings.extend(f"post {post_id or number}: {warning}" for warning in rendered.warnings)
        boilerplate.extend(rendered.boilerplate)
        posts.append(
            PostDraft(
                text=rendered.text,
                id=post_id,
                author=optional_str(entry.get("user")),
                author_id=optional_str(entry.get("user_id")) or _profile_id(entry.get("user_link")),
                ranks=_ranks(entry),
                created_at=timestamp(entry.get("date")),
                edited="ipsEdited" in body or "message-lastEdit" in body,
                links=rendered.links,
                attachments=rendered.attachments + _count(entry.get("attachments")),
                quotes=rendered.quotes,
            )
        )
    url = optional_str(document.get("url"))
    thread_id = optional_str(document.get("id"))
    return ThreadDraft(
        format="forumscraper-json",
        posts=posts,
        title=optional_str(document.get("title")),
        source=source,
        boilerplate=tuple(boilerplate),
        warnings=tuple(warnings),
        key=f"forumscraper:{url}" if url else (f"forumscraper:{engine}:{thread_id}" if thread_id else None),
    )


def _engine(format_version: Any) -> str | None:
    name = format_version.lower() if isinstance(format_version, str) else ""
    return next((engine for prefix, engine in _ENGINES if name.startswith(prefix)), None)


def _ranks(entry: dict[str, Any]) -> tuple[str, ...]:
    ranks: list[str] = []
    for key in ("user_title", "rank_title", "group"):
        value = optional_str(entry.get(key))
        if value and value not in ranks:
            ranks.append(value)
    for key in ("user_banners", "badges"):
        values = entry.get(key)
        if isinstance(values, list):
            ranks.extend(text for value in values if (text := optional_str(value)) and text not in ranks)
    return tuple(ranks)


def _profile_id(link: Any) -> str | None:
    text = optional_str(link)
    if not text:
        return None
    tail = text.rstrip("/").rsplit("/", 1)[-1]
    digits = tail.split("-", 1)[0].rsplit(".", 1)[-1]
    return digits if digits.isdigit() else None


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0
