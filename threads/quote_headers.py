"""Quotes that plain text declares: attribution headers ("X said:", "X wrote:", ...) and `>` lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from threads.model import Boilerplate, QuoteMark, QuoteMethod

_AUTHOR = r"(?P<author>[^\s:>].{0,58}?)"
# The words of the headers below, kept apart so that `_may_declare` looks for the same words.
_TRANSLATED_SAID = (
    r"a écrit|a dit|schrieb|hat geschrieben|escribió|escribio|dijo|ha scritto"
    r"|scrive|escreveu|disse|napisał|napisała|schreef|skrev|kirjoitti|написал|написала|пише"
    r"|yazdı|dedi ki|wrote|says"
)
_QUOTE_OF = r"Zitat von|Citation de|Cita de|Citazione di|Citação de|Цитата"
_CHINESE_SAID = r"写道|寫道|說|说"
_KOREAN_SAID = r"님의 말|님이 작성"
_JAPANESE_SAID = r"さんは書きました|は書きました|さんの発言"
_QUOTE_WORDS = r"Quote|Zitat|Citation|Cita|Citazione|Citação|引用|인용|Цитата"
_EXPAND_WORDS = (
    r"Click to expand|Zum Vergrößern anklicken|Cliquez pour agrandir|Haz clic para expandir"
    r"|Clicca per espandere|点击展开|클릭하여 확장"
)
# One line that opens a quote and names its author, in the engines' own words and translations.
_HEADERS = [
    re.compile(rf"^{_AUTHOR}\s+said:(?:\s*↑)?$"),  # XenForo
    re.compile(rf"^(?:Quote\s+)?{_AUTHOR}\s+wrote:(?:\s*↑.*)?$"),  # phpBB (3.2 adds "↑ date")
    re.compile(rf"^(?:Quote:?\s*)?Originally\s+Posted\s+by\s+{_AUTHOR}(?:\s+View Post)?$", re.I),  # vBulletin
    re.compile(rf"^{_AUTHOR}\s+(?:{_TRANSLATED_SAID})\s?:(?:\s*↑.*)?$"),
    re.compile(rf"^(?:{_QUOTE_OF})\s+{_AUTHOR}\s?:?$"),
    re.compile(rf"^{_AUTHOR}\s?(?:{_CHINESE_SAID})\s?[:：]$"),
    re.compile(rf"^{_AUTHOR}\s?(?:{_KOREAN_SAID})\s?[:：]?$"),
    re.compile(rf"^{_AUTHOR}\s?(?:{_JAPANESE_SAID})\s?[:：]?$"),
]
# A header that names nobody ("Quote:", "Zitat:") still opens a quote.
_ANONYMOUS_HEADER = re.compile(rf"^(?:{_QUOTE_WORDS})\s?[:：]$")
_EXPAND = re.compile(rf"^(?:{_EXPAND_WORDS})(?:\.\.\.|…)$")
_MARKUP_QUOTE = re.compile(r"^\s*(?:>|&gt;)\s?")
# BBCode quote tags on lines of their own: [quote], [quote=name], [quote="name, post:4, topic:7149"].
_BBCODE_OPEN = re.compile(
    r"^\[quote(?:=\"?(?P<author>[^\]\",]{0,60}?)(?:,\s*post:\s*(?P<post>\d+))?(?:,[^\]\"]*)?\"?)?\]$", re.I
)
_BBCODE_CLOSE = re.compile(r"^\[/quote\]$", re.I)
# What a line that declares something holds, matched as the patterns above match it. A header
# either ends with a colon (after its author and words: `\s?:$`, `[:：]$`), or carries "↑", or
# the Korean or Japanese words, or starts with its words ("Originally Posted by", "Zitat von");
# a markup quote starts with `>`, a BBCode tag with "[quote" or "[/quote", "Click to expand..."
# with its words. Each pattern starts with one literal character, so `search` skips to it.
_COLON_AT_LINE_END = re.compile(r":[^\S\n]*(?:\n|\Z)")
_WIDE_COLON_AT_LINE_END = re.compile(r"：[^\S\n]*(?:\n|\Z)")
_DECLARING_START = rf"[^\S\n]*(?:{_QUOTE_OF}|(?i:quote|originally)|{_EXPAND_WORDS}|\[/?(?i:quote)|>|&gt;)"
_FIRST_LINE_DECLARING = re.compile(_DECLARING_START)
_LATER_LINE_DECLARING = re.compile(rf"\n{_DECLARING_START}")
_MAX_AUTHOR_WORDS = 5
_BLANK_RUN = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class DeclaredQuotes:
    """A post body with its declared quotes found: headers cut out, quoted passages kept inline.

    `quotes` index `text`; `boilerplate` holds the header lines that were cut, in order.
    """

    text: str
    quotes: tuple[QuoteMark, ...]
    boilerplate: tuple[Boilerplate, ...]


@dataclass(frozen=True, slots=True)
class _Span:
    """A quote over entries `[first, last]` of the line list, before the text is joined."""

    first: int
    last: int
    method: QuoteMethod
    author: str | None
    source_post_id: str | None = None


def header_author(line: str) -> tuple[bool, str | None]:
    """Whether a line is a quote attribution header, and the author it names (None if none).

    Args:
        line: one line of text.

    Returns:
        (is a header, quoted author or None).
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 90:
        return False, None
    if _ANONYMOUS_HEADER.match(stripped):
        return True, None
    for pattern in _HEADERS:
        match = pattern.match(stripped)
        if match:
            author = match.group("author").strip().strip('"').strip()
            if author and len(author.split()) <= _MAX_AUTHOR_WORDS and not author.endswith((".", "!", "?")):
                return True, author
    return False, None


