"""Thread arcs: posts on a line in thread order, an arc for every quote or reply, coloured by stance."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import matplotlib
import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, LogNorm, Normalize
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from analysis.charts.style import (
    AUTHOR_PALETTE,
    EMPTY_STYLE,
    STANCE_COLORS,
    STANCE_LABELS,
    author_colors,
    author_legend,
    count_ticks,
    empty_panel,
    finish,
    new_figure,
    post_words,
    require_columns,
    set_titles,
    stance_lookup,
)
from threads.plural import counted

# Above this many links, single arcs cannot be told apart at a report's width (12-16 inches).
ARC_LIMIT = 1500
# Arcs drawn for the most-quoted posts when the links are summarised.
ARC_BUDGET = 1500
# The most-quoted posts considered for those arcs.
ARC_POSTS = 30
_SHADE_COLUMNS, _SHADE_ROWS = 240, 60
_SHADE_MAP = ListedColormap(matplotlib.colormaps["Greys"](np.linspace(0.18, 0.85, 256)))


def thread_arcs(
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    stance: pl.DataFrame | None = None,
    tone_posts: pl.DataFrame | None = None,
    color_by: str = "author",
    title: str = "Quotes and replies along the thread",
) -> Figure:
    """Posts on a line in thread order with an arc for every quote or reply, coloured by stance.

    Marker size is the words a post's author wrote (own text); colour is the author or the tone.
    Inferred edges are faint and dashed; a post with several parents simply has several arcs.
    Large threads get thinner, more transparent arcs so that dense regions stay visible.

    Args:
        posts: the thread's posts (`id`, `position`; `author`, and `own_text` or `words` if known).
        edges: quote/reply edges (`src`, `dst`, `kind`).
        stance: the stance table (`src`, `dst`, `stance`); arcs without a row are grey.
        tone_posts: the per-post tone table (`post_id`, `polarity`); needed for `color_by="tone"`.
        color_by: "author" or "tone".
        title: the chart's title.

    Returns:
        A Figure with one axes.

    Raises:
        ValueError: a frame is not a DataFrame or lacks a column, or `color_by` is unknown.
    """
    if color_by not in ("author", "tone"):
        raise ValueError(f"color_by must be 'author' or 'tone', got {color_by!r}")
    require_columns(posts, ("id", "position"), "posts")
    require_columns(edges, ("src", "dst", "kind"), "edges")
    if color_by == "tone":
        if tone_posts is None:
            raise ValueError("color_by='tone' needs tone_posts")
        require_columns(tone_posts, ("post_id", "polarity"), "tone_posts")
    figure = new_figure(12, 5.2)
    draw_arcs(figure, posts, edges, stance, tone_posts, color_by, title, width_inches=12)
    return finish(figure)


def draw_arcs(
    figure: FigureBase,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    stance: pl.DataFrame | None,
    tone_posts: pl.DataFrame | None,
    color_by: str,
    title: str,
    *,
    width_inches: float,
) -> None:
    """Draw the thread arcs into `figure` (a figure or a subfigure of the overview)."""
    axes = figure.add_subplot()
    position = dict(zip(posts["id"].to_list(), posts["position"].to_list(), strict=True))
    count = posts.height
    kinds = Counter(edges["kind"].to_list())
    # as analysis.structure's multi_parent_posts: posts linked to two or more distinct posts, any kind
    parents = Counter(src for src, _ in set(edges.select("src", "dst").iter_rows()))
    multi = sum(1 for value in parents.values() if value > 1)
    subtitle = (
        f"{counted(count, 'post')} · {counted(edges.height, 'link')} ({kinds.get('quote', 0):,} quote, "
        f"{kinds.get('reply', 0):,} reply, {kinds.get('inferred', 0):,} inferred) · "
        f"{counted(multi, 'post')} {'links' if multi == 1 else 'link'} to several earlier posts"
    )
    if count == 0:
        set_titles(axes, title, subtitle, width_inches=width_inches)
        empty_panel(axes, "no posts in this thread")
        return
    drawable = [
        (src, dst, kind)
        for src, dst, kind in edges.select("src", "dst", "kind").iter_rows()
        if src in position and dst in position
    ]
    if len(drawable) > ARC_LIMIT:
        _draw_summary(axes, posts, drawable, position, stance, title, subtitle, width_inches=width_inches)
        _note_skipped(axes, edges.height - len(drawable))
        return
    set_titles(axes, title, subtitle, width_inches=width_inches)
    lookup = stance_lookup(stance)
    segments: list[np.ndarray] = []
    colors: list[str] = []
    styles: list[str] = []
    widths: list[float] = []
    alphas: list[float] = []
    skipped = 0
    n_links = max(1, edges.height)
    alpha = max(0.12, min(0.85, 6 / math.sqrt(n_links)))
    width = 1.8 if n_links <= 60 else max(0.5, 1.8 - math.log10(n_links / 60))
    angles = np.linspace(0, math.pi, 24 if n_links > 500 else 48)
    seen_stances: set[str | None] = set()
    highest = 0.0
    for src, dst, kind in edges.select("src", "dst", "kind").iter_rows():
        if src not in position or dst not in position:
            skipped += 1
            continue
        x0, x1 = sorted((position[dst], position[src]))
        half = (x1 - x0) / 2 or 0.3  # a self-link still shows as a small loop
        highest = max(highest, half)
        xs = x0 + half * (1 - np.cos(angles)) if x1 > x0 else x0 + 0.3 * np.sin(2 * angles)
        segments.append(np.column_stack([xs, half * np.sin(angles)]))
        value = lookup.get((src, dst))
        seen_stances.add(value)
        colors.append(STANCE_COLORS.get(value, STANCE_COLORS[None]))
        inferred = kind == "inferred"
        styles.append("--" if inferred else "-")
        widths.append(width * (0.7 if inferred else 1.0))
        alphas.append(alpha * (0.5 if inferred else 1.0))  # guesses stay visible, but fainter
    if segments:
        collection = LineCollection(segments, colors=colors, linewidths=widths, linestyles=styles)
        collection.set_alpha(alphas)
        axes.add_collection(collection)
    words = np.asarray(post_words(posts), dtype=float)
    # The largest marker is at most about two posts' room on the line (points: 72 per
    # inch over the axes' ~80% of the width), so long threads do not become a solid bar of circles.
    room = width_inches * 0.8 * 72 / count
    largest = min(260.0, max(20.0, (1.8 * room) ** 2))
    sizes = (8 if count <= 200 else 2) + largest * np.sqrt(words / max(1.0, words.max()))
    outline = 0.4 if count <= 200 else 0.0
    xs_posts = np.asarray(posts["position"].to_list(), dtype=float)
    authors = posts["author"].to_list() if "author" in posts.columns else [None] * count
    legend: list[Any] = []
    if color_by == "tone" and tone_posts is not None:
        polarity = dict(zip(tone_posts["post_id"].to_list(), tone_posts["polarity"].to_list(), strict=True))
        values = [polarity.get(post_id) for post_id in posts["id"].to_list()]
        scored = np.asarray([np.nan if value is None else value for value in values], dtype=float)
        unscored = np.isnan(scored)
        axes.scatter(
            xs_posts[unscored],
            np.zeros(int(unscored.sum())),
            s=sizes[unscored],
            color="#d0d0d0",
            edgecolors="#777777",
            linewidths=outline,
            zorder=3,
        )
        points = axes.scatter(
            xs_posts[~unscored],
            np.zeros(int((~unscored).sum())),
            s=sizes[~unscored],
            c=scored[~unscored],
            cmap="coolwarm_r",
            norm=Normalize(-1, 1),
            edgecolors="#333333",
            linewidths=outline,
            zorder=3,
        )
        figure.colorbar(points, ax=axes, label="post polarity (grey: not scored)", shrink=0.8)
    else:
        palette = author_colors(authors)
        axes.scatter(
            xs_posts,
            np.zeros(count),
            s=sizes,
            c=[palette[author] for author in authors],
            edgecolors="#333333",
            linewidths=outline,
            zorder=3,
        )
        legend.extend(author_legend(palette, top=len(AUTHOR_PALETTE)))
    for value in ("agree", "disagree", "neutral", None):
        if value in seen_stances:
            legend.append(Line2D([], [], color=STANCE_COLORS[value], lw=2, label=STANCE_LABELS[value]))
    if kinds.get("inferred"):
        legend.append(Line2D([], [], color="#777777", lw=1.2, ls="--", alpha=0.6, label="inferred link"))
    legend.append(Line2D([], [], marker="o", ls="", color="#999999", markersize=9, label="size: own words"))
    top = max(1.0, highest) * 1.08
    axes.set_ylim(-0.12 * top, top)
    axes.set_xlim(0.5 - max(0.5, count * 0.01), count + 0.5 + max(0.5, count * 0.01))
    axes.set_yticks([])
    axes.set_xlabel("post position in the thread (arcs join a post to the earlier post it quotes or answers)")
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    if count <= 30:
        axes.set_xticks(range(1, count + 1))
    if not segments:
        reason = "no quotes or replies in this thread"
        if count == 1:
            reason = "a single post: no quotes or replies in this thread"
        if skipped:
            reason = (
                f"no drawable links: {counted(skipped, 'link')} "
                f"{'points' if skipped == 1 else 'point'} outside the thread"
            )
        axes.text(0.5, 0.55, reason, transform=axes.transAxes, **EMPTY_STYLE)
    else:
        _note_skipped(axes, skipped)
    axes.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _note_skipped(axes: Axes, skipped: int) -> None:
    if skipped:
        axes.text(
            0.99,
            0.97,
            f"{counted(skipped, 'link')} to posts outside the thread not drawn",
            transform=axes.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
        )


def _arc(x0: float, x1: float, angles: np.ndarray) -> np.ndarray:
    half = (x1 - x0) / 2
    return np.column_stack([x0 + half * (1 - np.cos(angles)), half * np.sin(angles)])


def _draw_summary(
    axes: Axes,
    posts: pl.DataFrame,
    drawable: list[tuple[str, str, str]],
    position: dict[str, int],
    stance: pl.DataFrame | None,
    title: str,
    subtitle: str,
    *,
    width_inches: float,
) -> None:
    """Too many links to tell arcs apart: the links of the most-quoted posts as arcs, and every
    link as grey shading where its arc peaks (above the middle of the two posts, at half their
    distance), so the chart shows which posts draw the answers and how far links reach."""
    count = posts.height
    ends = np.asarray([(position[dst], position[src]) for src, dst, _ in drawable], dtype=float)
    low, high = ends.min(axis=1), ends.max(axis=1)
    middle, half = (low + high) / 2, (high - low) / 2
    top = max(1.0, float(half.max())) * 1.08
    shades, x_edges, y_edges = np.histogram2d(
        middle, half, bins=(_SHADE_COLUMNS, _SHADE_ROWS), range=((0.5, count + 0.5), (0.0, top))
    )
    axes.imshow(
        np.ma.masked_equal(shades.T, 0),
        extent=(x_edges[0], x_edges[-1], y_edges[0], y_edges[-1]),
        origin="lower",
        aspect="auto",
        cmap=_SHADE_MAP,
        norm=LogNorm(1, max(2.0, float(shades.max()))),
        interpolation="nearest",
        zorder=1,
    )
    # Arcs for the most-quoted posts (quote and reply links: inferred ones are guesses, often all at
    # the first post), in rank order while their links fit in ARC_BUDGET; a post with more links
    # than that would cover the chart with its fan alone, and stays in the shading.
    ranked = Counter(dst for _, dst, kind in drawable if kind != "inferred").most_common(ARC_POSTS)
    chosen: list[str] = []
    too_many: list[tuple[str, int]] = []
    shown = 0
    for post_id, links in ranked:
        if shown + links <= ARC_BUDGET:
            chosen.append(post_id)
            shown += links
        else:
            too_many.append((post_id, links))
    picked = set(chosen)
    lookup = stance_lookup(stance)
    angles = np.linspace(0, math.pi, 32)
    segments, colors = [], []
    seen_stances: set[str | None] = set()
    for src, dst, kind in drawable:
        if dst not in picked or kind == "inferred":
            continue
        x0, x1 = sorted((position[dst], position[src]))
        segments.append(_arc(x0, x1, angles))
        value = lookup.get((src, dst))
        seen_stances.add(value)
        colors.append(STANCE_COLORS.get(value, STANCE_COLORS[None]))
    alpha = max(0.12, min(0.85, 6 / math.sqrt(max(1, len(segments)))))
    collection = LineCollection(segments, colors=colors, linewidths=0.6, alpha=alpha)
    collection.set_zorder(2)
    axes.add_collection(collection)
    all_authors = posts["author"].to_list() if "author" in posts.columns else [None] * count
    authors = dict(zip(posts["id"].to_list(), all_authors, strict=True))
    dotted = chosen + [post_id for post_id, _ in too_many]
    # Colours go to the authors of the dotted posts, the only posts drawn one by one.
    palette = author_colors([authors[post_id] for post_id in dotted])
    on_top_last = dotted[::-1]  # the most-quoted posts cluster early: their dots go on top
    axes.scatter(
        [position[post_id] for post_id in on_top_last],
        np.zeros(len(on_top_last)),
        s=30,
        c=[palette[authors[post_id]] for post_id in on_top_last],
        edgecolors="#333333",
        linewidths=0.4,
        zorder=3,
    )
    named = ", ".join(f"#{position[post_id]:,}" for post_id in chosen[:4]) + (
        ", …" if len(chosen) > 4 else ""
    )
    summary = f"Too many links to draw one by one. Arcs: the {counted(len(segments), 'quote/reply link')} to "
    marked = f" ({named}; dots)" if chosen else ""
    if not ranked:
        summary = "Too many links to draw one by one, and no quote or reply link to draw as an arc"
    elif too_many:
        listed = ", ".join(
            f"#{position[post_id]:,}: {counted(links, 'link')}" for post_id, links in too_many[:2]
        )
        summary += (
            f"{len(chosen)} of the {len(ranked)} most-quoted posts{marked}; the other "
            f"{len(too_many)} ({listed}{', …' if len(too_many) > 2 else ''}) would hide the chart"
        )
    else:
        summary += f"the {counted(len(chosen), 'most-quoted post')}{marked}"
    summary += (
        f". Grey shading: all {counted(len(drawable), 'link')}, each where its arc peaks (darker: more)."
    )
    set_titles(axes, title, subtitle, width_inches=width_inches, summary=summary)
    legend: list[Any] = author_legend(
        {authors[post_id]: palette[authors[post_id]] for post_id in dotted}, top=len(AUTHOR_PALETTE)
    )
    for value in ("agree", "disagree", "neutral", None):
        if value in seen_stances:
            legend.append(Line2D([], [], color=STANCE_COLORS[value], lw=2, label=STANCE_LABELS[value]))
    legend.append(Patch(color=_SHADE_MAP(0.6), label="all links: where\ntheir arcs peak"))
    axes.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    axes.set_ylim(-0.06 * top, top)
    axes.set_xlim(0.5 - count * 0.01, count + 0.5 + count * 0.01)
    # an arc's height is half its link's length: the axis reads as the length
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{2 * value:,.0f}" if value >= 0 else ""))
    count_ticks(axes.xaxis)
    axes.set_ylabel("link length (posts)")
    axes.set_xlabel("post position in the thread (arcs join a post to the earlier post it quotes or answers)")
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
