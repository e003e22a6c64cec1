"""Tone: TextBlob scores per English sentence and post; other languages get nulls, never a fake 0."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textblob import TextBlob

import threads
from analysis.schemas import TONE_POSTS_SCHEMA, TONE_SENTENCES_SCHEMA
from analysis.tone import score_sentence, sentence_language, tone_posts, tone_sentences
from tests.thread_tables import thread_of


def _thread() -> threads.Thread:
    return thread_of(
        [
            "The report is excellent. It was published in 2024.",
            "This is terrible analysis. 中国的科研产出增长很快。",
            "中国很强。",
        ],
        authors=["ann", "bob", "chen"],
    )


def test_sentences_follow_schema_and_score_english_only() -> None:
    frame = tone_sentences(_thread())
    assert dict(frame.schema) == TONE_SENTENCES_SCHEMA
    rows = frame.select("post_id", "sentence", "text", "language").rows()
    assert rows == [
        ("1", 0, "The report is excellent.", "en"),
        ("1", 1, "It was published in 2024.", "en"),
        ("2", 0, "This is terrible analysis.", "en"),
        ("2", 1, "中国的科研产出增长很快。", "zh"),
        ("3", 0, "中国很强。", "zh"),
    ]
    polarity = frame.get_column("polarity").to_list()
    assert polarity[0] is not None and polarity[0] > 0.5
    assert polarity[2] is not None and polarity[2] < -0.5
    assert polarity[3] is None and polarity[4] is None
    assert frame.get_column("cues").to_list()[0] == ["excellent"]
    assert frame.get_column("cues").to_list()[3] is None


def test_sentence_offsets_index_own_text() -> None:
    thread = _thread()
    for post_id, start, end, text in tone_sentences(thread).select("post_id", "start", "end", "text").rows():
        assert thread.post(post_id).own_text[start:end] == text


def test_posts_average_english_sentences_and_null_otherwise() -> None:
    frame = tone_posts(_thread())
    assert dict(frame.schema) == TONE_POSTS_SCHEMA
    by_post = {row["post_id"]: row for row in frame.iter_rows(named=True)}
    assert by_post["1"]["sentences"] == 2 and by_post["1"]["words"] == 9
    assert by_post["1"]["polarity"] == pytest.approx((1.0 + 0.0) / 2)
    assert by_post["2"]["polarity"] is not None and by_post["2"]["polarity"] < 0
    assert by_post["3"]["polarity"] is None and by_post["3"]["subjectivity"] is None
    assert by_post["3"]["language"] == "zh" and by_post["3"]["words"] == 4


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Plain English.", "en"),
        ("中国很强。", "zh"),
        ("2019-2023", None),
        ("Café prices rose.", "en"),
        ("Le rapport est excellent et la Chine est en tête.", "fr"),
        ("한국어 문장", "ko"),
    ],
)
def test_sentence_language(text: str, language: str | None) -> None:
    assert sentence_language(text) == language


def test_seed_000_chinese_passages_get_no_english_tone(seeds_dir: Path) -> None:
    thread = threads.read(seeds_dir / "000_db2827ac553fc2ae.txt")
    frame = tone_sentences(thread)
    chinese = frame.filter(pl.col("text").str.contains("[\u4e00-\u9fff]{8}"))
    assert chinese.height >= 4
    assert set(chinese.get_column("language")) == {"zh"}
    assert chinese.get_column("polarity").null_count() == chinese.height
    assert chinese.get_column("subjectivity").null_count() == chinese.height
    english = frame.filter(pl.col("language") == "en")
    assert english.height > 50 and english.get_column("polarity").null_count() == 0
    posts = tone_posts(thread, sentences=frame)
    mixed = posts.filter(pl.col("post_id").is_in(chinese.get_column("post_id").implode()))
    for post_id, polarity in mixed.select("post_id", "polarity").rows():
        scored = english.filter(pl.col("post_id") == post_id).get_column("polarity")
        assert polarity == (pytest.approx(scored.mean()) if len(scored) else None)


@pytest.mark.parametrize(
    "text",
    [
        "This is not good at all.",
        "What a wonderful, very helpful report!",
        "Your interpretation is totally wrong.",
    ],
)
def test_scores_equal_textblobs_own(text: str) -> None:
    expected = TextBlob(text).sentiment_assessments
    tone = score_sentence(text)
    assert (tone.polarity, tone.subjectivity) == (expected.polarity, expected.subjectivity)
    assert list(tone.cues) == [" ".join(words) for words, *_ in expected.assessments]
