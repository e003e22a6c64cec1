"""The sentence splitter: abbreviations, numbers, URLs, bullets, ellipses, CJK stops, line breaks."""

from __future__ import annotations

import pytest

from analysis.sentences import sentence_spans


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
