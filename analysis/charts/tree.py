"""The reply tree: each post under the post it first quotes or answers, in layers by depth."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import polars as pl
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analysis.charts.style import (
    AUTHOR_PALETTE,
    EMPTY_STYLE,
    author_colors,
    author_legend,
    count_ticks,
    empty_panel,
    finish,
    new_figure,
    require_columns,
    set_titles,
    short_author,
)
from threads.plural import counted

# Above this many leaves, one mark per post cannot be told apart at a report's width (18 inches).
TREE_LIMIT = 600
# Branches considered for a label when the tree is drawn as blocks, and their labels' size.
LABELLED_BRANCHES = 40
_LABEL_POINTS = 6.5
_SHADE_COLUMNS = 1200
_SHADE_MAP = LinearSegmentedColormap.from_list("branch_shade", ["#ffffff", "#a0a0a0"])
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
    primary, extra = _parents(posts, edges)
    leaves = posts.height - len(set(primary.values()))
    width = min(18.0, max(8.0, leaves * 0.35))
    if leaves > TREE_LIMIT:
        depth = _depths(posts["id"].to_list(), primary)
        deepest = max(depth.values(), default=0)
        figure = new_figure(width, min(10.0, max(4.5, 2.0 + deepest * 0.6)))
        _draw_branches(figure, posts, primary, extra, depth, title, width_inches=width)
        return finish(figure)
    deepest = max(_tree_layout(posts["id"].to_list(), primary)[1].values(), default=0)
    figure = new_figure(width, min(10.0, max(4.5, 2.0 + deepest * 0.6)))
    _draw_tree(figure, posts, edges, max_labels, title, width_inches=width)
    return finish(figure)


def _depths(ids: Sequence[str], primary: dict[str, str]) -> dict[str, int]:
    # ids in thread order and every parent earlier than its child: one pass gives every depth
    depth: dict[str, int] = {}
    for post_id in ids:
        parent = primary.get(post_id)
        depth[post_id] = 0 if parent is None else depth[parent] + 1
    return depth


def _clear_of_each_other(
    ranked: list[str],
    texts: dict[str, str],
    x: dict[str, float],
    depth: dict[str, int],
    *,
    points_per_leaf: float,
) -> list[str]:
    """The posts of `ranked`, best first, whose label (6-point text right of the post) does not run
    into the label of a better-ranked post on the same level."""
    kept: list[str] = []
    spans: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for post_id in ranked:
        left = x[post_id] * points_per_leaf + 3
        right = left + len(texts[post_id]) * 6 * 0.62 + 4
        if any(
            left < other_right and other_left < right for other_left, other_right in spans[depth[post_id]]
        ):
            continue
        spans[depth[post_id]].append((left, right))
        kept.append(post_id)
    return kept


def _covered(starts: np.ndarray, widths: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Posts of one row (blocks that never overlap) lying left of each of `edges`."""
    order = np.argsort(starts)
    starts, widths = starts[order], widths[order]
    before = np.concatenate([[0.0], np.cumsum(widths)])
    last = np.searchsorted(starts, edges, side="right") - 1  # the last block starting left of each edge
    clamped = np.maximum(last, 0)
    total = before[clamped] + np.clip(edges - starts[clamped], 0.0, widths[clamped])
    return np.where(last >= 0, total, 0.0)


