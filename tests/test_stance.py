"""Stance: lexicon, negation, contrast and questions decide agree / disagree / neutral with cues."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import threads
from analysis.schemas import STANCE_SCHEMA
from analysis.stance import edge_stance, pair_stance
from analysis.stance_features import (
    _AGREE,
    _DISAGREE,
    _HEDGE,
    _LAUGH,
    _PERSONS,
    _PROFANITY,
    _TOKEN,
    _WORD,
    AGREE_PHRASES,
    DISAGREE_PHRASES,
    HEDGES,
    _first_character_branches,
    _matches,
    _tokens,
    _words,
    pair_features,
)
from analysis.stance_model import WORD_EVIDENCE_WORDS, StanceModel, default_model
from tests.thread_tables import thread_of

QUOTE = "These numbers suggest China leads in 57 of 64 categories, which is a leading indicator."


@pytest.mark.parametrize(
    ("response", "stance", "cue"),
    [
        (
            "Your interpretation is totally wrong. These are leading indicators.",
            "disagree",
            "lexicon:totally wrong",
        ),
        ("I disagree, that is not how research works.", "disagree", "lexicon:i disagree"),
        ("I don't agree with this at all.", "disagree", "negation:not agree with this"),
        ("I agree, good point.", "agree", "lexicon:i agree"),
        ("Exactly, well said!", "agree", "lexicon:exactly"),
        ("You're not wrong.", "agree", "negation:not wrong"),
    ],
)
def test_pair_stance(response: str, stance: str, cue: str) -> None:
    decided = pair_stance(QUOTE, response)
    assert decided.stance == stance
    assert cue in decided.cues
    assert -1.0 <= decided.score <= 1.0
    assert (decided.score > 0) == (stance == "agree")


def test_textblob_alone_cannot_tell_agree_from_disagree() -> None:
    agree, disagree = pair_stance(QUOTE, "I agree."), pair_stance(QUOTE, "I disagree.")
    assert (agree.stance, disagree.stance) == ("agree", "disagree")
    assert agree.score > 0 > disagree.score


def test_contrast_weights_what_follows() -> None:
    plain = pair_stance(QUOTE, "Good point.")
    contrasted = pair_stance(QUOTE, "Good point, but that is simply wrong and misleading.")
    assert plain.stance == "agree"
    assert contrasted.stance == "disagree"


def test_model_round_trips_through_json() -> None:
    model = default_model()
    assert StanceModel.from_json(model.to_json()) == model


def test_word_evidence_of_a_long_response_weighs_no_more_than_a_short_one() -> None:
    model = default_model()
    word = next(name for name in model.features if name.startswith("word:"))[len("word:") :]
    short = pair_features(QUOTE, f"{word} ok then.")
    long = pair_features(QUOTE, " ".join([word, *["filler"] * (4 * int(WORD_EVIDENCE_WORDS) - 1)]))
    column = model.features.index(f"word:{word}")
    assert model.vector(short)[column] == 1.0
    assert model.vector(long)[column] == pytest.approx(0.25)


def test_edge_stance_covers_every_edge_with_its_kind() -> None:
    thread = thread_of(
        [QUOTE, "Your interpretation is totally wrong.", "I agree with ann, exactly right.", ""],
        authors=["ann", "bob", "chen", "dee"],
        reply_to=[None, "1", None, "2"],
    )
    frame = edge_stance(thread)
    assert dict(frame.schema) == STANCE_SCHEMA
    rows = {(row["src"], row["dst"]): row for row in frame.iter_rows(named=True)}
    assert set(rows) == {(edge.src, edge.dst) for edge in thread.edges}
    assert rows[("2", "1")]["kind"] == "reply" and rows[("2", "1")]["stance"] == "disagree"
    assert rows[("2", "1")]["src_author"] == "bob" and rows[("2", "1")]["dst_author"] == "ann"
    assert rows[("3", "1")]["kind"] == "inferred" and rows[("3", "1")]["stance"] == "agree"
    assert rows[("4", "2")]["stance"] == "neutral" and rows[("4", "2")]["cues"] == []


def test_seed_000_reply_disagrees_with_the_post_it_quotes(seeds_dir: Path) -> None:
    thread = threads.read(seeds_dir / "000_db2827ac553fc2ae.txt")
    reply = next(
        post for post in thread.posts if post.own_text.startswith("Your interpretation is totally wrong")
    )
    quoted = next(
        post
        for post in thread.posts[: reply.position - 1]
        if 'It says China has a 63%-7% lead in "advanced aircraft engines"' in post.own_text
    )
    frame = edge_stance(thread).filter((pl.col("src") == reply.id) & (pl.col("dst") == quoted.id))
    assert frame.select("kind", "stance").rows() == [("quote", "disagree")]
    assert frame["score"][0] < -0.5 and "lexicon:totally wrong" in frame["cues"][0]


def test_responses_not_in_english_are_neutral_with_their_language() -> None:
    thread = threads.read(Path(__file__).resolve().parent.parent / "seeds" / "001_cdfdb8fad759d874.txt")
    frame = edge_stance(thread)
    chinese = {post.id for post in thread.posts if post.languages == ("zh",)}
    rows = frame.filter(pl.col("src").is_in(sorted(chinese)))
    assert rows.height > 0
    assert rows["stance"].unique().to_list() == ["neutral"]
    assert all(cues.to_list() == ["language:zh"] for cues in rows["cues"])


# Pieces of the lexicon phrases and what surrounds them, so that generated texts hit phrases, near
# misses ("agreed", "yess", "you're"), word joins and non-ASCII word characters.
_LEXICON_PIECES = sorted(
    {
        word
        for phrase in (*AGREE_PHRASES, *DISAGREE_PHRASES, *HEDGES)
        for word in re.sub(r"[()?:|\\\[\]^$*+]", " ", phrase).split()
    }
    | {" ", "  ", "'", "’", ",", ".", "!", "?", "\n", "+1", "100%", "s", "d", "_", "é", "2", "this", "so"}
)
_LEXICON_TEXTS = st.lists(st.sampled_from(_LEXICON_PIECES), max_size=40).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(_LEXICON_TEXTS)
@example("i agree with you, agreed. you're so right, that's not true: so wrong! i'm not sure +1")
@example("this. same here, fair enough, yes yess nope no, i don't know")
def test_phrases_grouped_by_first_character_match_as_the_plain_alternation(text: str) -> None:
    for phrases, grouped, end in (
        (AGREE_PHRASES, _AGREE, r"(?!\w)"),
        (DISAGREE_PHRASES, _DISAGREE, r"(?!\w)"),
        (HEDGES, _HEDGE, r"\b"),
    ):
        plain = re.compile(r"\b(?:" + "|".join(phrases) + ")" + end)
        assert [match.span() for match in grouped.finditer(text)] == [
            match.span() for match in plain.finditer(text)
        ]


def test_first_character_branches_keep_what_cannot_be_grouped_in_place() -> None:
    assert _first_character_branches(["ab", "(?:c|d)?e", "^x", "ay", r"\+1", r"\w+"]) == (
        r"a(?:b)|c(?:e)|d(?:e)|e(?:)|^x|a(?:y)|\+(?:1)|\w+"
    )


@settings(max_examples=300, deadline=None)
@given(
    _LEXICON_TEXTS
    | st.lists(st.sampled_from(["you", "your", "u", "r", "i", "m", "'", "me", "ve"])).map(" ".join)
)
def test_persons_count_as_each_pattern_alone(text: str) -> None:
    persons = _PERSONS.findall(text)
    assert sum(1 for second, _ in persons if second) == len(
        re.findall(r"\b(?:you|your|you'?re|yours|u|ur)\b", text)
    )
    assert sum(1 for _, first in persons if first) == len(
        re.findall(r"\b(?:i|my|me|i'?m|i'?ve|mine)\b", text)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "fuck",
                "shit",
                "damn",
                "crap",
                "wtf",
                "stfu",
                "lol",
                "lmao",
                "haha",
                "rofl",
                "hah",
                "ing",
                "s",
                " ",
                "x",
                "_",
                "!",
            ]
        )
    ).map("".join)
    | st.text()
)
def test_patterns_skipped_without_their_required_words_find_what_a_scan_finds(text: str) -> None:
    for pattern in (_PROFANITY, _LAUGH):
        assert [match.span() for match in _matches(pattern, text)] == [
            match.span() for match in pattern.finditer(text)
        ]


_TOKEN_TEXTS = st.text(max_size=40) | st.lists(
    st.sampled_from(
        ["don't", "I", "é", "_", "2", "?", "!", "'", " ", "\n", "x", "’", "İ", "中", "\x80", "?!"]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TOKEN_TEXTS)
@example("Don't?! say_it 2x... ok'")
def test_tokens_split_in_c_are_the_pattern_tokens(text: str) -> None:
    for lowered in (text, text.lower()):
        assert _tokens(lowered) == _TOKEN.findall(lowered)
    tokens = _WORD.findall(text.lower())
    assert _words([text]) == frozenset(tokens) | {
        f"{first} {second}" for first, second in itertools.pairwise(tokens)
    }
