"""Copied forum page text: posts start at member-title lines, "Last edited:" closes them."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from threads import boilerplate as ui
from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.quote_headers import split_declared_lines

FORMAT = "text-forum"
_MAX_RANK_LINES = 4
_GLUE_START = (",", ".", ";", ":", ")", "]", "!", "?")


@dataclass(frozen=True, slots=True)
class ForumLines:
    """The lines of a text, each stripped once, with what the copied-forum reader looks for in them.

    `blocks` are the member-title runs that open posts (see `rank_blocks`); `cut` maps the index
    of every line that is a UI string to its kind (`threads.boilerplate.post_ui_kind`).
    """

    stripped: tuple[str, ...]
    blocks: list[tuple[int, int]]
    cut: dict[int, str]


def forum_lines(lines: Sequence[str]) -> ForumLines:
    """Strip and classify the lines of a text once, for the layout test and for reading it."""
    stripped = tuple([line.strip() for line in lines])  # a tuple, as `lines` (see `read_text`)
    # Most lines are prose, longer than any title and starting unlike any UI string: one look at
    # their length, their start and their end rules them out, so that only the few other lines
    # (titles, placeholders, "Last edited:" notes, lines starting like a button) are classified.
    # (The test is `post_ui_kind`'s own first step, written out: a call per line would cost more.)
    ui_start = ui.UI_START.match
    candidates = [
        index
        for index, line in enumerate(stripped)
        if line and (len(line) <= ui.MAX_RANK_CHARS or ui_start(line) or "." in line[-5:-3])
    ]
    # The same few strings come back on every post (its titles, "Last edited:", placeholders):
    # each distinct one is classified once.
    distinct = {stripped[index] for index in candidates}
    titles = {line for line in distinct if ui.is_rank(line)}
    kinds = {line: kind for line in distinct if (kind := ui.post_ui_kind(line))}
    ranked = {index for index in candidates if stripped[index] in titles}
    cut = {index: kinds[stripped[index]] for index in candidates if stripped[index] in kinds}
    return ForumLines(stripped, _rank_blocks(stripped, ranked), cut)


def rank_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Line ranges `[start, end)` of the member-title runs that open posts.

    A run is one to four rank lines right after a blank line, a "Last edited:" line or the start,
    followed by a line of text.
    """
    return forum_lines(lines).blocks


def _rank_blocks(stripped: Sequence[str], ranked: set[int]) -> list[tuple[int, int]]:
    """`rank_blocks` from the stripped lines and the indexes of those that are titles."""
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
            while end < len(stripped) and end - index < _MAX_RANK_LINES and end in ranked:
                end += 1
            if end < len(stripped) and stripped[end]:
                blocks.append((index, end))
                resume = end
    return blocks


def forum_blocks(lines: Sequence[str]) -> ForumLines | None:
    """The classified lines (`forum_lines`) of a copied forum page, or None if the text is not one.

    Text is a copied forum page when it has two member-title runs, or one with a known title.
    `read_forum_text` takes what this returns, so that the lines are stripped and ranked once.
    """
    forum = forum_lines(lines)
    if len(forum.blocks) >= 2 or any(
        ui.is_known_rank(line) and " " in line
        for start, end in forum.blocks
        for line in forum.stripped[start:end]
    ):
        return forum
    return None


@dataclass(slots=True)
class _Post:
    """A post being collected: its rank lines, body lines and the UI lines cut from it (indexes)."""

    ranks: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    cut: list[int] = field(default_factory=list)
    edited: bool = False
    links: int = 0
    attachments: int = 0


def read_forum_text(
    lines: Sequence[str], *, source: str | None = None, forum: ForumLines | None = None
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
        forum: `forum_lines(lines)`, when the caller has it already.

    Returns:
        The draft, format "text-forum", post ids "p1", "p2", ... by position.
    """
    if forum is None:
        forum = forum_lines(lines)
    blocks, stripped = forum.blocks, forum.stripped
    records: list[Boilerplate] = []
    warnings: list[str] = []
    title = None
    for line in stripped[: blocks[0][0]] if blocks else stripped:
        if line:
            if title is None:
                title = line
                records.append(Boilerplate(None, "title", title))
            else:
                records.append(Boilerplate(None, "page_header", line))
    cut_lines = sorted(forum.cut)
    drafts: list[PostDraft] = []
    for number, (start, end) in enumerate(blocks):
        stop = blocks[number + 1][0] if number + 1 < len(blocks) else len(lines)
        cut_here = cut_lines[bisect_left(cut_lines, end) : bisect_left(cut_lines, stop)]
        # Each stretch's posts are drafted at once, so that only their lines are held meanwhile.
        for post in _collect(tuple(stripped[start:end]), lines, forum, end, stop, cut_here):
            post_id = f"p{len(drafts) + 1}"
            if not post.ranks:
                warnings.append(f"post {post_id} has no member title; it starts after a 'Last edited:' line")
            records.extend([Boilerplate(post_id, "rank", rank) for rank in post.ranks])
            records.extend([Boilerplate(post_id, forum.cut[index], stripped[index]) for index in post.cut])
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


def _collect(
    ranks: tuple[str, ...],
    lines: Sequence[str],
    forum: ForumLines,
    start: int,
    stop: int,
    cut_lines: Sequence[int],
) -> list[_Post]:
    """Split one titled stretch into posts (more than one only when text follows "Last edited:").

    The stretch is lines `[start, stop)`; `cut_lines` are the indexes of its UI lines, in order.
    The text between two UI lines is taken whole (`_take_text`); only UI lines are looked at.
    """
    posts = [_Post(ranks)]
    glue = False  # the previous text line was interrupted by a link placeholder
    stripped, kinds = forum.stripped, forum.cut
    for index in cut_lines:
        glue = _take_text(posts, lines, stripped, start, index, glue)
        post = posts[-1]
        if post.edited:
            post = _Post(())
            posts.append(post)
        kind = kinds[index]
        post.cut.append(index)
        if kind == "edited":
            post.edited = True
            glue = False
        elif kind == "link":
            post.links += 1
            glue = glue or bool(post.lines and post.lines[-1].strip())
        elif kind == "attachment":
            post.attachments += 1
        start = index + 1
    _take_text(posts, lines, stripped, start, stop, glue)
    return posts


def _take_text(
    posts: list[_Post], lines: Sequence[str], stripped: Sequence[str], start: int, stop: int, glue: bool
) -> bool:
    """Add lines `[start, stop)` (text, no UI line among them) to the last post; return the new `glue`.

    Only the first line with visible text matters: it opens a new post after "Last edited:", and
    it is joined to the line before when a placeholder interrupted that line's sentence. Blank
    lines before it stay with the post they follow; every line after it is the same post's.
    """
    post = posts[-1]
    first = start
    while first < stop and not stripped[first]:
        first += 1
    if first == stop:
        post.lines.extend(lines[start:stop])
        return glue
    post.lines.extend(lines[start:first])
    if post.edited:
        post = _Post(())
        posts.append(post)
    line = stripped[first]
    if glue and line.startswith(_GLUE_START) and post.lines and post.lines[-1].strip():
        post.lines[-1] = post.lines[-1].rstrip() + line
    else:
        post.lines.append(lines[first])
    post.lines.extend(lines[first + 1 : stop])
    return False
