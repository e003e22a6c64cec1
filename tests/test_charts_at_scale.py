"""Charts of a large thread (built frames, 8,000 posts): no two labels of one axes overlap, and a
chart that summarises says so in its subtitle."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator

import numpy as np
import polars as pl
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from analysis import charts
from analysis.charts.arcs import ARC_BUDGET
from analysis.charts.style import AUTHOR_PALETTE, OTHER_AUTHORS, new_figure
from analysis.charts.tone import TONE_POINT_LIMIT
from analysis.charts.tree import _covered
from analysis.schemas import POST_STRUCTURE_SCHEMA, STANCE_SCHEMA, TONE_POSTS_SCHEMA
from threads.model import EDGES_SCHEMA

POSTS = 8_000


@pytest.fixture(scope="module")
def large() -> dict[str, pl.DataFrame]:
    """A thread of 8,000 posts by 300 authors: most posts quote one earlier post, a few hot posts
    draw many quotes, some posts quote two, and every tenth post has an inferred link to post 1."""
    chance = random.Random(7)
    ids = [f"p{i}" for i in range(1, POSTS + 1)]
    authors = [f"member{chance.randrange(300)}" for _ in ids]
    hot = [chance.randrange(1, 2_000) for _ in range(12)]
    links: list[tuple[str, str, str]] = []
    for index in range(1, POSTS):
        if index % 10 == 0:
            links.append((ids[index], ids[0], "inferred"))
            continue
        targets = {chance.choice(hot) if chance.random() < 0.2 else max(0, index - chance.randrange(1, 60))}
        if chance.random() < 0.15:
            targets.add(chance.randrange(index))
        links += [(ids[index], ids[target], "quote") for target in sorted(targets) if target < index]
    parent = {}
    for src, dst, _ in links:
        parent.setdefault(src, dst)
    depth: dict[str, int] = {}
    for post_id in ids:
        depth[post_id] = depth[parent[post_id]] + 1 if post_id in parent else 0
    quoted = pl.DataFrame(links, schema=EDGES_SCHEMA, orient="row").group_by("dst").agg(pl.len())
    quoted_by = dict(zip(quoted["dst"].to_list(), quoted["len"].to_list(), strict=True))
    author_of = dict(zip(ids, authors, strict=True))
    stances = ("agree", "disagree", "neutral")
    polarity = [round(chance.gauss(0.05, 0.2), 3) for _ in ids]
    return {
        "posts": pl.DataFrame(
            {"id": ids, "position": range(1, POSTS + 1), "author": authors, "own_text": ["a b c"] * POSTS},
            schema_overrides={"position": pl.Int32},
        ),
        "edges": pl.DataFrame(links, schema=EDGES_SCHEMA, orient="row"),
        "stance": pl.DataFrame(
            [
                (src, dst, kind, author_of[src], author_of[dst], stances[i % 3], 0.0, [])
                for i, (src, dst, kind) in enumerate(links)
            ],
            schema=STANCE_SCHEMA,
            orient="row",
        ),
        "tone": pl.DataFrame(
            {
                "post_id": ids,
                "position": range(1, POSTS + 1),
                "author": authors,
                "language": ["en"] * POSTS,
                "words": [3] * POSTS,
                "sentences": [1] * POSTS,
                "polarity": polarity,
                "subjectivity": [0.5] * POSTS,
            },
            schema=TONE_POSTS_SCHEMA,
        ),
        "structure": pl.DataFrame(
            [
                (post_id, i + 1, author_of[post_id], depth[post_id], 1, 0, quoted_by.get(post_id, 0))
                for i, post_id in enumerate(ids)
            ],
            schema=POST_STRUCTURE_SCHEMA,
            orient="row",
        ),
    }


def _shown_labels(axes: Axes) -> Iterator[tuple[str, list[Text]]]:
    # the tick labels drawn (ticks inside the view, non-empty text), per axis, and the free texts
    for name, axis in (("x ticks", axes.xaxis), ("y ticks", axes.yaxis)):
        low, high = sorted(axis.get_view_interval())
        labels = [
            tick.label1
            for tick in axis.get_major_ticks()
            if tick.label1.get_visible() and tick.label1.get_text() and low <= tick.get_loc() <= high
        ]
        yield name, labels
    yield "texts", [text for text in axes.texts if text.get_visible() and text.get_text()]


def _collide(one: Text, other: Text, renderer: object) -> bool:
    first, second = one.get_window_extent(renderer), other.get_window_extent(renderer)
    angle = one.get_rotation()
    if angle % 180 and angle == other.get_rotation():
        # Parallel slanted labels: their boxes overlap while their strips of text may not; the
        # strips stand clear when the distance across them, between their anchor points, is at
        # least a line of text.
        (x0, y0), (x1, y1) = (
            text.get_transform().transform(text.get_unitless_position()) for text in (one, other)
        )
        radians = math.radians(angle)
        across = abs((x1 - x0) * math.sin(radians) - (y1 - y0) * math.cos(radians))
        return across < one.get_fontsize() * figure_dpi(one) / 72
    return bool(first.overlaps(second))


def figure_dpi(text: Text) -> float:
    figure = text.get_figure(root=True)
    assert figure is not None
    return float(figure.dpi)


def overlaps(figure: Figure) -> list[str]:
    """Every pair of labels of one axes (tick labels of one axis, or the axes' own texts) whose
    drawn text overlaps, as readable strings; empty when every label stands clear."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    found = []
    for axes in figure.axes:
        for what, labels in _shown_labels(axes):
            for one, other in itertools.combinations(labels, 2):
                if _collide(one, other, renderer):
                    where = axes.get_title(loc="left")[:30]
                    found.append(f"{where!r} {what}: {one.get_text()!r} and {other.get_text()!r}")
    return found


def titles(figure: Figure) -> str:
    return "\n".join(axes.get_title(loc="left") for axes in figure.axes) + "\n" + figure.get_suptitle()


def test_large_thread_charts_have_no_overlapping_labels(large: dict[str, pl.DataFrame]) -> None:
    figures = {
        "arcs": charts.thread_arcs(large["posts"], large["edges"], stance=large["stance"]),
        "tone": charts.tone_along_thread(large["tone"]),
        "structure": charts.structure_profile(large["structure"]),
        "agreement": charts.agreement_matrix(large["stance"]),
        "overview": charts.overview(
            posts=large["posts"],
            edges=large["edges"],
            stance=large["stance"],
            tone_posts=large["tone"],
            post_structure=large["structure"],
        ),
    }
    for name, figure in figures.items():
        assert overlaps(figure) == [], name


def unscored_stretch(tone: pl.DataFrame) -> pl.DataFrame:
    """The tone table with posts 3,001 to 3,400 unscored (no polarity, no subjectivity)."""
    return tone.with_columns(
        pl.when(pl.col("position").is_between(3_001, 3_400))
        .then(None)
        .otherwise(pl.col(column))
        .alias(column)
        for column in ("polarity", "subjectivity")
    )


def test_overview_tone_panel_keeps_its_width_in_the_dense_form(large: dict[str, pl.DataFrame]) -> None:
    # a stretch of unscored posts: the dense form's legend gets its fourth entry, as real threads do
    with_gap = unscored_stretch(large["tone"])
    widths = {}
    for name, tone in (("dense", with_gap), ("points", with_gap.head(TONE_POINT_LIMIT))):
        figure = charts.overview(posts=large["posts"], edges=large["edges"], tone_posts=tone)
        figure.canvas.draw()  # constrained layout places the axes at draw time
        (axes,) = [axes for axes in figure.axes if axes.get_title(loc="left").startswith("Tone along")]
        widths[name] = axes.get_position().width * figure.get_figwidth()
    # the dense form's longer legend must not squeeze the panel (it had: three quarters of the width)
    assert widths["dense"] >= 0.9 * widths["points"], widths


def test_overlap_check_finds_labels_that_run_into_each_other() -> None:
    figure = new_figure(6.4, 4.8)
    axes = figure.add_subplot()
    axes.set_xlim(0, 50_000)
    axes.set_xticks(range(0, 50_001, 2_500))  # 21 labels of five digits on a 6.4-inch axis
    assert overlaps(figure)
    axes.set_xticks(range(0, 50_001, 10_000))
    assert overlaps(figure) == []
    # slanted labels: packed closer than a line of text apart they collide, spaced out they do not
    axes.set_xticks(
        range(0, 50_001, 1_000), labels=[f"author{i}" for i in range(51)], rotation=40, ha="right"
    )
    assert overlaps(figure)
    axes.set_xticks(
        range(0, 50_001, 5_000), labels=[f"author{i}" for i in range(11)], rotation=40, ha="right"
    )
    assert overlaps(figure) == []


def test_large_thread_arcs_draw_the_most_quoted_posts_and_say_what_the_shading_summarises(
    large: dict[str, pl.DataFrame],
) -> None:
    figure = charts.thread_arcs(large["posts"], large["edges"], stance=large["stance"])
    (collection,) = [item for item in figure.axes[0].collections if isinstance(item, LineCollection)]
    assert 0 < len(collection.get_segments()) <= ARC_BUDGET
    text = " ".join(titles(figure).split())
    drawn = len(collection.get_segments())
    assert f"Arcs: the {drawn:,} quote/reply links to" in text
    assert "most-quoted post" in text
    assert f"Grey shading: all {large['edges'].height:,} links" in text


def test_large_thread_arcs_colour_the_dotted_posts_by_their_authors(
    large: dict[str, pl.DataFrame],
) -> None:
    figure = charts.thread_arcs(large["posts"], large["edges"], stance=large["stance"])
    axes = figure.axes[0]
    dots = [item for item in axes.collections if isinstance(item, PathCollection)]
    dotted = {to_hex(color) for item in dots for color in item.get_facecolors()}
    named = {
        to_hex(handle.get_color())
        for text, handle in zip(axes.get_legend().get_texts(), axes.get_legend().legend_handles, strict=True)
        if isinstance(handle, Line2D) and handle.get_marker() == "o" and text.get_text() != "other authors"
    }
    # the dots are posts by many authors: every colour of the palette goes to one of them
    assert len(named) == len(AUTHOR_PALETTE) and named <= dotted


def test_small_thread_arcs_draw_every_link_without_a_summary(
    large: dict[str, pl.DataFrame],
) -> None:
    posts = large["posts"].head(300)
    edges = large["edges"].filter(pl.col("src").is_in(posts["id"].to_list()))
    figure = charts.thread_arcs(posts, edges)
    (collection,) = [item for item in figure.axes[0].collections if isinstance(item, LineCollection)]
    assert len(collection.get_segments()) == edges.height
    assert "Too many links" not in titles(figure)


def test_tone_window_grows_with_a_long_thread(large: dict[str, pl.DataFrame]) -> None:
    figure = charts.tone_along_thread(large["tone"])
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert "rolling mean of 80 posts" in labels  # a hundredth of 8,000 scored posts
    short = charts.tone_along_thread(large["tone"].head(120))
    assert "rolling mean of 12 posts" in [text.get_text() for text in short.axes[0].get_legend().get_texts()]


def test_large_thread_tone_is_a_density_that_says_what_it_summarises(
    large: dict[str, pl.DataFrame],
) -> None:
    figure = charts.tone_along_thread(large["tone"])
    axes = figure.axes[0]
    assert not [item for item in axes.collections if isinstance(item, PathCollection)]  # no points
    (shading,) = axes.images
    assert shading.get_array().sum() == POSTS  # every scored post counted in one cell
    text = " ".join(titles(figure).split())
    assert "mean subjectivity 0.50" in text
    assert "Too many posts to draw one by one: shading counts scored posts per cell of 50 positions" in text
    assert "band: rolling 10th–90th percentile" in text
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert labels == ["posts: how many per cell", "rolling mean of 80 posts", "rolling 10th–90th percentile"]
    assert figure.axes[1].get_ylabel() == "scored posts per cell (log scale)"
    # unscored posts stay grey gaps in the dense form
    unscored = unscored_stretch(large["tone"])
    gaps = charts.tone_along_thread(unscored).axes[0]
    assert gaps.images and gaps.get_legend().get_texts()[0].get_text().startswith("not scored (en ×400")
    # a thread at the limit still draws one point per post, coloured by subjectivity, with no summary
    short = charts.tone_along_thread(large["tone"].head(TONE_POINT_LIMIT))
    (points,) = [item for item in short.axes[0].collections if isinstance(item, PathCollection)]
    assert len(points.get_offsets()) == TONE_POINT_LIMIT and not short.axes[0].images
    assert "Too many posts" not in titles(short) and "subjectivity" in short.axes[1].get_ylabel()


def test_large_reply_tree_draws_branches_as_blocks_and_says_what_it_leaves_out(
    large: dict[str, pl.DataFrame],
) -> None:
    figure = charts.reply_tree(large["posts"], large["edges"])
    text = " ".join(titles(figure).split())
    assert "Too many posts to draw one by one: each post is a block" in text
    extra = large["edges"].unique(["src", "dst"]).group_by("src").len()
    several = extra.filter(pl.col("len") > 1).height
    assert f"{several:,} posts with more than one parent" in text
    assert "extra parent links of posts with several parents are not drawn" in text
    assert overlaps(figure) == []
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert labels and labels[0].startswith("#1 ")  # the root's branch is the whole thread


def test_large_reply_tree_legend_names_only_authors_of_drawn_blocks(
    large: dict[str, pl.DataFrame],
) -> None:
    figure = charts.reply_tree(large["posts"], large["edges"])
    axes = figure.axes[0]
    (blocks,) = [item for item in axes.collections if isinstance(item, PolyCollection)]
    drawn = {to_hex(color) for color in blocks.get_facecolors()}
    named = {
        text.get_text(): to_hex(handle.get_color())
        for text, handle in zip(axes.get_legend().get_texts(), axes.get_legend().legend_handles, strict=True)
        if isinstance(handle, Line2D) and text.get_text() not in {"other authors", "unknown author"}
    }
    assert named, "some drawn block has an author colour of its own"
    assert set(named.values()) <= drawn
    assert to_hex(blocks.get_facecolors()[0]) != to_hex(OTHER_AUTHORS)  # the root, the widest block


def test_reply_tree_labels_of_crowded_siblings_stand_clear_of_each_other() -> None:
    # a root answered by 70 posts, the first ten of them answered by six posts each: ten siblings
    # with the most answers sit six leaves apart, closer than their labels are wide
    ids = [f"p{i}" for i in range(1, 132)]
    links = [(ids[i], ids[0], "reply") for i in range(1, 71)]
    links += [
        (ids[71 + 6 * (parent - 1) + k], ids[parent], "reply") for parent in range(1, 11) for k in range(6)
    ]
    posts = pl.DataFrame(
        {"id": ids, "position": range(1, 132), "author": [f"member{i}" for i in range(131)]},
        schema_overrides={"position": pl.Int32},
    )
    figure = charts.reply_tree(posts, pl.DataFrame(links, schema=EDGES_SCHEMA, orient="row"))
    assert "Too many posts" not in titles(figure)
    assert overlaps(figure) == []
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert labels[0] == "#1 member0 (70)" and 1 < len(labels) < 8
    assert f"labels: {len(labels)} of the 8 most answered posts" in figure.axes[0].get_xlabel()
    assert "the others too close to label" in figure.axes[0].get_xlabel()


def test_covered_counts_the_posts_left_of_each_edge() -> None:
    chance = random.Random(3)
    for _ in range(50):
        cells = [0] * 300
        starts, widths, at = [], [], 0
        while at < 300:
            at += chance.randrange(0, 20)
            width = chance.randrange(1, 30)
            if at + width > 300:
                break
            starts.append(at)
            widths.append(width)
            cells[at : at + width] = [1] * width
            at += width
        edges = np.sort(np.asarray([chance.uniform(0, 300) for _ in range(20)] + [0.0, 300.0]))
        order = list(range(len(starts)))
        chance.shuffle(order)  # blocks in any order
        found = _covered(
            np.asarray([starts[i] for i in order], dtype=float),
            np.asarray([widths[i] for i in order], dtype=float),
            edges,
        )
        expected = [
            sum(cells[: int(edge)]) + (cells[int(edge)] * (edge - int(edge)) if edge < 300 else 0)
            for edge in edges
        ]
        assert np.allclose(found, expected)


def test_large_thread_without_quotes_or_replies_says_so() -> None:
    ids = [f"p{i}" for i in range(1, 2_501)]
    posts = pl.DataFrame({"id": ids, "position": range(1, 2_501)}, schema_overrides={"position": pl.Int32})
    guessed = pl.DataFrame(
        [(post_id, "p1", "inferred") for post_id in ids[1:]], schema=EDGES_SCHEMA, orient="row"
    )
    arcs = " ".join(titles(charts.thread_arcs(posts, guessed)).split())
    assert "no quote or reply link to draw as an arc. Grey shading: all 2,499 links" in arcs
    alone = " ".join(titles(charts.reply_tree(posts, guessed.head(0))).split())
    assert "2,500 roots" in alone and "every post stands alone" in alone