def _draw_branches(
    figure: FigureBase,
    posts: pl.DataFrame,
    primary: dict[str, str],
    extra: list[tuple[str, str]],
    depth: dict[str, int],
    title: str,
    *,
    width_inches: float,
) -> None:
    """Too many posts for one mark each: every post is a block on its depth's row, as wide as its
    branch (itself and every reply under it), its replies side by side under it in thread order
    (an icicle chart). Wide branches stand out; a thread's shape reads from the rows' widths."""
    axes = figure.add_subplot()
    ids = posts["id"].to_list()
    position = dict(zip(ids, posts["position"].to_list(), strict=True))
    authors = posts["author"].to_list() if "author" in posts.columns else [None] * posts.height
    author_of = dict(zip(ids, authors, strict=True))
    size = dict.fromkeys(ids, 1)
    for post_id in reversed(ids):  # a child comes after its parent: sizes add up from the end
        if post_id in primary:
            size[primary[post_id]] += size[post_id]
    start: dict[str, int] = {}
    free: dict[str, int] = {}
    placed = 0
    for post_id in ids:
        parent = primary.get(post_id)
        if parent is None:
            start[post_id] = placed
            placed += size[post_id]
        else:
            start[post_id] = free[parent]
            free[parent] += size[post_id]
        free[post_id] = start[post_id]
    deepest = max(depth.values(), default=0)
    roots = posts.height - len(primary)
    several = len({src for src, _ in extra})
    subtitle = (
        f"{counted(posts.height, 'post')} · {counted(roots, 'root')} · deepest reply at depth {deepest} · "
        f"{counted(several, 'post')} with more than one parent"
    )
    summary = (
        "Too many posts to draw one by one: each post is a block on its depth's row, as wide as its "
        "branch (the post and every reply under it), its replies side by side under it"
        + (
            f"; the {counted(len(extra), 'extra parent link')} of posts with several parents are not drawn"
            if extra
            else ""
        )
        + "."
        + ("" if primary else " No post quotes or answers another: every post stands alone.")
    )
    set_titles(axes, title, subtitle, width_inches=width_inches, summary=summary)
    points_per_post = width_inches * 0.8 * 72 / max(1, posts.height)
    starts = np.asarray([start[post_id] for post_id in ids], dtype=float)
    widths = np.asarray([size[post_id] for post_id in ids], dtype=float)
    rows = np.asarray([depth[post_id] for post_id in ids])
    # Most branches are far narrower than a pixel. Each row is first shaded by how much of each
    # column its posts fill (any post at all shows: at least a light grey), then the branches wide
    # enough to see are drawn on top as blocks in their author's colour, parted by white edges.
    columns = np.linspace(0, posts.height, _SHADE_COLUMNS + 1)
    for row in range(deepest + 1):
        chosen = rows == row
        filled = np.diff(_covered(starts[chosen], widths[chosen], columns)) / np.diff(columns)
        shade = np.where(filled > 0, 0.3 + 0.7 * filled, 0.0)
        axes.imshow(
            np.ma.masked_equal(shade[np.newaxis, :], 0.0),
            extent=(0, posts.height, row + 0.42, row - 0.42),
            cmap=_SHADE_MAP,
            norm=Normalize(0, 1),
            aspect="auto",
            interpolation="nearest",
        )
    wide = widths * points_per_post >= 3
    corners = np.stack(
        [
            np.column_stack([starts[wide], rows[wide] - 0.42]),
            np.column_stack([starts[wide] + widths[wide], rows[wide] - 0.42]),
            np.column_stack([starts[wide] + widths[wide], rows[wide] + 0.42]),
            np.column_stack([starts[wide], rows[wide] + 0.42]),
        ],
        axis=1,
    )
    shown_authors = [author for author, keep in zip(authors, wide.tolist(), strict=True) if keep]
    # Colours go to the authors whose drawn blocks cover the most of the chart: a thread's most
    # frequent authors mostly write branches far narrower than a block, and a legend of authors no
    # block shows would mislead. (Each author is passed once, so their order decides the colours.)
    covered: Counter[str | None] = Counter()
    for author, width in zip(shown_authors, widths[wide].tolist(), strict=True):
        covered[author] += width
    palette = author_colors([author for author, _ in covered.most_common()])
    axes.add_collection(
        PolyCollection(
            list(corners),
            facecolors=[palette[author] for author in shown_authors],
            edgecolors="white",
            linewidths=0.6,
        )
    )
    # Label the widest branches with the longest label their block holds: blocks of one row never
    # overlap, and a row is taller than a line of text, so neither do the labels.
    row_points = figure.get_figheight() * 0.7 * 72 / (deepest + 1.2) if isinstance(figure, Figure) else 0.0
    labelled = 0
    widest = sorted(ids, key=lambda post_id: (-size[post_id], position[post_id]))[:LABELLED_BRANCHES]
    for post_id in widest if row_points >= 14 else []:
        room = size[post_id] * points_per_post - 6
        for text in (
            f"#{position[post_id]:,} {short_author(author_of[post_id], 12)} · "
            f"{counted(size[post_id], 'post')}",
            f"#{position[post_id]:,} · {size[post_id]:,}",
            f"#{position[post_id]:,}",
        ):
            if len(text) * _LABEL_POINTS * 0.62 <= room:
                axes.text(
                    start[post_id] + size[post_id] / 2,
                    depth[post_id],
                    text,
                    ha="center",
                    va="center",
                    fontsize=_LABEL_POINTS,
                    color="#111111",
                )
                labelled += 1
                break
    axes.set_xlim(0, posts.height)
    axes.set_ylim(deepest + 0.6, -0.6)  # roots on top
    count_ticks(axes.xaxis)
    axes.set_ylabel("reply depth")
    if deepest < 8:
        axes.set_yticks(range(deepest + 1))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    axes.set_xlabel(
        "posts: each block spans its branch"
        + (
            f" (labels: {labelled} of the {len(widest)} widest branches, where one fits: first post, "
            "author, posts in the branch)"
            if labelled
            else ""
        )
    )
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    shaded = Patch(
        color=_SHADE_MAP(0.6), label="branches too narrow\nto draw one by one\n(paler: fewer posts)"
    )
    axes.legend(
        handles=[*author_legend(palette, top=len(AUTHOR_PALETTE)), shaded],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )


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
        f"{counted(posts.height, 'post')} · {counted(roots, 'root')} · deepest reply at depth {deepest} · "
        f"{counted(several, 'post')} with more than one parent" + (" (orange dashes)" if several else "")
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
        labelled = _clear_of_each_other(
            [post_id for post_id, _ in answers.most_common(8)],
            {
                post_id: f"#{position[post_id]} {short_author(author_of[post_id], 12)} ({answers[post_id]})"
                for post_id in answers
            },
            x,
            depth,
            points_per_leaf=width_inches * 0.8 * 72 / (float(xs.max() - xs.min()) * 1.06 + 1.3),
        )
        note = f"labels: the {len(labelled)} most answered posts (position, author, answers)"
        if len(labelled) < min(8, len(answers)):
            note = (
                f"labels: {len(labelled)} of the 8 most answered posts (position, author, answers); "
                "the others too close to label"
            )
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
