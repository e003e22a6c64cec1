"""Sentence boundaries of forum text, as (start, end) offsets, with no model or download."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar

# Abbreviations whose final dot never ends a sentence (compared lower-cased, without that dot).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "vs",
        "cf",
        "al",
        "fig",
        "figs",
        "approx",
        "dept",
        "est",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "rev",
        "hon",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "viz",
        "a.k.a",
        "etc.al",
    ]
)
# Dotted acronyms ("U.S.", "Ph.D.") end a sentence only when one of these words follows: "the
# U.S. Navy" continues, "in the U.S. The report" starts again.
_STARTERS = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "there",
        "here",
        "but",
        "and",
        "so",
        "in",
        "on",
        "at",
        "a",
        "an",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "if",
        "when",
        "while",
        "what",
        "why",
        "how",
        "who",
        "which",
        "as",
        "for",
        "however",
        "also",
        "then",
        "yet",
        "no",
        "yes",
        "not",
        "one",
        "some",
        "many",
        "most",
        "all",
        "overall",
        "obviously",
        "anyway",
    ]
)
# A URL's trailing punctuation belongs to the sentence: "see https://x.org/a. Then" ends after "a".
# Each pattern opens with a lookahead on its possible first characters: rejecting every other
# position there is several times faster than trying the alternatives at each one.
_URL = re.compile(r"(?=[hw])(?:https?://|www\.)\S+?(?=[.,;:!?)\]\"'”’]*(?:\s|$))", re.IGNORECASE)
# Candidate boundaries: line breaks, bullets, CJK full stops, and Western end punctuation that is
# followed by white space or the end of the text (so "2.5", "x.com/a?b" and "Ph.D.s" never match).
_CANDIDATE = re.compile(
    r"(?=[\n•▪◦●■。！？.!?…])"
    r"(?:(?P<line>\n)"
    r"|(?P<bullet>[•▪◦●■])"
    r"|(?P<cjk>[。！？]+[」』”’）)]*)"
    r"|(?P<western>(?:\.{3,}|…|[.!?]+)[\"'”’)\]]*)(?=\s|$))"
)
_TOKEN_BEFORE = re.compile(r"[\w.'’-]+$")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(\[]*(\w+)")
_ALPHANUMERIC = re.compile(r"[^\W_]")
_LEADING_MARK = re.compile(r"(?:[-*+–—•▪◦●■>]\s+|\d{1,2}[.)]\s+)")


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Split text into sentences and return their (start, end) offsets into `text`.

    Boundaries: line breaks; bullets ("•" ...; a leading list mark "-", "*", "1." is left out of
    the sentence); CJK full stops 。！？; and ".", "!", "?", "..." followed by white space. A dot is
    not a boundary after a known abbreviation ("e.g.", "Dr."), an initial ("J. Smith"), a list
    number at the start of a line, inside a number ("2.5") or a URL, or after a dotted acronym
    ("U.S.") unless a typical sentence opener follows. An ellipsis ends a sentence only before a
    capital letter. Spans are stripped of white space; empty and punctuation-only pieces are dropped.

    Args:
        text: any text; offsets are character offsets.

    Returns:
        Non-overlapping spans in order, each with `text[start:end]` non-blank. Results are
        kept in a bounded cache: tone, stance and targets split the same own texts.
    """
    spans_by_text = _SPANS.get()
    if spans_by_text is None:
        return _cached_spans(text)
    spans = spans_by_text.get(text)
    if spans is None:
        spans = spans_by_text[text] = _cached_spans(text)
    return spans


# The spans of every text split while `texts_split_once` is active (None outside it). Tone, stance,
# targets and arguments each split every post's own text; past the bounded cache's 4,096 texts
# each of them split it again.
_SPANS: ContextVar[dict[str, tuple[tuple[int, int], ...]] | None] = ContextVar("_SPANS", default=None)


@contextlib.contextmanager
def texts_split_once() -> Iterator[None]:
    """Within the block, `sentence_spans` splits each distinct text once, however often asked.

    `analyze` runs every analysis of one thread inside it; the spans are freed on leaving.
    """
    token = _SPANS.set({})
    try:
        yield
    finally:
        _SPANS.reset(token)


