"""Charts: every function returns a labelled Figure on small known frames, empty inputs say why."""

from __future__ import annotations

import io

import numpy as np
import polars as pl
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.text import Text

from analysis import charts
from analysis.schemas import (
    CHAINS_SCHEMA,
    POST_STRUCTURE_SCHEMA,
    STANCE_SCHEMA,
    TARGET_STANCE_SCHEMA,
    TONE_POSTS_SCHEMA,
)
from threads.model import EDGES_SCHEMA

AUTHORS = ["alice", "bob", "陈伟", "alice", "bob", None, "dave", "alice", "김민수", "bob"]
IDS = [f"p{i}" for i in range(1, 11)]
LINKS = [
    ("p2", "p1", "quote", "disagree"),
    ("p3", "p1", "reply", "agree"),
    ("p4", "p2", "quote", "disagree"),
    ("p4", "p3", "quote", "neutral"),
    ("p5", "p4", "reply", "disagree"),
    ("p7", "p5", "quote", "agree"),
    ("p8", "p1", "reply", "neutral"),
    ("p9", "p8", "quote", "disagree"),
    ("p10", "p9", "reply", "agree"),
    ("p6", "p5", "inferred", "neutral"),
]


@pytest.fixture
def posts() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": IDS,
            "position": list(range(1, 11)),
            "author": AUTHORS,
            "own_text": ["word " * n for n in (120, 30, 60, 10, 80, 5, 40, 20, 70, 15)],
        },
        schema_overrides={"position": pl.Int32},
    )


@pytest.fixture
def edges() -> pl.DataFrame:
    return pl.DataFrame([link[:3] for link in LINKS], schema=EDGES_SCHEMA, orient="row")


@pytest.fixture
def stance() -> pl.DataFrame:
    author = dict(zip(IDS, AUTHORS, strict=True))
    rows = [(src, dst, kind, author[src], author[dst], value, 0.0, []) for src, dst, kind, value in LINKS]
    return pl.DataFrame(rows, schema=STANCE_SCHEMA, orient="row")


@pytest.fixture
def tone() -> pl.DataFrame:
    languages = ["en", "en", "zh", "en", "en", None, "en", "en", "ko", "en"]
    polarity = [0.2, -0.3, None, 0.1, -0.5, None, 0.4, 0.0, None, 0.3]
    subjectivity = [None if value is None else 0.5 for value in polarity]
    return pl.DataFrame(
        {
            "post_id": IDS,
            "position": list(range(1, 11)),
            "author": AUTHORS,
            "language": languages,
            "words": [10] * 10,
            "sentences": [1] * 10,
            "polarity": polarity,
            "subjectivity": subjectivity,
        },
        schema=TONE_POSTS_SCHEMA,
    )


@pytest.fixture
def chains() -> pl.DataFrame:
    rows = [
        (1, 0, "p1", "alice", None, "Mice with two fathers prove imprinting is the barrier."),
        (1, 1, "p2", "bob", "disagree", "That is wrong, because efficiency was low; it costs $5."),
        (1, 2, "p4", "alice", "disagree", "However efficiency is not the point."),
        (2, 0, "p8", "alice", None, "Claim."),
        (2, 1, "p9", "김민수", "agree", "맞아요, 정말 중요한 연구입니다."),
    ]
    return pl.DataFrame(rows, schema=CHAINS_SCHEMA, orient="row")


@pytest.fixture
def structure() -> pl.DataFrame:
    rows = [
        (post_id, position, author, depth, 1, 0, quoted)
        for post_id, position, author, depth, quoted in zip(
            IDS,
            range(1, 11),
            AUTHORS,
            [0, 1, 1, 2, 3, 4, 4, 1, 2, 3],
            [2, 1, 1, 1, 1, 0, 0, 1, 0, 0],
            strict=True,
        )
    ]
    return pl.DataFrame(rows, schema=POST_STRUCTURE_SCHEMA, orient="row")


@pytest.fixture
def targets() -> pl.DataFrame:
    rows = [
        ("China", "p1", "alice", 2, 0.3),
        ("ASPI", "p2", "bob", 1, -0.2),
        ("China", "p4", "alice", 1, 0.1),
        ("中国", "p3", "陈伟", 2, None),
    ]
    return pl.DataFrame(rows, schema=TARGET_STANCE_SCHEMA, orient="row")


def texts(figure: Figure) -> str:
    """Every string drawn on the figure, newline-separated (titles, labels, legends, annotations)."""
    figure.canvas.draw()  # tick labels exist only once drawn
    return "\n".join(text.get_text() for text in figure.findobj(Text))


def legend_labels(figure: Figure) -> list[str]:
    return [
        text.get_text() for axes in figure.axes if axes.get_legend() for text in axes.get_legend().get_texts()
    ]


