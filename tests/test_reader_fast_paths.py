"""The readers' fast paths give what the general code they replaced gives.

`rank_blocks`, `read_forum_text` and `split_declared_lines` skip lines (and whole bodies) that
cannot be member titles, UI strings or quote declarations. The references below are the
line-by-line code they replaced (every line tried against every rule); Hypothesis feeds both
lines made of the rules' own words, near misses, case variants and every kind of white space.
`read_frame` takes a posts table's columns as lists instead of a dict per row (`iter_rows`).
`read_html` skips its nesting scan on pages with fewer "<" than the nesting limit.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from threads import boilerplate as ui
from threads import quote_headers
from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.quote_headers import DeclaredQuotes, header_author, is_expand_marker, split_declared_lines
from threads.sources import forum_text, table
from threads.sources.forum_text import rank_blocks, read_forum_text
from threads.sources.html import markup_depth

# Lines as copied forum pages and quoting posts have them, and near misses of each rule.
SAMPLES = [
    *sorted(ui.KNOWN_RANKS),
    "Senior Poster",
    "Old Veteran Member",
    "Dedicated Contributor",
    "member",
    "Members",
    "Last edited:",
    "Last edited by mod: Jan 5, 2024",
    "Last edited; today",
    "last edited:",
    "Please, Log in or Register to view URLs content!",
    "Log in or Sign up to view",
    "You must log in or register to see links",
    "[Only registered users can see links]",
    "[IMG]",
    "ONLY REGISTERED USERS CAN SEE LINKS",
    "Plea",
    "Sign in to Register!",
    "2023.. Engine patents WIPO.jpg",
    "photo 2.JPEG",
    "a.pdf",
    ".png",
    "x.tiff",
    "report.webm",
    "U.S.",
    "e.g. this",
    "x.mp4.",
    "file.jpg?",
    "notes.tx",
    "ſ.ſvg",
    "Reply",
    "Reactions: ann, bob and 3 others",
    "Like",
    "Likes: 4",
    "Quote",
    "Multi-Quote",
    "Report",
    "Share",
    "Bookmark",
    "Click to shrink...",
    "Top",
    "Back to top",
    "Thanks",
    "REPLY WITH QUOTE",
    "Like Reply",
    "Show hidden low quality content",
    "bob said:",
    "Bob said: ↑",
    "ann wrote:",
    "Quote ann wrote: ↑ 2024",
    "Quote:",
    "Zitat:",
    "Quote: Originally Posted by Carl",
    "Originally Posted by Carl View Post",
    "ORIGINALLY POSTED BY x",
    "Zitat von Dora:",
    "Citation de Émile",
    "Цитата Ivan",
    "Jean a écrit :",
    "Hans schrieb:",
    "Ana escribió:",
    "Ola skrev:",
    "Иван написал:",
    "Ali yazdı:",
    "Bo says:",
    "王明写道：",
    "李說:",
    "김철수님의 말:",
    "김님이 작성",
    "田中さんは書きました",
    "山田さんの発言：",
    "引用:",
    "인용：",
    "Click to expand...",
    "Click to expand…",
    "Zum Vergrößern anklicken...",
    "点击展开...",
    "> quoted line",
    ">",
    "&gt; escaped",
    "  >> nested",
    "[quote]",
    "[QUOTE=ann]",
    '[quote="ann, post:4, topic:7149"]',
    "[/quote]",
    "[/Quote]",
    "[quote",
    "a > b",
    "see [1]",
    "as follows:",
    "Note: this",
    "the end:  ",
    "a said: b",
    "so he said: that was it. said:",
    ", the CTT implies that",
    ". and so on",
    "; then",
    ") as I said",
    "] ok",
    "! wow",
    "? why",
    "Namely, the Southeast Asian Nations without the lungs.",
    "Photo: 18 ifdef it is ridiculous.",
    "What you can do you think at the forum.",
    "x" * 95 + " said:",
    "A" * 41,
    "word",
]
SPACES = ["", " ", "  ", "\t", "\u00a0", "\u3000", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\r"]
# Characters that case-insensitive patterns match in place of ASCII letters (ſ for s, K for k,
# İ and ı for i), so that a prefilter shown case variants must let them through too.
CASE_SWAPS = str.maketrans({"s": "ſ", "k": "K", "i": "ı", "I": "İ"})

LINE = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(SAMPLES).map(lambda line: line.translate(CASE_SWAPS)),
    st.sampled_from(SAMPLES).map(str.upper),
    st.sampled_from(SAMPLES).map(str.lower),
    st.tuples(st.sampled_from(SPACES), st.sampled_from(SAMPLES), st.sampled_from(SPACES)).map("".join),
    st.sampled_from(SPACES),
    st.text(alphabet=st.sampled_from("ab.:> \n[]/quotesaidLwrPm↑님"), max_size=12),
    st.text(max_size=20),
)
LINES = st.lists(LINE, max_size=30).map(lambda lines: [piece for line in lines for piece in line.split("\n")])


def _outcome(function: Callable[..., object], *args: object, **kwargs: object) -> object:
    """What a call gives, or the type of what it raises (both versions must fail alike)."""
    try:
        return function(*args, **kwargs)
    except Exception as error:
        return type(error)


def reference_rank_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """`rank_blocks` as it was: every line tried as a title."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        at_post_start = (
            index == 0
            or not lines[index - 1].strip()
            or ui.is_edited_marker(lines[index - 1])
            or (ui.is_known_rank(lines[index]) and " " in lines[index].strip())
        )
        if at_post_start and ui.is_rank(lines[index]):
            end = index
            while end < len(lines) and end - index < 4 and ui.is_rank(lines[end]):
                end += 1
            if end < len(lines) and lines[end].strip():
                blocks.append((index, end))
                index = end
                continue
        index += 1
    return blocks


