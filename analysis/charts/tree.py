"""The reply tree: each post under the post it first quotes or answers, in layers by depth."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import polars as pl
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analysis.charts.style import (
    AUTHOR_PALETTE,
    EMPTY_STYLE,
    author_colors,
    author_legend,
    empty_panel,
    finish,
    many,
    new_figure,
    require_columns,
    set_titles,
    short_author,
)

# the tree parent's kind, best first (as analysis.structure picks a post's first parent)
_KIND_PRIORITY = {"reply": 0, "quote": 1, "inferred": 2}


def _parents(posts: pl.DataFrame, edges: pl.DataFrame) -> tuple[dict[str, str], list[tuple[str, str]]]:
    # The tree parent is the one analysis.structure calls the first parent: the linked earlier post
    # of the best kind (reply, then quote, then inferred), the latest on ties. Only earlier posts
    # count, so the layout is a forest even when the edges hold a cycle.
    position = dict(zip(posts["id"].to_list(), posts["position"].to_list(), strict=True))
    best: dict[str, tuple[int, int, str]] = {}
    linked: dict[str, set[str]] = defaultdict(set)
    for src, dst, kind in edges.select("src", "dst", "kind").iter_rows():
        if src not in position or dst not in position or position[dst] >= position[src]:
            continue
        linked[src].add(dst)
        key = (_KIND_PRIORITY.get(kind, len(_KIND_PRIORITY)), -position[dst], dst)
        if src not in best or key < best[src]:
            best[src] = key
    primary = {src: key[2] for src, key in best.items()}
    extra = sorted((src, dst) for src, dsts in linked.items() for dst in dsts if dst != primary[src])
    return primary, extra


def _inferred_links(edges: pl.DataFrame) -> set[tuple[str, str]]:
    # (src, dst) pairs that only an inferred edge joins: guesses, drawn dashed
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for src, dst, kind in edges.select("src", "dst", "kind").iter_rows():
        kinds[(src, dst)].add(kind)
    return {pair for pair, found in kinds.items() if found == {"inferred"}}


def _tree_layout(ids: Sequence[str], primary: dict[str, str]) -> tuple[dict[str, float], dict[str, int]]:
    children: dict[str, list[str]] = defaultdict(list)
    for post_id in ids:
        if post_id in primary:
            children[primary[post_id]].append(post_id)
    x: dict[str, float] = {}
    depth: dict[str, int] = {}
    leaves = 0
    roots = [post_id for post_id in ids if post_id not in primary]
    stack: list[tuple[str, bool]] = [(root, False) for root in reversed(roots)]
    for root in roots:
        depth[root] = 0
    while stack:  # iterative post-order: a 2,000-step reply chain must not hit the recursion limit
        node, expanded = stack.pop()
        kids = children.get(node, [])
        if expanded or not kids:
            if kids:
                x[node] = (x[kids[0]] + x[kids[-1]]) / 2
            else:
                x[node] = float(leaves)
                leaves += 1
            continue
        stack.append((node, True))
        for kid in reversed(kids):
            depth[kid] = depth[node] + 1
            stack.append((kid, False))
    return x, depth


def _extra_link(x0: float, y0: int, x1: float, y1: int, span: float) -> np.ndarray:
    """A second parent's link: straight between levels, an arc under the level between posts on one
    level (a straight line there would run behind the posts' own markers)."""
    if y0 != y1:
        return np.asarray([(x0, y0), (x1, y1)], dtype=float)
    angles = np.linspace(0, math.pi, 24)
    sag = min(0.45, 0.12 + 0.35 * abs(x1 - x0) / span)
    return np.column_stack([x0 + (x1 - x0) * (1 - np.cos(angles)) / 2, y0 + sag * np.sin(angles)])


def reply_tree(
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    max_labels: int = 60,
    title: str = "Reply tree",
) -> Figure:
    """The thread as a layered tree: each post under the post it first quotes or answers.

    Roots (posts that link to nothing earlier) sit on top; extra parents of multi-parent posts are
    dashed. Small trees label every post with its position; large ones label only the most
    answered posts and say so.

    Args:
        posts: the thread's posts (`id`, `position`, optionally `author`).
        edges: quote/reply edges (`src`, `dst`, `kind`).
        max_labels: label every node when the thread has at most this many posts.
        title: the chart's title.

    Returns:
        A Figure with one axes.

    Raises:
        ValueError: a frame is not a DataFrame or lacks a column.
    """
    require_columns(posts, ("id", "position"), "posts")
    require_columns(edges, ("src", "dst", "kind"), "edges")
    posts = posts.sort("position")
    primary, _ = _parents(posts, edges)
    leaves = posts.height - len(set(primary.values()))
    width = min(18.0, max(8.0, leaves * 0.35))
    deepest = max(_tree_layout(posts["id"].to_list(), primary)[1].values(), default=0)
    figure = new_figure(width, min(10.0, max(4.5, 2.0 + deepest * 0.6)))
    _draw_tree(figure, posts, edges, max_labels, title, width_inches=width)
    return finish(figure)


def _draw_tree(
    figure: FigureBase,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    max_labels: int,
    title: str,
    *,
    width_inches: float,
) -> None:
    axes = figure.add_subplot()
    ids = posts["id"].to_list()
    primary, extra = _parents(posts, edges)
    x, depth = _tree_layout(ids, primary)
    roots = posts.height - len(primary)
    deepest = max(depth.values(), default=0)
    several = len({src for src, _ in extra})
    subtitle = (
        f"{many(posts.height, 'post')} · {many(roots, 'root')} · deepest reply at depth {deepest} · "
        f"{many(several, 'post')} with more than one parent" + (" (orange dashes)" if several else "")
    )
    set_titles(axes, title, subtitle, width_inches=width_inches)
    if posts.height == 0:
        empty_panel(axes, "no posts in this thread")
        return
    position = dict(zip(ids, posts["position"].to_list(), strict=True))
    authors = posts["author"].to_list() if "author" in posts.columns else [None] * posts.height
    author_of = dict(zip(ids, authors, strict=True))
    palette = author_colors(authors)
    lines = [[(x[parent], depth[parent]), (x[child], depth[child])] for child, parent in primary.items()]
    guessed = _inferred_links(edges)
    styles = ["--" if (child, parent) in guessed else "-" for child, parent in primary.items()]
    thin = posts.height > 300
    axes.add_collection(
        LineCollection(lines, colors="#555555", linewidths=0.4 if thin else 1.0, linestyles=styles, alpha=0.7)
    )
    if extra:
        span_x = max(1.0, max(x.values()) - min(x.values()))
        dashed = [_extra_link(x[dst], depth[dst], x[src], depth[src], span_x) for src, dst in extra]
        # in a large tree extra parents are a faint texture, not a net hiding the tree
        axes.add_collection(
            LineCollection(
                dashed,
                colors="#e08214",
                linewidths=0.4 if thin else 0.8,
                linestyles="--",
                alpha=0.15 if thin else 0.6,
            )
        )
    xs = np.asarray([x[post_id] for post_id in ids])
    ys = np.asarray([depth[post_id] for post_id in ids], dtype=float)
    size = 60 if posts.height <= 100 else (18 if posts.height <= 500 else 6)
    axes.scatter(
        xs,
        ys,
        s=size,
        c=[palette[author] for author in authors],
        edgecolors="#333333",
        linewidths=0.3,
        zorder=3,
    )
    answers = Counter(primary.values())
    if posts.height <= max_labels:
        labelled = ids
        note = "labels: post position"
    else:
        labelled = [post_id for post_id, _ in answers.most_common(8)]
        note = f"labels: the {len(labelled)} most answered posts (position, author, answers)"
    for post_id in labelled:
        text = f"#{position[post_id]}"
        if posts.height > max_labels:
            text += f" {short_author(author_of[post_id], 12)} ({answers[post_id]})"
        axes.annotate(
            text,
            (x[post_id], depth[post_id]),
            xytext=(3, 4),
            textcoords="offset points",
            fontsize=7 if posts.height <= 30 else 6,
            color="#222222",
        )
    if not primary:
        axes.text(
            0.5,
            0.25,
            "a single post: nothing quotes or answers it"
            if posts.height == 1
            else "no quotes or replies in this thread: every post stands alone",
            transform=axes.transAxes,
            **EMPTY_STYLE,
        )
    span = max(1.0, float(xs.max() - xs.min()))
    axes.set_xlim(xs.min() - 0.03 * span - 0.5, xs.max() + 0.03 * span + 0.8)
    axes.set_ylim(deepest + 0.6, -0.6)  # roots on top
    axes.set_xticks([])
    axes.set_ylabel("reply depth")
    # depths are whole numbers; a lone level must not get ticks at -0.6 ... 0.6
    if deepest < 8:
        axes.set_yticks(range(deepest + 1))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    axes.set_xlabel(f"posts, leaves in thread order ({note})")
    for side in ("right", "top", "bottom"):
        axes.spines[side].set_visible(False)
    handles = author_legend(palette, top=len(AUTHOR_PALETTE))
    if any(style == "--" for style in styles):
        handles.append(Line2D([], [], color="#555555", ls="--", label="inferred parent"))
    if extra:
        handles.append(Line2D([], [], color="#e08214", ls="--", label="extra parent"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
