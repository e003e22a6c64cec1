"""Stance toward targets: detected names, mentions per post, polarity of the naming sentences."""

from __future__ import annotations

import polars as pl
import pytest

import threads
from analysis.schemas import TARGET_AUTHORS_SCHEMA, TARGET_STANCE_SCHEMA
from analysis.targets import detect_targets, target_stance, target_stance_by_author
from tests.thread_tables import thread_of


def _thread() -> threads.Thread:
    return thread_of(
        [
            "I read the ASPI tracker. China leads in research. Overall it is fine.",
            "I don't trust anything from ASPI, it is a terrible source. GE builds engines.",
            "Overall, China's output is excellent. The GE engines are good. The US is ahead.",
        ],
        authors=["ann", "bob", "ann"],
    )


def test_detects_recurring_names_not_sentence_openers() -> None:
    assert detect_targets(_thread()) == ["ASPI", "China", "GE"]


def test_mentions_and_polarity_per_post() -> None:
    frame = target_stance(_thread(), targets=["ASPI", "China", "us"])
    assert dict(frame.schema) == TARGET_STANCE_SCHEMA
    rows = {(row["target"], row["post_id"]): row for row in frame.iter_rows(named=True)}
    assert set(rows) == {("ASPI", "1"), ("ASPI", "2"), ("China", "1"), ("China", "3"), ("us", "3")}
    assert rows[("ASPI", "2")]["polarity"] == pytest.approx(-1.0)
    assert rows[("China", "3")]["polarity"] == pytest.approx(0.5)  # "overall" 0.0, "excellent" 1.0
    assert rows[("China", "3")]["author"] == "ann" and rows[("China", "3")]["mentions"] == 1


def test_short_acronyms_match_case_sensitively() -> None:
    thread = threads.from_frame(pl.DataFrame({"text": ["GE is big.", "ge is a word piece, GE again"]}))
    frame = target_stance(thread, targets=["GE"])
    assert frame.get_column("mentions").to_list() == [1, 1]


def test_no_targets_gives_empty_frame() -> None:
    thread = threads.from_frame(pl.DataFrame({"text": ["nothing capitalized here", "nor here"]}))
    assert target_stance(thread).height == 0
    assert dict(target_stance(thread).schema) == TARGET_STANCE_SCHEMA


def test_per_author_aggregate() -> None:
    frame = target_stance_by_author(target_stance(_thread(), targets=["China", "ASPI"]))
    assert dict(frame.schema) == TARGET_AUTHORS_SCHEMA
    assert frame.select("target", "author", "posts", "mentions").rows() == [
        ("ASPI", "ann", 1, 1),
        ("ASPI", "bob", 1, 1),
        ("China", "ann", 2, 2),
    ]


def test_multiword_names_are_one_target_and_common_capitals_are_not() -> None:
    thread = thread_of(
        [
            "Have you read it? The United States leads, said the University of Hong Kong. Photo: AP",
            "However, the United States has allies. Have they helped? Experts in Hong Kong doubt it.",
            "Have a look. In May the University of Hong Kong wrote that however you count, it is so.",
        ],
        authors=["ann", "bob", "cy"],
    )
    # not "United" and "States", "Have", "However", "May" (a month), "Photo" (a label)
    assert detect_targets(thread) == ["United States", "University of Hong Kong"]
