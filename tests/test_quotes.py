"""Quote attribution: implicit copies found by alignment, declared marks located in their sources."""

from __future__ import annotations

import itertools

import pytest

import threads
from tests.conftest import SEEDS
from threads import PostDraft, QuoteMark, Thread, ThreadDraft
from threads.quotes import attribute_quotes

FLOOD = (
    "The flood story cannot be literal because the geology of every continent shows no trace of a "
    "single worldwide deposit laid down at one time."
)
LAKES = "I see lakes in the middle of continents with no rivers leading to them, so how did they get there?"
CATHOLIC = "Catholics are the largest group of Christians and they are allowed to accept evolution."
REPLY = "That is simply not what the rock record shows, as any field geologist will tell you."


def build(*posts: str | PostDraft) -> Thread:
    drafts = [
        post if isinstance(post, PostDraft) else PostDraft(text=post, author=f"a{n}")
        for n, post in enumerate(posts)
    ]
    return threads.assemble(ThreadDraft(format="test", posts=drafts))


def links(thread: Thread) -> list[tuple[str, str | None, str]]:
    """(quoting post, source post, quoted text) for every quote."""
    return [
        (quote.post_id, quote.source_post_id, thread.post(quote.post_id).text[quote.start : quote.end])
        for quote in thread.quotes
    ]


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        pytest.param(
            [f"{FLOOD}\n\n{LAKES}", f"{FLOOD}\n\n{REPLY}"],
            [("p2", "p1", FLOOD)],
            id="exact quote of a paragraph",
        ),
        pytest.param(
            [f"{FLOOD} {LAKES} {CATHOLIC}", f"{LAKES}\n\n{REPLY}"],
            [("p2", "p1", LAKES)],
            id="partial quote: one sentence out of a paragraph",
        ),
        pytest.param(
            [FLOOD, f"{FLOOD.replace('geology', 'geolgy')}\n\n{REPLY}"],
            [("p2", "p1", FLOOD.replace("geology", "geolgy"))],
            id="quote with a retyped word",
        ),
        pytest.param(
            [f"{FLOOD}\n\nThe end.", f"{FLOOD}\n\n{LAKES}", f"{FLOOD}\n\n{LAKES}\n\n{REPLY}"],
            [("p2", "p1", FLOOD), ("p3", "p1", FLOOD), ("p3", "p2", LAKES)],
            id="quote of a quote goes to the post that wrote it",
        ),
        pytest.param(
            [f"{FLOOD}\n\nI don't think so at all.", f"{LAKES}\n\nI don't think so at all."],
            [],
            id="a short common line is not a quote",
        ),
        pytest.param(
            [
                f"As a matter of fact, {FLOOD}",
                f"{LAKES} As a matter of fact, this is right.",
            ],
            [],
            id="a short common phrase is not a quote",
        ),
        pytest.param(
            [FLOOD, LAKES, f"{FLOOD}\n\nAgreed.\n\n{LAKES}\n\n{REPLY}"],
            [("p3", "p1", FLOOD), ("p3", "p2", LAKES)],
            id="two quotes from two posts in one reply",
        ),
        pytest.param(
            [f"{CATHOLIC}\n\nEvidence please.", f"{CATHOLIC}\n\nNo.\n\nEvidence please.\n\nThe Bible."],
            [("p2", "p1", CATHOLIC), ("p2", "p1", "Evidence please.")],
            id="a short line of a post already quoted at length",
        ),
        pytest.param(
            [f"{CATHOLIC}\n\nEvidence please.", f"{LAKES}\n\nEvidence please."],
            [],
            id="a short line of a post not otherwise quoted is own text",
        ),
        pytest.param(
            [CATHOLIC, f"{CATHOLIC}\n\nYou say {CATHOLIC[0].lower()}{CATHOLIC[1:]}"],
            [("p2", "p1", CATHOLIC)],
            id="a passage is quoted once; restating it is own text",
        ),
    ],
)
def test_implicit_quotes(posts: list[str], expected: list[tuple[str, str, str]]) -> None:
    thread = build(*posts)
    assert links(thread) == expected
    for quote in thread.quotes:
        assert quote.method == "alignment"
        source = thread.post(quote.source_post_id or "")
        assert source.text[quote.source_start or 0 : quote.source_end or 0].strip()


def test_own_text_holds_no_quoted_words() -> None:
    thread = build(FLOOD, f"{FLOOD}\n\n{REPLY}")
    assert thread.post("p2").own_text == REPLY
    assert thread.post("p1").own_text == FLOOD


def test_retyped_quote_scores_below_one_and_exact_quote_one() -> None:
    thread = build(FLOOD, f"{FLOOD.replace('geology', 'geolgy')}\n\n{REPLY}", f"{FLOOD}\n\n{LAKES}")
    scores = {quote.post_id: quote.score for quote in thread.quotes}
    assert 0 < scores["p2"] < 1
    assert scores["p3"] == 1.0


def test_source_span_points_at_the_original_words() -> None:
    first = f"{LAKES}\n\n{FLOOD}"
    thread = build(first, f"{REPLY}\n\n{FLOOD}")
    (quote,) = thread.quotes
    assert first[quote.source_start or 0 : quote.source_end or 0] == FLOOD


def test_attribution_header_above_a_copied_passage_belongs_to_the_quote() -> None:
    thread = build(FLOOD, f"Originally posted by a0\n {FLOOD}\n\n{REPLY}")
    (quote,) = thread.quotes
    assert thread.post("p2").text[quote.start : quote.end].startswith("Originally posted by a0")
    assert thread.post("p2").own_text == REPLY


