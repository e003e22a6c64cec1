"""The structure profile: depth of each post, posts per depth, the most-quoted posts."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import polars as pl
from matplotlib.figure import Figure, FigureBase
from matplotlib.ticker import MaxNLocator

from analysis.charts.style import (
    EMPTY_STYLE,
    count_ticks,
    empty_panel,
    finish,
    new_figure,
    position_ticks,
    require_columns,
    set_titles,
    short_author,
)
from threads.plural import counted

# Above this many posts the depth of each post is drawn per bin of posts (about 300 bins).
DEPTH_LIMIT = 2000
_DEPTH_BINS = 300


def structure_profile(
    post_structure: pl.DataFrame,
    *,
    top: int = 10,
    title: str = "Reply structure",
) -> Figure:
    """Three panels: depth of each post along the thread, posts per depth, the most-quoted posts.

    Args:
        post_structure: the per-post structure table (`post_id`, `position`, `author`, `depth`,
            `quoted_by`).
        top: most-quoted posts listed.
        title: the chart's title.

    Returns:
        A Figure with three axes.

    Raises:
        ValueError: the frame lacks a column, or `top` is below 1.
    """
    require_columns(post_structure, ("post_id", "position", "author", "depth", "quoted_by"), "post_structure")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    figure = new_figure(13, 4.6)
    draw_structure(figure, post_structure, top, title, width_inches=13)
    return finish(figure)


def draw_structure(
    figure: FigureBase, frame: pl.DataFrame, top: int, title: str, *, width_inches: float
) -> None:
    """Draw the three structure panels into `figure` (a figure or a subfigure of the overview)."""
    frame = frame.sort("position")
    depths = [int(value or 0) for value in frame["depth"].to_list()]
    quoted = [int(value or 0) for value in frame["quoted_by"].to_list()]
    subtitle = (
        f"{counted(frame.height, 'post')} · max depth {max(depths, default=0)} · "
        f"{counted(sum(1 for value in quoted if value), 'post')} quoted by others"
    )
    set_titles(figure, title, subtitle, width_inches=width_inches)
    along, per_level, most = figure.subplots(1, 3, gridspec_kw={"width_ratios": [2.2, 1, 1.4]})
    along.set_title("depth of each post", fontsize=10, loc="left")
    per_level.set_title("width: posts per depth", fontsize=10, loc="left")
    most.set_title("most-quoted posts", fontsize=10, loc="left")
    if frame.height == 0:
        for axes in (along, per_level, most):
            empty_panel(axes, "no posts in this thread")
        return
    xs = frame["position"].to_list()
    if frame.height <= 200:
        along.vlines(xs, 0, depths, color="#4a6fa5", lw=1.2)
        along.scatter(xs, depths, s=14, color="#4a6fa5", zorder=3)
    elif frame.height <= DEPTH_LIMIT:
        along.plot(xs, depths, color="#4a6fa5", lw=0.6)
    else:
        # One line through thousands of posts is a solid band: each bin of posts shows its deepest
        # post (shaded) and its mean depth (line) instead.
        step = math.ceil(frame.height / _DEPTH_BINS)
        cut = np.arange(0, frame.height, step)
        each = np.asarray(depths, dtype=float)
        middle = np.asarray(xs, dtype=float)[np.minimum(cut + step // 2, frame.height - 1)]
        deepest = np.maximum.reduceat(each, cut)
        mean = np.add.reduceat(each, cut) / np.diff(np.append(cut, frame.height))
        along.fill_between(middle, 0, deepest, step="mid", color="#c6d4ea", label="deepest post")
        along.plot(middle, mean, color="#4a6fa5", lw=1.2, label="mean depth")
        along.set_title(f"depth along the thread, per {step:,} posts", fontsize=10, loc="left")
        along.legend(loc="upper right", fontsize=8, frameon=False, ncols=2)
    along.set_xlabel("post position in the thread")
    along.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    position_ticks(along, min(xs), max(xs))
    along.set_ylabel("reply depth (0 = starts a branch)")
    along.yaxis.set_major_locator(MaxNLocator(integer=True))
    headroom = 1.08 if frame.height <= DEPTH_LIMIT else 1.25  # the binned form's legend sits on top
    along.set_ylim(bottom=-0.3 if max(depths) else -0.5, top=max(1, max(depths)) * headroom + 0.3)
    if max(depths) == 0:
        along.set_yticks([0])  # no depth below 0 or above the deepest post to mark
        along.text(
            0.5, 0.6, "no post answers another: all at depth 0", transform=along.transAxes, **EMPTY_STYLE
        )
    widths = Counter(depths)
    levels = sorted(widths)
    counts = [widths[level] for level in levels]
    if len(levels) <= 50:
        per_level.barh(levels, counts, color="#7b9cc7", height=0.8)
        per_level.set_yticks(levels if len(levels) <= 12 else levels[::2])
        for level, count in zip(levels, counts, strict=True):
            per_level.text(count, level, f" {count:,}", va="center", fontsize=7)
    else:
        per_level.fill_betweenx(levels, counts, step="mid", color="#7b9cc7")
        per_level.yaxis.set_major_locator(MaxNLocator(integer=True))
    # at least four rows of room, so one or two levels do not swell into slabs
    per_level.set_ylim(max(levels[-1] + 0.5, 3.5), levels[0] - 0.5)
    per_level.set_xlabel("posts")
    per_level.set_ylabel("reply depth")
    per_level.set_xlim(0, max(counts) * (1.2 if max(counts) < 1000 else 1.3))  # room for "41,165"
    count_ticks(per_level.xaxis)
    ranked = (
        frame.with_columns(pl.col("quoted_by").fill_null(0))
        .filter(pl.col("quoted_by") > 0)
        .sort(["quoted_by", "position"], descending=[True, False])
        .head(top)
    )
    if ranked.is_empty():
        empty_panel(most, "no post is quoted by another post")
        most.set_title("most-quoted posts", fontsize=10, loc="left")
        return
    labels = [
        f"#{position:,} {short_author(author, 14)}"
        for position, author in zip(ranked["position"].to_list(), ranked["author"].to_list(), strict=True)
    ]
    values = ranked["quoted_by"].to_list()
    most.barh(range(len(values)), values, color="#e08214", height=0.7)
    most.set_yticks(range(len(values)), labels=labels, fontsize=8)
    most.set_ylim(max(len(values), 5) - 0.5, -0.5)  # thin bars when few posts are quoted
    most.set_xlabel("distinct posts quoting it")
    most.xaxis.get_major_locator().set_params(integer=True)
