"""The one-page overview: thread arcs, tone, agreement and structure panels together."""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from analysis.charts.agreement import draw_agreement
from analysis.charts.arcs import draw_arcs
from analysis.charts.structure import draw_structure
from analysis.charts.style import empty_panel, finish, new_figure, require_columns, set_titles
from analysis.charts.tone import draw_tone


def overview(
    *,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    stance: pl.DataFrame | None = None,
    tone_posts: pl.DataFrame | None = None,
    post_structure: pl.DataFrame | None = None,
    title: str = "Thread overview",
    headline: str | None = None,
) -> Figure:
    """One page with the key panels: thread arcs, tone, agreement between authors, structure.

    Args:
        posts: the thread's posts (see `thread_arcs`).
        edges: quote/reply edges.
        stance: the stance table; without it arcs are grey and the agreement panel says so.
        tone_posts: the per-post tone table; without it the tone panel says so.
        post_structure: the per-post structure table; without it the structure panel says so.
        title: the page title (the thread's title).
        headline: one line of headline numbers under the title.

    Returns:
        A Figure of four panels.

    Raises:
        ValueError: a frame is not a DataFrame or lacks a column.
    """
    require_columns(posts, ("id", "position"), "posts")
    require_columns(edges, ("src", "dst", "kind"), "edges")
    figure = new_figure(16, 16)
    set_titles(figure, title, headline, width_inches=16)
    rows = figure.subfigures(3, 1, squeeze=False, height_ratios=[1.1, 1.2, 0.9])[:, 0]
    top, middle, bottom = rows
    draw_arcs(top, posts, edges, stance, None, "author", "Quotes and replies", width_inches=16)
    left, right = middle.subfigures(1, 2, squeeze=False, width_ratios=[1.5, 1])[0]
    if tone_posts is None:
        empty_panel(left.add_subplot(), "tone was not analysed")
    else:
        require_columns(tone_posts, ("position", "polarity", "subjectivity", "language"), "tone_posts")
        draw_tone(left, tone_posts, None, "Tone along the thread", width_inches=9)
    if stance is None:
        empty_panel(right.add_subplot(), "stance was not analysed")
    else:
        require_columns(stance, ("src_author", "dst_author", "stance"), "stance")
        draw_agreement(right, stance, 8, "Who agrees with whom", width_inches=6)
    if post_structure is None:
        empty_panel(bottom.add_subplot(), "structure was not analysed")
    else:
        require_columns(
            post_structure, ("post_id", "position", "author", "depth", "quoted_by"), "post_structure"
        )
        draw_structure(bottom, post_structure, 8, "Reply structure", width_inches=16)
    return finish(figure)