@dataclass
class _Post:
    """A post being collected, as the line-by-line reader kept it."""

    ranks: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    cut: list[tuple[str, str]] = field(default_factory=list)
    edited: bool = False
    links: int = 0
    attachments: int = 0


def reference_collect(ranks: tuple[str, ...], body: Sequence[str]) -> list[_Post]:
    """`_collect` as it was: every line tried against the four UI rules."""
    posts = [_Post(ranks)]
    glue = False
    for line in body:
        post = posts[-1]
        stripped = line.strip()
        if post.edited and stripped:
            post = _Post(())
            posts.append(post)
        if ui.is_edited_marker(stripped):
            post.edited = True
            post.cut.append(("edited", stripped))
            glue = False
        elif ui.is_link_placeholder(stripped):
            post.links += 1
            post.cut.append(("link", stripped))
            glue = glue or bool(post.lines and post.lines[-1].strip())
        elif ui.is_attachment_name(stripped):
            post.attachments += 1
            post.cut.append(("attachment", stripped))
        elif ui.is_post_ui(stripped):
            post.cut.append(("post_ui", stripped))
        elif glue and stripped.startswith(forum_text._GLUE_START) and post.lines and post.lines[-1].strip():
            post.lines[-1] = post.lines[-1].rstrip() + stripped
            glue = False
        else:
            if stripped:
                glue = False
            post.lines.append(line)
    return posts


def reference_split(
    lines: Sequence[str], *, post_id: str | None = None, headers: bool = True
) -> DeclaredQuotes:
    """`split_declared_lines` as it was: every line tried against every declaration rule."""
    entries: list[str] = []
    spans: list[quote_headers._Span] = []
    cut: list[Boilerplate] = []
    open_tags: list[tuple[int, str | None, str | None]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = quote_headers._BBCODE_OPEN.match(line.strip())
        if opening:
            open_tags.append((len(entries), opening.group("author") or None, opening.group("post")))
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            continue
        if quote_headers._BBCODE_CLOSE.match(line.strip()) and open_tags:
            first, tag_author, tag_post = open_tags.pop()
            spans.append(quote_headers._Span(first, len(entries) - 1, "markup", tag_author, tag_post))
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            continue
        is_header, author = header_author(line) if headers else (False, None)
        if is_header and quote_headers._next_content(lines, index + 1) is not None:
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            follow_is_header, follow_author = (
                header_author(lines[index]) if index < len(lines) else (False, None)
            )
            if (
                author is None
                and follow_is_header
                and follow_author
                and quote_headers._next_content(lines, index + 1) is not None
            ):
                cut.append(Boilerplate(post_id, "quote_header", lines[index].strip()))
                author = follow_author
                index += 1
            index = quote_headers._take_header_quote(lines, index, entries, spans, cut, author, post_id)
            continue
        if quote_headers._MARKUP_QUOTE.match(line) and line.strip() not in (">", "&gt;", ""):
            first = len(entries)
            while index < len(lines) and quote_headers._MARKUP_QUOTE.match(lines[index]):
                entries.append(quote_headers._MARKUP_QUOTE.sub("", lines[index], count=1))
                index += 1
            spans.append(quote_headers._Span(first, len(entries) - 1, "markup", None))
            continue
        if headers and is_expand_marker(line):
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
        else:
            entries.append(line)
        index += 1
    for first, tag_author, tag_post in open_tags:
        spans.append(quote_headers._Span(first, len(entries) - 1, "markup", tag_author, tag_post))
    body, marks = quote_headers._join(entries, spans)
    return DeclaredQuotes(body, marks, tuple(cut))


@settings(max_examples=600, deadline=None)
@given(LINES)
@example(["", "Senior Member", "Registered Member", "text", "Last edited:", "Member", "more"])
def test_rank_blocks_match_the_line_by_line_rule(lines: list[str]) -> None:
    assert rank_blocks(lines) == reference_rank_blocks(lines)


def reference_read_forum_text(lines: Sequence[str]) -> ThreadDraft:
    """`read_forum_text` as it was, over the references above."""
    blocks = reference_rank_blocks(lines)
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
        posts.extend(reference_collect(tuple(line.strip() for line in lines[start:end]), lines[end:stop]))
    drafts = []
    for position, post in enumerate(posts, start=1):
        post_id = f"p{position}"
        if not post.ranks:
            warnings.append(f"post {post_id} has no member title; it starts after a 'Last edited:' line")
        records.extend(Boilerplate(post_id, "rank", rank) for rank in post.ranks)
        records.extend(Boilerplate(post_id, kind, text) for kind, text in post.cut)
        declared = reference_split(post.lines, post_id=post_id)
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
        format=forum_text.FORMAT,
        posts=drafts,
        title=title,
        source=None,
        boilerplate=tuple(records),
        warnings=tuple(warnings),
    )


