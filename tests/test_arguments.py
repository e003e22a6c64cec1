"""Argumentative sentences by discourse markers and cues; argument chains along quote/reply links."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.arguments import (
    _CUE_LOWER,
    _CUE_LOWER_WITHOUT_NEGATION,
    _WORD,
    _word_count,
    argument_chains,
    argument_sentences,
    classify_sentence,
    main_sentence,
)
from analysis.schemas import ARGUMENTS_SCHEMA, CHAINS_SCHEMA, STANCE_SCHEMA
from tests.structure_threads import thread_with_edges
from threads.assemble import own_text
from threads.errors import InputError
from threads.model import Quote, Thread


@pytest.mark.parametrize(
    ("sentence", "role", "markers"),
    [
        ("I think we should ban it because it harms kids.", "claim", ("i think", "should", "because")),
        ("Because it harms kids.", "premise", ("because",)),
        ("For example, Norway did it in 2010.", "premise", ("for example",)),
        ("However, the data says otherwise.", "claim", ("however",)),
        ("Even though it rained, we went out.", "claim", ("even though",)),  # not also "though"
        ("That’s why it failed.", "claim", ("that's why",)),  # curly apostrophe
        ("As a result of the ban, prices rose.", "premise", ("as a result of",)),
        ("As a result, prices rose.", "claim", ("as a result",)),
        ("This is never going to work.", "claim", ("cue:never",)),
        ("The plan is a terrible idea overall.", "claim", ("cue:subjective",)),
        ("We met at the station at noon today.", None, ()),
        ("Since 2010 the town has grown.", None, ()),  # temporal "since"
        ("Never again.", None, ()),  # cues need four words
        ("Thanks!", None, ()),
        ("If taxes rise, people leave.", "claim", ("cue:if",)),  # a condition
        ("One man's meat is another man's poison.", "claim", ("cue:another",)),  # a comparison
        ("Here's a link to the paper, but it is long.", None, ()),  # meta, despite "but"
        ("Source: the BBC, 2019.", None, ()),
        ("https://example.com/page", None, ()),
    ],
)
def test_classify_sentence(sentence: str, role: str | None, markers: tuple[str, ...]) -> None:
    assert classify_sentence(sentence) == (role, markers)


def _thread(texts: list[str], edges: list[tuple[str, str, str]], authors: list[str] | None = None) -> Thread:
    return thread_with_edges(authors or [f"user{n}" for n in range(len(texts))], edges, texts=texts)  # type: ignore[arg-type]


def test_argument_sentences_reads_own_text_only_and_skips_other_languages() -> None:
    thread = _thread(
        [
            "We met at noon. I think the tracker is biased because it counts papers.",
            "Quoted: clearly wrong. Therefore the ranking means little.",
            "Der Bericht ist falsch, weil er nur Artikel zählt.",
        ],
        [("p2", "p1", "reply"), ("p3", "p1", "reply")],
    )
    posts = list(thread.posts)
    posts[1] = replace(posts[1], own_text="Therefore the ranking means little.")  # a quote was cut
    posts[2] = replace(posts[2], language="de")
    frame = argument_sentences(replace(thread, posts=tuple(posts)))
    assert dict(frame.schema) == ARGUMENTS_SCHEMA
    assert frame.rows() == [
        ("p1", 1, "I think the tracker is biased because it counts papers.", "claim", ["i think", "because"]),
        ("p2", 0, "Therefore the ranking means little.", "claim", ["therefore"]),
    ]


def test_classify_sentence_counts_an_answer_without_cues() -> None:
    assert classify_sentence("So did they.") == (None, ())
    assert classify_sentence("So did they.", answers=True) == ("claim", ("cue:answers",))
    assert classify_sentence("Thanks!", answers=True) == (None, ())  # too short, and thanks
    assert classify_sentence("Hello there friends.", answers=True) == (None, ())


def test_the_first_sentence_of_a_reply_and_after_each_quote_answers() -> None:
    texts = [
        "Prices rise. We met at noon.",
        "> Prices rise\nSo did wages.\nWe met at noon then.\n> We met at noon\nOk sure.",
        "Hello there. Wages fell.",
    ]
    thread = _thread(texts, [("p2", "p1", "quote"), ("p3", "p1", "reply")])
    second = texts[1]
    spans = [(0, len("> Prices rise")), (second.index("> We met"), second.index("\nOk"))]
    quotes = tuple(Quote("p2", "p1", start, end, None, None, None, "markup", 1.0) for start, end in spans)
    posts = list(thread.posts)
    posts[1] = replace(posts[1], own_text=own_text(second, spans))
    frame = argument_sentences(replace(thread, posts=tuple(posts), quotes=quotes))
    # p1 opens the thread; "We met at noon then." follows an answer, not a quote; p3 opens with a greeting
    assert frame.select("post_id", "text", "markers").rows() == [
        ("p2", "So did wages.", ["cue:answers"]),
        ("p2", "Ok sure.", ["cue:answers"]),
    ]


def test_main_sentence_prefers_most_markers_and_shortens() -> None:
    thread = _thread(
        ["Hello all. I think it fails because costs rise, therefore we should stop. " + "x " * 200], []
    )
    assert main_sentence(thread.posts[0]) == "I think it fails because costs rise, therefore we should stop."
    long_post = _thread(["Clearly " + "very " * 100 + "long."], []).posts[0]
    excerpt = main_sentence(long_post, limit=40)
    assert len(excerpt) == 40 and excerpt.endswith("…")


def _stance(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(src, dst, "reply", None, None, label, 0.0, []) for src, dst, label in rows],
        schema=STANCE_SCHEMA,
        orient="row",
    )


# p1 claim; p2 and p3 both answer it; p4 quotes p2 AND p3 (multi-parent); p5 answers p4; p6 answers p1.
CHAIN_THREAD = _thread(
    [
        "The tracker shows a clear lead because it counts top papers.",
        "I agree, the lead is real.",
        "That is wrong, since counts are not quality.",
        "Your interpretation is totally wrong, however you slice it.",
        "In fact the report itself says so.",
        "Nice weather today.",
    ],
    [
        ("p2", "p1", "reply"),
        ("p3", "p1", "reply"),
        ("p4", "p2", "quote"),
        ("p4", "p3", "quote"),
        ("p5", "p4", "reply"),
        ("p6", "p1", "inferred"),
    ],
    authors=["ann", "bob", "cat", "ann", "cat", "dan"],
)
CHAIN_STANCE = _stance(
    [
        ("p2", "p1", "agree"),
        ("p3", "p1", "disagree"),
        ("p4", "p2", "disagree"),
        ("p4", "p3", "disagree"),
        ("p5", "p4", "disagree"),
        ("p6", "p1", "neutral"),
    ]
)


def test_chain_follows_the_longest_then_most_contested_path() -> None:
    chains = argument_chains(CHAIN_THREAD, CHAIN_STANCE)
    assert dict(chains.schema) == CHAINS_SCHEMA
    # p5 <- p4 <- {p2 (agree from p1), p3 (disagree from p1)}: equal length, p3 is more contested
    assert chains.select("chain", "step", "post_id", "author", "stance").rows() == [
        (1, 0, "p1", "ann", None),
        (1, 1, "p3", "cat", "disagree"),
        (1, 2, "p4", "ann", "disagree"),
        (1, 3, "p5", "cat", "disagree"),
    ]
    assert chains["excerpt"][2] == "Your interpretation is totally wrong, however you slice it."


def test_chain_options_bound_the_output() -> None:
    # with inferred links p6 forms a second chain of two posts
    both = argument_chains(CHAIN_THREAD, CHAIN_STANCE, min_length=2, kinds=("quote", "reply", "inferred"))
    assert both.group_by("chain").len().sort("chain")["len"].to_list() == [4, 2]
    assert argument_chains(CHAIN_THREAD, CHAIN_STANCE, min_length=5).height == 0
    assert argument_chains(CHAIN_THREAD, CHAIN_STANCE, min_length=2, max_chains=0).height == 0


def test_missing_stance_gives_null_steps() -> None:
    chains = argument_chains(CHAIN_THREAD, CHAIN_STANCE.head(0))
    assert chains["stance"].null_count() == chains.height
    assert chains["post_id"].to_list()[-1] == "p5"


def test_bad_stance_frame_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="stance frame has no stance column"):
        argument_chains(CHAIN_THREAD, pl.DataFrame({"src": ["p2"], "dst": ["p1"]}))
    with pytest.raises(ValueError, match="min_length"):
        argument_chains(CHAIN_THREAD, CHAIN_STANCE, min_length=0)


def test_long_chain_is_linear() -> None:
    count = 20_000
    texts = ["ok"] * count
    thread = _thread(texts, [(f"p{n + 1}", f"p{n}", "reply") for n in range(1, count)])
    chains = argument_chains(thread, _stance([]), max_chains=1)
    assert chains.height == count and chains["step"].to_list()[-1] == count - 1


def test_no_argument_gives_an_empty_frame_with_the_schema() -> None:
    frame = argument_sentences(_thread(["Hi.", "Thanks!"], []))
    assert frame.height == 0 and dict(frame.schema) == ARGUMENTS_SCHEMA


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
@example("snake_case words, 2nd try: it's x-ray time\t\x7f!")
def test_word_count_counts_the_runs_of_word_characters(text: str) -> None:
    assert _word_count(text) == len(_WORD.findall(text))


_CUE_PIECES = [
    "all ",
    "every",
    "not",
    "no",
    "can",
    "can't",
    "won",
    "t",
    "n",
    "'",
    "’",
    " ",
    ".",
    "é",
    "_",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=30).map("".join) | st.text(max_size=40))
@example("they cannot, we couldn't and won't: not all")
def test_cue_pattern_without_negation_finds_the_same_where_no_negation_can_match(text: str) -> None:
    lowered = text.lower()
    if "n'" not in lowered and "n’" not in lowered:
        assert _CUE_LOWER_WITHOUT_NEGATION.findall(lowered) == _CUE_LOWER.findall(lowered)
    # Where a negation is written the two differ: the fast pattern is only for text without one.
    assert (_CUE_LOWER.findall("they don't"), _CUE_LOWER_WITHOUT_NEGATION.findall("they don't")) == (
        ["don't"],
        [],
    )