def is_expand_marker(line: str) -> bool:
    """Whether a line is the "Click to expand..." that closes a long XenForo quote."""
    return bool(_EXPAND.match(line.strip()))


def split_declared_quotes(text: str, *, post_id: str | None = None, headers: bool = True) -> DeclaredQuotes:
    """Find the quotes a post body declares, cut their headers, keep the quoted passages inline.

    A header line ("X said:", "X wrote:", "Quote: Originally Posted by X", "X a écrit :", ...)
    opens a quote that ends at "Click to expand..." when the post has one after it, else at the
    first blank line after the quoted passage starts. A run of `>` lines (Markdown, Reddit; also
    HTML-escaped `&gt;`) is one quote with method "markup", its markers removed as a reader sees it.
    Runs of blank lines shrink to one; leading and trailing blank lines go.

    Args:
        text: the post body.
        post_id: the id the boilerplate records name.
        headers: look for attribution headers (False: only `>` lines).

    Returns:
        The body as a reader sees it, its quote marks, and the cut header lines.
    """
    return split_declared_lines(text.split("\n"), post_id=post_id, headers=headers)


def split_declared_lines(
    lines: Sequence[str], *, post_id: str | None = None, headers: bool = True
) -> DeclaredQuotes:
    """`split_declared_quotes` over a body already split into lines."""
    # Lines right-stripped: what `_join` keeps of them, and what `_may_declare` needs (it looks at
    # a line's start, its words and a colon before trailing white space).
    right_stripped = "\n".join(map(str.rstrip, lines))
    if not _may_declare(right_stripped):
        return DeclaredQuotes(_plain_text(right_stripped), (), ())
    entries: list[str] = []
    spans: list[_Span] = []
    cut: list[Boilerplate] = []
    open_tags: list[tuple[int, str | None, str | None]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not _may_declare(line):
            entries.append(line)
            index += 1
            continue
        opening = _BBCODE_OPEN.match(line.strip())
        if opening:
            open_tags.append((len(entries), opening.group("author") or None, opening.group("post")))
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            continue
        if _BBCODE_CLOSE.match(line.strip()) and open_tags:
            first, tag_author, tag_post = open_tags.pop()
            spans.append(_Span(first, len(entries) - 1, "markup", tag_author, tag_post))
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            continue
        is_header, author = header_author(line) if headers else (False, None)
        if is_header and _next_content(lines, index + 1) is not None:
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
            index += 1
            # vBulletin prints "Quote:" and "Originally Posted by X" on two lines.
            follow_is_header, follow_author = (
                header_author(lines[index]) if index < len(lines) else (False, None)
            )
            # (Only when text follows it: else that line is the quoted text, and no quote is empty.)
            if (
                author is None
                and follow_is_header
                and follow_author
                and _next_content(lines, index + 1) is not None
            ):
                cut.append(Boilerplate(post_id, "quote_header", lines[index].strip()))
                author = follow_author
                index += 1
            index = _take_header_quote(lines, index, entries, spans, cut, author, post_id)
            continue
        if _MARKUP_QUOTE.match(line) and line.strip() not in (">", "&gt;", ""):
            first = len(entries)
            while index < len(lines) and _MARKUP_QUOTE.match(lines[index]):
                entries.append(_MARKUP_QUOTE.sub("", lines[index], count=1))
                index += 1
            spans.append(_Span(first, len(entries) - 1, "markup", None))
            continue
        if headers and is_expand_marker(line):
            cut.append(Boilerplate(post_id, "quote_header", line.strip()))
        else:
            entries.append(line)
        index += 1
    for first, tag_author, tag_post in open_tags:  # an unclosed tag quotes the rest of the post
        spans.append(_Span(first, len(entries) - 1, "markup", tag_author, tag_post))
    body, marks = _join(entries, spans)
    return DeclaredQuotes(body, marks, tuple(cut))


def _may_declare(text: str) -> bool:
    """Whether a line of `text` may be a quote header, a markup quote line, a BBCode tag or an
    expand marker; False means `text` is plain, so most bodies are joined without looking at
    their lines one by one."""
    return bool(
        _COLON_AT_LINE_END.search(text)
        or _FIRST_LINE_DECLARING.match(text)
        or _LATER_LINE_DECLARING.search(text)
        or "↑" in text
        or "님" in text
        or "は書きました" in text
        or "さんの発言" in text
        or ("：" in text and _WIDE_COLON_AT_LINE_END.search(text))
    )


def _next_content(lines: Sequence[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _take_header_quote(
    lines: Sequence[str],
    index: int,
    entries: list[str],
    spans: list[_Span],
    cut: list[Boilerplate],
    author: str | None,
    post_id: str | None,
) -> int:
    """Append the quoted passage that starts at `index`; return the index after it."""
    expand = None
    for probe in range(index, len(lines)):
        if is_expand_marker(lines[probe]):
            expand = probe
            break
        if probe > index and header_author(lines[probe])[0]:
            break  # the next quote starts before any "Click to expand..."
    first = len(entries)
    if expand is not None:
        entries.extend(lines[index:expand])
        end = expand + 1
        cut.append(Boilerplate(post_id, "quote_header", lines[expand].strip()))
    else:
        start = _next_content(lines, index)
        assert start is not None  # the caller checked that content follows
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        entries.extend(lines[index:end])
    spans.append(_Span(first, len(entries) - 1, "header", author))
    return end


def _plain_text(right_stripped: str) -> str:
    """`_join` of lines without quotes, given them right-stripped and joined: blank runs shrunk to
    one line, leading and trailing blank lines cut.

    After `str.rstrip` a blank line is empty, so the joined text holds a run of n blank lines as
    n + 1 line breaks, which become two; the breaks of leading and trailing blank lines go.
    """
    joined = right_stripped.strip("\n")
    return _BLANK_RUN.sub("\n\n", joined) if "\n\n\n" in joined else joined


def _join(entries: list[str], spans: list[_Span]) -> tuple[str, tuple[QuoteMark, ...]]:
    """Join entries into text (blank runs shrunk to one line) and turn spans into char offsets."""
    bounds: list[tuple[int, int] | None] = [None] * len(entries)  # char range of each kept line
    pieces: list[str] = []
    cursor = 0
    pending_blank = False
    for number, line in enumerate(entries):
        text = line.rstrip()
        if not text.strip():
            pending_blank = bool(pieces)
            continue
        if pieces:
            separator = "\n\n" if pending_blank else "\n"
            pieces.append(separator)
            cursor += len(separator)
        pending_blank = False
        # A mark starts at the line's first visible character: indented quoted lines keep their
        # indent in the text, but a quote span never begins with white space.
        bounds[number] = (cursor + len(text) - len(text.lstrip()), cursor + len(text))
        pieces.append(text)
        cursor += len(text)
    marks = []
    for span in spans:
        inside = [bound for bound in bounds[span.first : span.last + 1] if bound is not None]
        if inside:
            marks.append(
                QuoteMark(
                    inside[0][0],
                    inside[-1][1],
                    span.method,
                    source_post_id=span.source_post_id,
                    quoted_author=span.author,
                )
            )
    marks.sort(key=lambda mark: (mark.start, -mark.end))
    return "".join(pieces), tuple(marks)