# Forum pages: title runs, then bodies of any lines, so that UI lines, glue and "Last edited:"
# meet every kind of neighbour.
PAGES = st.lists(
    st.tuples(st.sampled_from([["Senior Member"], ["Member"], ["", "Registered Member"], [""]]), LINES),
    max_size=8,
).map(lambda parts: [line for ranks, body in parts for line in [*ranks, *body]])


@settings(max_examples=600, deadline=None)
@given(st.one_of(LINES, PAGES))
@example(
    [
        "Member",
        "text",
        "Please, Log in or Register to view URLs content!",
        ", glued",
        "Last edited:",
        "",
        "after",
    ]
)
@example(
    ["t", "", "Senior Member", "a", "", "Please, Log in or Register to view URLs content!", "", ", not glued"]
)
@example(
    ["Senior Member", "a", "Last edited:", "Reply", "", "b", "Last edited:", "", "", "Senior Member", "c"]
)
def test_read_forum_text_matches_the_line_by_line_rules(lines: list[str]) -> None:
    assert _outcome(read_forum_text, lines) == _outcome(reference_read_forum_text, lines)


@settings(max_examples=800, deadline=None)
@given(LINES, st.booleans())
@example(["bob said:", "quoted", "", "reply"], True)
@example(["Quote:", "Originally Posted by Carl", "quoted", "Click to expand...", "reply"], True)
@example(["", "  plain  ", "", "", "text\x0b", "\u3000", ""], True)
def test_split_declared_lines_matches_the_line_by_line_rules(lines: list[str], headers: bool) -> None:
    fast = _outcome(split_declared_lines, lines, post_id="p1", headers=headers)
    assert fast == _outcome(reference_split, lines, post_id="p1", headers=headers)


def test_white_space_pattern_is_str_isspace() -> None:
    """The fast paths write `[^\\S\\n]` for the white space `str.strip` removes, other than a line break."""
    space = re.compile(r"\s")
    assert all(bool(space.match(char)) == char.isspace() for char in map(chr, range(sys.maxunicode + 1)))


def reference_read_frame(frame: pl.DataFrame) -> ThreadDraft:
    """`read_frame` as it was: a dict per row from `iter_rows`."""
    warnings: list[str] = []
    posts = [
        PostDraft(
            text=table._text(row.get("text")),
            id=table._optional_str(row.get("id")),
            author=table._optional_str(row.get("author")),
            author_id=table._optional_str(row.get("author_id")),
            created_at=table._timestamp(row.get("created_at"), number, warnings),
            reply_to=table._reply_to(row.get("reply_to")),
        )
        for number, row in enumerate(frame.iter_rows(named=True), start=1)
    ]
    title = table._optional_str(frame["title"][0]) if "title" in frame.columns else None
    return ThreadDraft(format="table", posts=posts, title=title, source=None, warnings=tuple(warnings))


# Values of every type a JSON posts table gives a column, and the dates polars may parse.
VALUES = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["2024-01-01T10:00:00Z", "2024-01-01 10:00", "1700000000", " 7 ", "x"]),
    st.lists(st.text(max_size=3) | st.integers(0, 9), max_size=3),
)
COLUMNS = st.sampled_from(["text", "id", "author", "author_id", "created_at", "reply_to", "title", "other"])
TABLE_ROWS = st.lists(st.dictionaries(COLUMNS, VALUES, max_size=7), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(TABLE_ROWS)
def test_read_frame_matches_rows_read_one_by_one(rows: list[dict[str, object]]) -> None:
    try:
        frame = pl.DataFrame(rows, infer_schema_length=None)
    except Exception:  # polars refuses mixed columns; read_frame_rows reports that, not read_frame
        assume(False)
        raise
    assume("text" in frame.columns)
    assert _outcome(table.read_frame, frame) == _outcome(reference_read_frame, frame)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/ adivSCRIPTscript!-p\n"), max_size=60), st.integers(0, 12))
def test_markup_deeper_than_a_limit_has_more_tags_than_it(text: str, limit: int) -> None:
    """`read_html` scans a page's nesting only when it has more "<" than the limit allows."""
    assert text.count("<") > limit or markup_depth(text, limit=limit) <= limit
