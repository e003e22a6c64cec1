"""Copied forum page text: posts start at member-title lines, "Last edited:" closes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from threads import boilerplate as ui
from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.quote_headers import split_declared_lines

FORMAT = "text-forum"
_MAX_RANK_LINES = 4
_GLUE_START = (",", ".", ";", ":", ")", "]", "!", "?")


def rank_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Line ranges `[start, end)` of the member-title runs that open posts.

    A run is one to four rank lines right after a blank line, a "Last edited:" line or the start,
    followed by a line of text.
    """
    stripped = [line.strip() for line in lines]
    # Most lines are prose, longer than any title: their length rules them out before a pattern is
    # tried, so only the few short lines are ranked, and only ranked lines can open a run.
    ranked = {
        index
        for index, line in enumerate(stripped)
        if 0 < len(line) <= ui.MAX_RANK_CHARS and ui.is_rank(line)
    }
    blocks: list[tuple[int, int]] = []
    resume = 0  # the first line a new run may start at: the line after the last run
    for index in sorted(ranked):
        if index < resume:
            continue
        # A multi-word known title ("Registered Member") opens a post wherever it stands alone;
        # single words ("Member", "Moderator") only after a blank line, where prose rarely has them.
        at_post_start = (
            index == 0
            or not stripped[index - 1]
            or ui.is_edited_marker(stripped[index - 1])
            or (ui.is_known_rank(stripped[index]) and " " in stripped[index])
        )
        if at_post_start:
            end = index
            while end < len(lines) and end - index < _MAX_RANK_LINES and end in ranked:
                end += 1
            if end < len(lines) and stripped[end]:
                blocks.append((index, end))
                resume = end
    return blocks


def forum_blocks(lines: Sequence[str]) -> list[tuple[int, int]] | None:
    """The member-title runs (`rank_blocks`) of a copied forum page, or None if the text is not one.

    Text is a copied forum page when it has two member-title runs, or one with a known title.
    `read_forum_text` takes the runs, so that the lines are ranked once.
    """
    blocks = rank_blocks(lines)
    if len(blocks) >= 2 or any(
        ui.is_known_rank(line) and " " in line.strip() for start, end in blocks for line in lines[start:end]
    ):
        return blocks
    return None


@dataclass
class _Post:
    """A post being collected: its rank lines, body lines and the UI strings cut from it."""

    ranks: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    cut: list[tuple[str, str]] = field(default_factory=list)
    edited: bool = False
    links: int = 0
    attachments: int = 0


def read_forum_text(
    lines: Sequence[str], *, source: str | None = None, blocks: Sequence[tuple[int, int]] | None = None
) -> ThreadDraft:
    """Draft a thread from copied forum page text (seed 000's layout).

    The first line before any member title is the thread title (later such lines are kept as
    "page_header" boilerplate). Each run of member-title lines opens a post and becomes its
    `ranks`; "Last edited:" marks the post edited and closes it (text after it, before the next
    titles, becomes a post of its own, with a warning). Link placeholders ("Please, Log in or
    Register to view URLs content!") are cut and counted in `links`; a line that only names an
    image or file ("2023.. Engine patents WIPO.jpg") is cut and counted in `attachments`, so the
    name is not part of `text` (it is UI, not words the author wrote); post buttons and
    counters ("Reply", "Reactions: ...") are cut. A line that continued the
    sentence a placeholder interrupted (", the CTT implies ...") is joined back to it. Every cut
    line is kept as a Boilerplate record. Declared quotes (headers, `>` lines) are marked.

    Args:
        lines: the text, split into lines.
        source: where the text came from.
        blocks: `rank_blocks(lines)`, when the caller has them already.

    Returns:
        The draft, format "text-forum", post ids "p1", "p2", ... by position.
    """
    if blocks is None:
        blocks = rank_blocks(lines)
    records: list[Boilerplate] = []
    warnings: list[str] = []
    title = None
    for line in lines[: blocks[0][0]] if blocks else lines:
        if line.strip():
            if title is None:
                title = line.strip()
                records.append(Boilerplate(None, "title", title))
            else:
                records.append(Boilerplate(None, "page_header", line.strip()))
    posts: list[_Post] = []
    for number, (start, end) in enumerate(blocks):
        stop = blocks[number + 1][0] if number + 1 < len(blocks) else len(lines)
        posts.extend(_collect(tuple(line.strip() for line in lines[start:end]), lines[end:stop]))
    drafts = []
    for position, post in enumerate(posts, start=1):
        post_id = f"p{position}"
        if not post.ranks:
            warnings.append(f"post {post_id} has no member title; it starts after a 'Last edited:' line")
        records.extend(Boilerplate(post_id, "rank", rank) for rank in post.ranks)
        records.extend(Boilerplate(post_id, kind, text) for kind, text in post.cut)
        declared = split_declared_lines(post.lines, post_id=post_id)
        records.extend(declared.boilerplate)
        drafts.append(
            PostDraft(
                text=declared.text,
                id=post_id,
                ranks=post.ranks,
                edited=post.edited,
                links=post.links,
                attachments=post.attachments,
                quotes=declared.quotes,
            )
        )
    return ThreadDraft(
        format=FORMAT,
        posts=drafts,
        title=title,
        source=source,
        boilerplate=tuple(records),
        warnings=tuple(warnings),
    )


def _collect(ranks: tuple[str, ...], body: Sequence[str]) -> list[_Post]:
    """Split one titled stretch into posts (more than one only when text follows "Last edited:")."""
    posts = [_Post(ranks)]
    glue = False  # the previous text line was interrupted by a link placeholder
    for line in body:
        post = posts[-1]
        stripped = line.strip()
        if post.edited and stripped:
            post = _Post(())
            posts.append(post)
        kind = ui.post_ui_kind(stripped) if stripped else None
        if kind == "edited":
            post.edited = True
            post.cut.append(("edited", stripped))
            glue = False
        elif kind == "link":
            post.links += 1
            post.cut.append(("link", stripped))
            glue = glue or bool(post.lines and post.lines[-1].strip())
        elif kind == "attachment":
            post.attachments += 1
            post.cut.append(("attachment", stripped))
        elif kind == "post_ui":
            post.cut.append(("post_ui", stripped))
        elif glue and stripped.startswith(_GLUE_START) and post.lines and post.lines[-1].strip():
            post.lines[-1] = post.lines[-1].rstrip() + stripped
            glue = False
        else:
            if stripped:
                glue = False
            post.lines.append(line)
    return posts
