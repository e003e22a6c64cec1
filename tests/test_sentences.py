"""The sentence splitter: abbreviations, numbers, URLs, bullets, ellipses, CJK stops, line breaks."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.sentences import _URL, _may_hold_url, sentence_spans, suffix_spans, texts_split_once


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One here. Two there! Three?", ["One here.", "Two there!", "Three?"]),
        ("The U.S. Navy has ships. China too.", ["The U.S. Navy has ships.", "China too."]),
        ("They beat the U.S. The report says so.", ["They beat the U.S.", "The report says so."]),
        ("Many Ph.D.s leave academia. Few return.", ["Many Ph.D.s leave academia.", "Few return."]),
        ("Use a tool, e.g. a hammer. Then stop.", ["Use a tool, e.g. a hammer.", "Then stop."]),
        ("Growth was 2.5 percent. It fell.", ["Growth was 2.5 percent.", "It fell."]),
        ("See https://example.com/a.b?x=1. Then go.", ["See https://example.com/a.b?x=1.", "Then go."]),
        ("Visit www.aspi.org.au/report for data", ["Visit www.aspi.org.au/report for data"]),
        (
            "Wait... what happened? I don't know... The end.",
            ["Wait... what happened?", "I don't know...", "The end."],
        ),
        ("Well… That is it.", ["Well…", "That is it."]),
        ("中国很强。美国也很强！真的吗？", ["中国很强。", "美国也很强！", "真的吗？"]),
        ("First line without stop\nsecond line", ["First line without stop", "second line"]),
        (
            "  • Mice reached adulthood\n  • ESCs showed ability",
            ["Mice reached adulthood", "ESCs showed ability"],
        ),
        ("Points: • one • two", ["Points:", "one", "two"]),
        (
            "- a dash item\n* a star item\n1. a numbered item",
            ["a dash item", "a star item", "a numbered item"],
        ),
        ("Dr. Smith met J. Jones. They talked.", ["Dr. Smith met J. Jones.", "They talked."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        ("", []),
        ("   \n\n ... \n", []),
        ("no final stop", ["no final stop"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize("text", ["A. B. C.", "x\n\n\ny. z", "…", "U.S.", "1. 2. 3.", "a\u3002b"])
def test_spans_are_ordered_valid_and_non_blank(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        previous_end = end


# Pieces that exercise every rule of the splitter near line breaks, where `suffix_spans` switches
# from splitting anew to reusing the split of the whole text.
_PIECES = (
    "Hello world", ". ", ".", "...", " Then", "\n", "\n\n", "e.g. ", "U.S. The", "U.S.", "J. Smith",
    "1. First", "- item", "• b", "see https://x.org/a. Then", " www.a.com/x?y ", "2.5", "ok!", "?!",
    "“Quote.” ", "所以。", "… And", "… and", "Dr. X", "  ", "\t", "word", ":", ")", "A.B.C",
)  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join), st.integers(min_value=0, max_value=200))
def test_suffix_spans_are_the_spans_of_the_suffix(text: str, start: int) -> None:
    start = min(start, len(text))
    assert suffix_spans(text, start) == sentence_spans(text[start:])


def test_suffix_spans_look_back_across_one_line_break() -> None:
    # The mark opening the second line follows "2.5" in the whole text (`$` matches before the line
    # break) but ".5" in the suffix: the suffix splits differently there, and must be split anew.
    text = "Dr. X 2.5\n. - item here.\nNext line. Done."
    for start in range(len(text) + 1):
        assert suffix_spans(text, start) == sentence_spans(text[start:])


def test_texts_split_once_gives_the_same_spans_and_splits_each_text_once() -> None:
    texts = ["First one. Second one!", "Dr. Smith came.\nThen he left.", "", "First one. Second one!"]
    outside = [sentence_spans(text) for text in texts]
    with texts_split_once():
        inside = [sentence_spans(text) for text in texts]
        assert sentence_spans(texts[1]) is inside[1]
    assert inside == outside
    assert suffix_spans(texts[1], 4) == sentence_spans(texts[1][4:])


_URL_PIECES = [
    "http",
    "HTTPS",
    "s",
    "ſ",
    ":",
    "//",
    "://",
    "www",
    "WwW",
    "w",
    "W",
    ".",
    "x.org/a?b",
    " ",
    "\n",
    ")",
    "İ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_URL_PIECES), max_size=12).map("".join) | st.text(max_size=30))
@example("See WWW.example.org.")
@example("hTTpS://x.org/a")
def test_text_not_scanned_for_urls_holds_none(text: str) -> None:
    if _URL.search(text) is not None:
        assert _may_hold_url(text)
    assert not _may_hold_url("no link here, not even ww.x or http:/x")