def png_of(figure: Figure) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    image = imread(io.BytesIO(data))
    assert image.std() > 0.01, "a single-colour image"
    return image


def test_thread_arcs_labels_legend_and_one_arc_per_link(
    posts: pl.DataFrame, edges: pl.DataFrame, stance: pl.DataFrame
) -> None:
    figure = charts.thread_arcs(posts, edges, stance=stance)
    (axes,) = figure.axes
    assert axes.get_title(loc="left").startswith("Quotes and replies along the thread\n10 posts · 10 links")
    assert "post position" in axes.get_xlabel()
    labels = legend_labels(figure)
    for expected in (
        "alice",
        "陈伟",
        "김민수",
        "unknown author",
        "agree",
        "disagree",
        "neutral",
        "inferred link",
    ):
        assert expected in labels
    (arcs,) = axes.collections[:1]
    assert len(arcs.get_segments()) == len(LINKS)
    png_of(figure)


def test_thread_arcs_colour_by_tone_adds_a_polarity_colour_bar(
    posts: pl.DataFrame, edges: pl.DataFrame, tone: pl.DataFrame
) -> None:
    figure = charts.thread_arcs(posts, edges, tone_posts=tone, color_by="tone")
    assert any("post polarity" in axes.get_ylabel() for axes in figure.axes)
    assert "no stance scored" in legend_labels(figure)


def test_reply_tree_places_posts_by_depth(posts: pl.DataFrame, edges: pl.DataFrame) -> None:
    figure = charts.reply_tree(posts, edges)
    axes = figure.axes[0]
    assert "1 root · deepest reply at depth 4 · 1 post with more than one parent" in axes.get_title(
        loc="left"
    ).replace("\n", " ")
    assert axes.get_ylabel() == "reply depth"
    drawn = texts(figure)
    assert all(f"#{position}" in drawn for position in range(1, 11))
    assert {"extra parent", "inferred parent"} <= set(legend_labels(figure))


def test_tone_shows_unscored_posts_as_gaps_not_zeros(tone: pl.DataFrame) -> None:
    figure = charts.tone_along_thread(tone)
    axes = figure.axes[0]
    assert "7 scored · mean polarity +0.03" in axes.get_title(loc="left")
    points = axes.collections[1]  # bands first, then the scored points
    assert len(points.get_offsets()) == 7
    labels = legend_labels(figure)
    assert any(label.startswith("not scored (") and "zh ×1" in label for label in labels)
    assert "rolling mean of 3 posts" in labels
    assert any("subjectivity" in other.get_ylabel() for other in figure.axes[1:])


def test_agreement_matrix_counts_between_authors(stance: pl.DataFrame) -> None:
    figure = charts.agreement_matrix(stance)
    axes = figure.axes[0]
    assert (
        axes.get_xlabel().startswith("author answered or quoted") and axes.get_ylabel() == "replying author"
    )
    assert "cell text: agree/disagree/neutral" in axes.get_xlabel()
    drawn = texts(figure)
    # bob -> alice: p2 disagrees with p1, p5 disagrees with p4
    assert "0/2/0" in drawn
    assert "김민수" in [label.get_text() for label in axes.get_yticklabels()]


def test_argument_chains_draw_one_row_per_chain_with_stance_and_excerpt(chains: pl.DataFrame) -> None:
    figure = charts.argument_chains(chains)
    titles = [axes.get_title(loc="left") for axes in figure.axes]
    assert titles == [
        "chain 1: 3 steps, 2 named authors, 2 disagree, 0 agree",
        "chain 2: 2 steps, 2 named authors, 0 disagree, 1 agree",
    ]
    drawn = texts(figure)
    assert "disagrees · bob · post p2" in drawn and "agrees · 김민수 · post p9" in drawn
    assert "costs $5" in drawn.replace("\\$", "$")


def test_structure_profile_has_three_panels(structure: pl.DataFrame) -> None:
    figure = charts.structure_profile(structure)
    titles = [axes.get_title(loc="left") for axes in figure.axes]
    assert titles == ["depth of each post", "width: posts per depth", "most-quoted posts"]
    most = figure.axes[2]
    assert most.get_yticklabels()[0].get_text() == "#1 alice"


def test_target_stance_marks_non_english_as_not_available(targets: pl.DataFrame) -> None:
    figure = charts.target_stance(targets)
    axes = figure.axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["China", "中国", "ASPI"]
    drawn = texts(figure)
    assert "+0.23 (3)" in drawn and "n/a (2)" in drawn


def test_overview_has_all_key_panels(
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    stance: pl.DataFrame,
    tone: pl.DataFrame,
    structure: pl.DataFrame,
) -> None:
    figure = charts.overview(
        posts=posts,
        edges=edges,
        stance=stance,
        tone_posts=tone,
        post_structure=structure,
        title="中文标题 thread",
    )
    drawn = texts(figure)
    for panel in ("Quotes and replies", "Tone along the thread", "Who agrees with whom", "most-quoted posts"):
        assert panel in drawn
    png_of(figure)