@functools.lru_cache(maxsize=4096)
def _cached_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_sentence_spans(text))


def suffix_spans(text: str, start: int) -> tuple[tuple[int, int], ...]:
    """`sentence_spans(text[start:])`, reusing the (cached) split of the whole text.

    No boundary, URL or word the splitter looks at spans a line break, and looking back it reaches
    at most the line before (the word before a sentence mark at a line's start: `$` also matches
    before a final newline). So past the second line break after `start` the suffix splits
    exactly as the whole text does; only the part before it is split anew.

    Args:
        text: any text.
        start: where the suffix begins.

    Returns:
        The spans of `text[start:]`, offsets into the suffix.
    """
    line_break = text.find("\n", text.find("\n", start) + 1)
    if line_break < 0 or text.find("\n", start) < 0:
        return sentence_spans(text[start:])
    head = _sentence_spans(text[start:], stop=line_break - start)
    tail = [(first - start, last - start) for first, last in sentence_spans(text) if first > line_break]
    return tuple(head + tail)


def _sentence_spans(text: str, *, stop: int | None = None) -> list[tuple[int, int]]:
    """The uncached splitter behind `sentence_spans`; with `stop`, only `text[:stop]` is split.

    `stop` must be the offset of a line break: the last span then ends before it, as in the whole.
    """
    end_of_scan = len(text) if stop is None else stop
    urls = [match.span() for match in _URL.finditer(text, 0, end_of_scan)] if _may_hold_url(text) else []
    cuts: list[tuple[int, int]] = []  # (end of this sentence, start of the next)
    url_index = 0
    for match in _CANDIDATE.finditer(text, 0, end_of_scan):
        while url_index < len(urls) and urls[url_index][1] <= match.start():
            url_index += 1
        if url_index < len(urls) and urls[url_index][0] <= match.start() < urls[url_index][1]:
            continue
        kind = match.lastgroup
        if kind in ("line", "bullet"):
            cuts.append((match.start(), match.end()))
        elif kind == "cjk" or _ends_sentence(text, match.start(), match.end()):
            cuts.append((match.end(), match.end()))
    spans = []
    start = 0
    for end, next_start in [*cuts, (end_of_scan, end_of_scan)]:
        span = _clean(text, start, end)
        if span is not None:
            spans.append(span)
        start = next_start
    return spans


def _may_hold_url(text: str) -> bool:
    """False when `_URL` cannot match in `text`: it holds no "://" and no "www." in any case.

    Most posts have no link: two substring searches spare them the pattern's scan, which tries
    every position (a fifth of the splitter's time). Only "W" and "w" match "w" ignoring case.
    """
    return "://" in text or "www." in text.lower()


def _next_word(text: str, end: int) -> str:
    following = _NEXT_WORD.match(text, end)
    return following.group(1) if following else ""


def _ends_sentence(text: str, start: int, end: int) -> bool:
    mark = text[start:end].rstrip("\"'”’)]")
    if mark.startswith("..") or mark.startswith("…"):
        next_word = _next_word(text, end)
        return not next_word or next_word[0].isupper()
    if mark != ".":
        return True  # "!", "?", "?!", "!!!"
    before = _TOKEN_BEFORE.search(text, max(0, start - 24), start)
    token = before.group(0) if before else ""
    lowered = token.lower()
    if lowered in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. Smith"
    if token.isdigit() and _at_line_start(text, start - len(token)):
        return False  # a numbered list item: "1. First"
    if "." in token.strip("."):
        # A dotted acronym ("U.S", "Ph.D"): a sentence ends only before a typical opener.
        next_word = _next_word(text, end)
        return next_word.lower() in _STARTERS and next_word[:1].isupper()
    return True


def _at_line_start(text: str, index: int) -> bool:
    line_start = text.rfind("\n", 0, index) + 1
    return not text[line_start:index].strip(" \t•▪◦●■-*")


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    # str.strip and a regular expression scan in C what a loop over characters did in Python;
    # both use str.isspace's white space, and [^\W_] is exactly str.isalnum.
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    end = start + len(stripped.rstrip())
    mark = _LEADING_MARK.match(text, start, end)
    if mark is not None:
        start = mark.end()
    if _ALPHANUMERIC.search(text, start, end) is None:
        return None
    return start, end