def mark(text: str, passage: str, **source: str) -> QuoteMark:
    start = text.index(passage)
    return QuoteMark(start, start + len(passage), "header", **source)


def test_declared_quote_of_a_quote_follows_the_chain() -> None:
    second = f"{FLOOD}\n\n{LAKES}"
    third = f"{FLOOD}\n\n{REPLY}"
    posts = [
        PostDraft(text=FLOOD, id="1", author="ann"),
        PostDraft(text=second, id="2", author="bob", quotes=(mark(second, FLOOD, source_post_id="1"),)),
        PostDraft(text=third, id="3", author="cy", quotes=(mark(third, FLOOD, source_post_id="2"),)),
    ]
    quotes = attribute_quotes(posts)
    assert [(q.post_id, q.source_post_id, q.method) for q in quotes] == [
        ("2", "1", "header"),
        ("3", "1", "header"),
    ]
    assert (quotes[1].source_start, quotes[1].source_end) == (0, len(FLOOD))


def test_declared_quote_naming_only_an_author_is_resolved_in_their_posts() -> None:
    third = f"{LAKES}\n\n{REPLY}"
    posts = [
        PostDraft(text=f"{FLOOD}\n\n{LAKES}", id="1", author="ann"),
        PostDraft(text=CATHOLIC, id="2", author="bob"),
        PostDraft(text=third, id="3", author="cy", quotes=(mark(third, LAKES, quoted_author="ann"),)),
    ]
    (quote,) = attribute_quotes(posts)
    assert (quote.source_post_id, quote.quoted_author) == ("1", "ann")
    assert posts[0].text[quote.source_start or 0 : quote.source_end or 0] == LAKES


@pytest.mark.parametrize(
    ("source", "why"),
    [("3", "the named post comes later"), ("99", "the named post is not in the thread")],
)
def test_declared_quote_of_a_post_not_before_it_has_no_source(source: str, why: str) -> None:
    second = f"{FLOOD}\n\n{REPLY}"
    posts = [
        PostDraft(text=LAKES, id="1"),
        PostDraft(text=second, id="2", quotes=(mark(second, FLOOD, source_post_id=source),)),
        PostDraft(text=CATHOLIC, id="3"),
    ]
    (quote,) = attribute_quotes(posts)
    assert quote.source_post_id is None, why
    assert (quote.start, quote.end) == (0, len(FLOOD))


def test_declared_quote_naming_nobody_found_by_its_words() -> None:
    second = f"{FLOOD}\n\n{REPLY}"
    posts = [PostDraft(text=FLOOD, id="1"), PostDraft(text=second, id="2", quotes=(mark(second, FLOOD),))]
    (quote,) = attribute_quotes(posts)
    assert quote.source_post_id == "1" and quote.method == "header"


def test_nested_marks_are_split_and_out_of_range_marks_clamped() -> None:
    text = f"{FLOOD}\n{LAKES}\n{REPLY}"
    outer_end = text.index(REPLY)
    posts = [
        PostDraft(text=FLOOD, id="1"),
        PostDraft(text=LAKES, id="2"),
        PostDraft(
            text=text,
            id="3",
            quotes=(
                QuoteMark(0, outer_end, "markup", source_post_id="2"),
                QuoteMark(0, len(FLOOD), "markup", source_post_id="1"),
                QuoteMark(len(text) - 5, len(text) + 50, "markup"),
                QuoteMark(10, 4, "markup"),
            ),
        ),
    ]
    quotes = attribute_quotes(posts)
    spans = [(q.start, q.end, q.source_post_id) for q in quotes]
    assert spans[:2] == [(0, len(FLOOD), "1"), (len(FLOOD) + 1, outer_end, "2")]
    assert spans[2][:2] == (len(text) - 5, len(text))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_declared_quotes_are_not_found_again_by_alignment() -> None:
    second = f"{FLOOD}\n\n{REPLY}"
    posts = [
        PostDraft(text=FLOOD, id="1"),
        PostDraft(text=second, id="2", quotes=(mark(second, FLOOD, source_post_id="1"),)),
    ]
    assert len(attribute_quotes(posts)) == 1


SEED_000_CLAIM = 'It says China has a 63%-7% lead in "advanced aircraft engines"'
SEED_000_OVERALL = "Overall, this report may or may not indicate something about the future"
SEED_000_THINKING = (
    "You are thinking strictly applied engineering, not longer-term basic scientific research."
)


def test_seed_000_replies_link_quoted_passages_to_the_post_that_wrote_them() -> None:
    thread = threads.read(SEEDS / "000_db2827ac553fc2ae.txt")
    writer = thread.posts[1]  # wrote the "It says China ..." paragraphs as own text
    assert writer.own_text.count(SEED_000_CLAIM) == 1
    replies = [post for post in thread.posts if post.text.startswith(SEED_000_CLAIM) and post is not writer]
    assert len(replies) == 2  # "As noted in the report ..." and "Your interpretation is totally wrong ..."
    for reply in replies:
        quoted = [quote for quote in thread.quotes if quote.post_id == reply.id]
        assert quoted and all(quote.source_post_id == writer.id for quote in quoted)
        assert SEED_000_CLAIM not in reply.own_text and SEED_000_OVERALL not in reply.own_text
    interpretation = next(post for post in replies if "Your interpretation is totally wrong" in post.text)
    last = thread.posts[-1]
    (quote,) = [quote for quote in thread.quotes if quote.post_id == last.id]
    assert (quote.source_post_id, last.text[quote.start : quote.end]) == (
        interpretation.id,
        SEED_000_THINKING,
    )
    assert SEED_000_THINKING in interpretation.own_text and SEED_000_THINKING not in last.own_text