EMPTY_CASES = [
    ("thread_arcs", "no posts in this thread"),
    ("reply_tree", "no posts in this thread"),
    ("tone_along_thread", "no posts in this thread"),
    ("agreement_matrix", "no quotes or replies in this thread"),
    ("argument_chains", "no argument chains"),
    ("structure_profile", "no posts in this thread"),
    ("target_stance", "no targets"),
]


@pytest.mark.parametrize(("name", "reason"), EMPTY_CASES)
def test_empty_inputs_give_a_panel_saying_why(name: str, reason: str) -> None:
    empty = {
        "posts": pl.DataFrame(schema={"id": pl.String, "position": pl.Int32, "author": pl.String}),
        "edges": pl.DataFrame(schema=EDGES_SCHEMA),
        "tone": pl.DataFrame(schema=TONE_POSTS_SCHEMA),
        "stance": pl.DataFrame(schema=STANCE_SCHEMA),
        "chains": pl.DataFrame(schema=CHAINS_SCHEMA),
        "structure": pl.DataFrame(schema=POST_STRUCTURE_SCHEMA),
        "targets": pl.DataFrame(schema=TARGET_STANCE_SCHEMA),
    }
    figure = {
        "thread_arcs": lambda: charts.thread_arcs(empty["posts"], empty["edges"]),
        "reply_tree": lambda: charts.reply_tree(empty["posts"], empty["edges"]),
        "tone_along_thread": lambda: charts.tone_along_thread(empty["tone"]),
        "agreement_matrix": lambda: charts.agreement_matrix(empty["stance"]),
        "argument_chains": lambda: charts.argument_chains(empty["chains"]),
        "structure_profile": lambda: charts.structure_profile(empty["structure"]),
        "target_stance": lambda: charts.target_stance(empty["targets"]),
    }[name]()
    assert reason in texts(figure).replace("\n", " ")
    png_of(figure)


def test_posts_without_links_say_there_are_no_quotes(posts: pl.DataFrame) -> None:
    no_edges = pl.DataFrame(schema=EDGES_SCHEMA)
    assert "no quotes or replies in this thread" in texts(charts.thread_arcs(posts, no_edges))
    assert "every post stands alone" in texts(charts.reply_tree(posts, no_edges))


def test_authors_unknown_agreement_says_why(stance: pl.DataFrame) -> None:
    anonymous = stance.with_columns(pl.lit(None, pl.String).alias(c) for c in ("src_author", "dst_author"))
    assert "shows no author names" in texts(charts.agreement_matrix(anonymous)).replace("\n", " ")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p, e: charts.thread_arcs(p.drop("position"), e), "posts lacks column(s): position"),
        (
            lambda p, e: charts.thread_arcs("posts", e),
            "must be a polars DataFrame",
        ),
        (lambda p, e: charts.thread_arcs(p, e, color_by="size"), "color_by must be"),
        (lambda p, e: charts.thread_arcs(p, e, color_by="tone"), "needs tone_posts"),
        (lambda p, e: charts.reply_tree(p, e.drop("kind")), "edges lacks column(s): kind"),
        (lambda p, e: charts.agreement_matrix(e), "stance lacks column(s): src_author"),
    ],
)
def test_bad_frames_raise_clear_value_errors(
    posts: pl.DataFrame, edges: pl.DataFrame, call: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(posts, edges)  # type: ignore[operator]


def test_cjk_renders_with_a_cjk_font_and_no_missing_glyphs(posts: pl.DataFrame, edges: pl.DataFrame) -> None:
    # Warnings are errors here: matplotlib warns "Glyph ... missing from font(s)" for every box it draws.
    assert len(charts.font_families()) == 2
    figure = charts.thread_arcs(posts, edges, title="英文媒体关于中国的报道汇总 · 일. 8월 10th")
    png_of(figure)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("costs $5 or $10", r"costs \$5 or \$10"),
        ("line\none\ttab", "line one tab"),
        ("ok 🦀🦀 fine", "ok … fine"),
        ("नमस्ते world", "… world"),
        ("陈伟 김민수", "陈伟 김민수"),
        (None, ""),
    ],
)
def test_clean_text(raw: str | None, clean: str) -> None:
    assert charts.clean_text(raw) == clean


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected"),
    [
        ("one two three four", 9, None, "one two\nthree\nfour"),
        ("中文标题很长很长", 8, None, "中文标题\n很长很长"),
        ("abcdefghij", 4, None, "abcd\nefgh\nij"),
        ("one two three four", 9, 2, "one two\nthre…"),
    ],
)
def test_wrap_counts_wide_characters_twice(text: str, width: int, lines: int | None, expected: str) -> None:
    assert charts.wrap(text, width, max_lines=lines) == expected
