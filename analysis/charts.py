"""Charts of a thread and its analysis tables: each function takes polars frames and returns a Figure."""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib
import numpy as np
import polars as pl
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from threads.plural import counted

STANCE_COLORS = {"agree": "#1a9850", "disagree": "#d73027", "neutral": "#4a6fa5", None: "#9a9a9a"}
STANCE_LABELS = {"agree": "agree", "disagree": "disagree", "neutral": "neutral", None: "no stance scored"}
OTHER_AUTHORS = "#c7c7c7"
UNKNOWN_AUTHOR = "#8c8c8c"
# tab10 without its grey, which stands for "other authors" here
AUTHOR_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)
_KIND_PRIORITY = {"reply": 0, "quote": 1, "inferred": 2}
EMPTY_STYLE: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": 11, "color": "#555555"}
_BASE_FAMILY = "DejaVu Sans"
# Families that cover Chinese, Japanese and Korean, best first; the first one installed is used.
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)

__all__ = [
    "agreement_matrix",
    "argument_chains",
    "author_colors",
    "clean_text",
    "font_families",
    "overview",
    "reply_tree",
    "structure_profile",
    "target_stance",
    "thread_arcs",
    "tone_along_thread",
    "wrap",
]


# ---------------------------------------------------------------------------------------------
# Fonts and text: forum text is CJK, emoji, "$" signs; none of it may render as boxes or math.


@functools.cache
def font_families() -> tuple[str, ...]:
    """The font families charts use: DejaVu Sans, then a CJK family when one is available.

    The CJK font comes from the `noto-cjk-sans-otc` package (a dependency) or, failing that, any
    CJK family matplotlib finds on the system. Registering it touches only matplotlib's font list.
    """
    try:
        import noto_cjk_sans_otc

        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    except (ImportError, OSError, RuntimeError):  # pragma: no cover - depends on the installation
        pass
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return (_BASE_FAMILY, family)
    return (_BASE_FAMILY,)  # pragma: no cover - depends on the installation


@functools.cache
def _renderable() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        codes.update(FT2Font(path).get_charmap())
    return frozenset(codes)


def clean_text(text: str | None) -> str:
    """Make a string safe to draw: glyphs no font has are elided, `$` cannot start mathtext.

    Args:
        text: any text from a thread (author names, excerpts, titles); None gives "".

    Returns:
        The text with runs of characters that no chart font can draw replaced by one "…", control
        characters and newlines turned to spaces, and every `$` escaped.
    """
    if not text:
        return ""
    known = _renderable()
    pieces: list[str] = []
    elided = False
    for char in text:
        if char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf"):
            char = " "
        if char == " " or ord(char) in known:
            pieces.append(char)
            elided = False
        elif not elided:
            pieces.append("…")
            elided = True
    return "".join(pieces).replace("$", r"\$")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int, *, max_lines: int | None = None) -> str:
    """Wrap text to `width` columns, counting CJK characters as two; cut to `max_lines` with "…"."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0
        for token in _tokens(paragraph):
            token_width = sum(_width(char) for char in token)
            if line_width + token_width > width and line.strip():
                lines.append(line.rstrip())
                line, line_width = "", 0
                token = token.lstrip()
                token_width = sum(_width(char) for char in token)
            while token_width > width:  # a word longer than a line is cut where it overflows
                cut, used = 0, 0
                while cut < len(token) and used + _width(token[cut]) <= width:
                    used += _width(token[cut])
                    cut += 1
                lines.append(token[:cut])
                token = token[cut:]
                token_width -= used
            line += token
            line_width += token_width
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)].rstrip() + "…"
    return "\n".join(lines)


def _tokens(paragraph: str) -> Iterable[str]:
    # A wide character is a token of its own, so Chinese and Korean wrap between any two characters.
    word = ""
    for char in paragraph:
        if _width(char) == 2:
            if word:
                yield word
                word = ""
            yield char
        elif char == " ":
            word += char
            yield word
            word = ""
        else:
            word += char
    if word:
        yield word


def _finish(figure: Figure) -> Figure:
    # Every text gets the CJK-capable family list, so nothing falls back to boxes (tofu).
    families = list(font_families())
    for text in figure.findobj(Text):
        text.set_fontfamily(families)
    for axes in figure.findobj(Axes):
        axes.tick_params(labelfontfamily=families)
    return figure


def _position_ticks(axes: Axes, first: float, last: float) -> None:
    # Post positions are whole numbers: a short thread gets one tick per post, never "1.25"
    if last - first <= 20:
        axes.set_xticks(range(int(first), int(last) + 1))
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained", dpi=100)
    FigureCanvasAgg(figure)  # an Agg canvas, not pyplot: no global figure state
    return figure


def _title(target: FigureBase | Axes, title: str, subtitle: str | None, *, width_inches: float) -> None:
    # About 11 columns of 11-point text per inch. An axes title starts at the axes' left edge and
    # must end before the figure's: the y labels and a legend or colour bar take about 2 inches.
    usable = width_inches - 2.0 if isinstance(target, Axes) else width_inches
    columns = max(30, int(usable * 11))
    text = wrap(clean_text(title), columns, max_lines=2)
    if subtitle:
        text += "\n" + wrap(subtitle, int(columns * 1.25), max_lines=2)
    if isinstance(target, Axes):
        target.set_title(text, fontsize=11, loc="left")
    else:
        target.suptitle(text, fontsize=12, x=0.01, ha="left", multialignment="left")


def _empty(axes: Axes, reason: str) -> None:
    axes.text(0.5, 0.5, wrap(reason, 60), transform=axes.transAxes, **EMPTY_STYLE)
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)


def _require(frame: object, columns: Sequence[str], what: str) -> pl.DataFrame:
    if not isinstance(frame, pl.DataFrame):
        raise ValueError(f"{what} must be a polars DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s): {', '.join(missing)}")
    return frame


def _short_author(author: str | None, limit: int = 18) -> str:
    if author is None:
        return "unknown author"
    return wrap(clean_text(author), limit, max_lines=1)


def author_colors(authors: Iterable[str | None], *, top: int = len(AUTHOR_PALETTE)) -> dict[str | None, str]:
    """One colour per author, the most active first; rarer authors share a grey.

    Args:
        authors: the author of every post (repeats count activity); None is an unknown author.
        top: how many authors get a colour of their own.

    Returns:
        A mapping of every given author to a colour; the rarer ones map to `OTHER_AUTHORS`.
    """
    counts = Counter(authors)
    known = [author for author, _ in counts.most_common() if author is not None]
    colors: dict[str | None, str] = {author: OTHER_AUTHORS for author in counts}
    for author, color in zip(known[:top], AUTHOR_PALETTE, strict=False):
        colors[author] = color
    if None in counts:
        colors[None] = UNKNOWN_AUTHOR
    return colors


def _author_legend(colors: dict[str | None, str], *, top: int) -> list[Any]:
    handles: list[Any] = []
    shown = [author for author, color in colors.items() if color in AUTHOR_PALETTE][:top]
    for author in shown:
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=colors[author], label=_short_author(author))
        )
    if any(color == OTHER_AUTHORS for color in colors.values()):
        handles.append(Line2D([], [], marker="o", linestyle="", color=OTHER_AUTHORS, label="other authors"))
    if None in colors:
        handles.append(Line2D([], [], marker="o", linestyle="", color=UNKNOWN_AUTHOR, label="unknown author"))
    return handles


def _post_words(posts: pl.DataFrame) -> list[int]:
    if "words" in posts.columns:
        return [int(value or 0) for value in posts["words"].to_list()]
    if "own_text" in posts.columns:
        return [len((text or "").split()) for text in posts["own_text"].to_list()]
    return [1] * posts.height


def _stance_lookup(stance: pl.DataFrame | None) -> dict[tuple[str, str], str | None]:
    if stance is None or stance.is_empty():
        return {}
    _require(stance, ("src", "dst", "stance"), "stance")
    return {
        (src, dst): value
        for src, dst, value in zip(stance["src"], stance["dst"], stance["stance"], strict=True)
    }


# ---------------------------------------------------------------------------------------------
# thread arcs


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
    _require(posts, ("id", "position"), "posts")
    _require(edges, ("src", "dst", "kind"), "edges")
    if color_by == "tone":
        if tone_posts is None:
            raise ValueError("color_by='tone' needs tone_posts")
        _require(tone_posts, ("post_id", "polarity"), "tone_posts")
    figure = _new_figure(12, 5.2)
    _draw_arcs(figure, posts, edges, stance, tone_posts, color_by, title, width_inches=12)
    return _finish(figure)


def _draw_arcs(
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
    axes = figure.add_subplot()
    position = dict(zip(posts["id"].to_list(), posts["position"].to_list(), strict=True))
    count = posts.height
    kinds = Counter(edges["kind"].to_list())
    # as analysis.structure's multi_parent_posts: posts linked to two or more distinct posts, any kind
    parents = Counter(src for src, _ in set(edges.select("src", "dst").iter_rows()))
    multi = sum(1 for value in parents.values() if value > 1)
    subtitle = (
        f"{counted(count, 'post')} · {counted(edges.height, 'link')} ({kinds.get('quote', 0)} quote, "
        f"{kinds.get('reply', 0)} reply, {kinds.get('inferred', 0)} inferred) · "
        f"{counted(multi, 'post')} {'links' if multi == 1 else 'link'} to several earlier posts"
    )
    _title(axes, title, subtitle, width_inches=width_inches)
    if count == 0:
        _empty(axes, "no posts in this thread")
        return
    lookup = _stance_lookup(stance)
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
    words = np.asarray(_post_words(posts), dtype=float)
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
        legend.extend(_author_legend(palette, top=len(AUTHOR_PALETTE)))
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
    elif skipped:
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
    axes.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


# ---------------------------------------------------------------------------------------------
# reply tree


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
    _require(posts, ("id", "position"), "posts")
    _require(edges, ("src", "dst", "kind"), "edges")
    posts = posts.sort("position")
    primary, _ = _parents(posts, edges)
    leaves = posts.height - len(set(primary.values()))
    width = min(18.0, max(8.0, leaves * 0.35))
    deepest = max(_tree_layout(posts["id"].to_list(), primary)[1].values(), default=0)
    figure = _new_figure(width, min(10.0, max(4.5, 2.0 + deepest * 0.6)))
    _draw_tree(figure, posts, edges, max_labels, title, width_inches=width)
    return _finish(figure)


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
    _title(axes, title, subtitle, width_inches=width_inches)
    if posts.height == 0:
        _empty(axes, "no posts in this thread")
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
            text += f" {_short_author(author_of[post_id], 12)} ({answers[post_id]})"
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
    handles = _author_legend(palette, top=len(AUTHOR_PALETTE))
    if any(style == "--" for style in styles):
        handles.append(Line2D([], [], color="#555555", ls="--", label="inferred parent"))
    if extra:
        handles.append(Line2D([], [], color="#e08214", ls="--", label="extra parent"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


# ---------------------------------------------------------------------------------------------
# tone


def tone_along_thread(
    tone_posts: pl.DataFrame,
    *,
    window: int | None = None,
    title: str = "Tone along the thread",
) -> Figure:
    """Polarity of every post in thread order, coloured by subjectivity, with a rolling mean.

    Posts that are not scored (not English, or no text) are grey bands: gaps, never zeros.

    Args:
        tone_posts: the per-post tone table (`position`, `polarity`, `subjectivity`, `language`).
        window: posts in the rolling mean; default about a tenth of the scored posts (3 to 25).
        title: the chart's title.

    Returns:
        A Figure with one axes and a subjectivity colour bar.

    Raises:
        ValueError: the frame lacks a column, or `window` is below 1.
    """
    _require(tone_posts, ("position", "polarity", "subjectivity", "language"), "tone_posts")
    if window is not None and window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    figure = _new_figure(12, 4.6)
    _draw_tone(figure, tone_posts, window, title, width_inches=12)
    return _finish(figure)


def _runs(xs: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    # (start, width) of every stretch of flagged posts, half a step wider on each side
    runs: list[tuple[float, float]] = []
    start: float | None = None
    last = 0.0
    for value, flagged in zip(xs.tolist(), mask.tolist(), strict=True):
        if flagged and start is None:
            start = value
        if not flagged and start is not None:
            runs.append((start - 0.5, last - start + 1.0))
            start = None
        last = value
    if start is not None:
        runs.append((start - 0.5, last - start + 1.0))
    return runs


def _draw_tone(
    figure: FigureBase, tone_posts: pl.DataFrame, window: int | None, title: str, *, width_inches: float
) -> None:
    axes = figure.add_subplot()
    frame = tone_posts.sort("position")
    xs = np.asarray(frame["position"].to_list(), dtype=float)
    polarity = np.asarray([np.nan if v is None else v for v in frame["polarity"].to_list()], dtype=float)
    subjectivity = np.asarray(
        [np.nan if v is None else v for v in frame["subjectivity"].to_list()], dtype=float
    )
    scored = ~np.isnan(polarity)
    own_words = frame["words"].to_list() if "words" in frame.columns else [None] * frame.height
    # A post that is all quotation (no own words) is unscored for that reason, not its language.
    languages = Counter(
        "no own text" if words == 0 or language is None else language
        for language, words, flag in zip(frame["language"].to_list(), own_words, scored, strict=True)
        if not flag
    )
    mean = float(np.mean(polarity[scored])) if scored.any() else None
    subtitle = f"{counted(frame.height, 'post')} · {int(scored.sum())} scored"
    if mean is not None:
        subtitle += f" · mean polarity {mean:+.2f}"
    _title(axes, title, subtitle, width_inches=width_inches)
    if frame.height == 0:
        _empty(axes, "no posts in this thread")
        return
    handles: list[Any] = []
    gaps = _runs(xs, ~scored)
    if gaps:
        axes.broken_barh(gaps, (-1.1, 2.2), facecolors="#e6e6e6", edgecolors="none", zorder=0)
        listed = ", ".join(f"{language} ×{n}" for language, n in languages.most_common(4))
        why = ": tone is English-only" if set(languages) - {"no own text"} else ""
        handles.append(Patch(color="#e6e6e6", label=wrap(f"not scored ({listed}){why}", 34)))
    axes.axhline(0, color="#888888", lw=0.8, zorder=1)
    if scored.any():
        size = 36 if frame.height <= 200 else 10
        points = axes.scatter(
            xs[scored],
            polarity[scored],
            c=subjectivity[scored],
            cmap="viridis",
            norm=Normalize(0, 1),
            s=size,
            edgecolors="#333333",
            linewidths=0.3,
            zorder=3,
        )
        figure.colorbar(points, ax=axes, label="subjectivity (0 factual … 1 opinion)", shrink=0.85)
        handles.append(Line2D([], [], marker="o", ls="", color="#5a5a9a", label="a post's polarity"))
        count = int(scored.sum())
        size_window = window or max(3, min(25, count // 10))
        if count >= 2:
            values = pl.Series(polarity[scored]).rolling_mean(size_window, min_samples=1).to_numpy()
            line_x, line_y = _break_at_gaps(xs[scored], values, limit=size_window)
            axes.plot(line_x, line_y, color="#b2182b", lw=2, zorder=4)
            handles.append(
                Line2D([], [], color="#b2182b", lw=2, label=f"rolling mean of {counted(size_window, 'post')}")
            )
    else:
        axes.text(
            0.5,
            0.5,
            "no English text to score: tone is measured on English only",
            transform=axes.transAxes,
            **EMPTY_STYLE,
        )
    # Forum polarity sits mostly within ±0.3: a fixed ±1 axis would flatten it, so the axis fits the
    # data, symmetric around 0 so that the sign still reads at a glance.
    peak = float(np.nanmax(np.abs(polarity))) if scored.any() else 1.0
    limit = min(1.05, max(0.25, peak * 1.15))
    axes.set_ylim(-limit, limit)
    axes.set_xlim(xs.min() - 0.6, xs.max() + 0.6)
    _position_ticks(axes, xs.min(), xs.max())
    axes.set_ylabel("polarity (−1 negative … +1 positive)")
    axes.set_xlabel("post position in the thread")
    if handles:
        axes.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.14), ncols=3, fontsize=8, frameon=False
        )


def _break_at_gaps(xs: np.ndarray, ys: np.ndarray, *, limit: int) -> tuple[np.ndarray, np.ndarray]:
    # A long stretch of unscored posts breaks the line, so it never bridges text it did not measure.
    if xs.size < 2:
        return xs, ys
    cuts = np.nonzero(np.diff(xs) > limit)[0] + 1
    return np.insert(xs, cuts, np.nan), np.insert(ys, cuts, np.nan)


# ---------------------------------------------------------------------------------------------
# agreement between authors


def agreement_matrix(
    stance: pl.DataFrame,
    *,
    top: int = 12,
    include_inferred: bool = False,
    title: str = "Who agrees with whom",
) -> Figure:
    """Authors against authors: how often each one agrees or disagrees with each other one.

    Rows are the replying (quoting) author, columns the author answered; a cell's colour is the net
    agreement (agree − disagree) / links, its text the counts. Authors beyond `top` are pooled.
    Only quote and reply links count unless `include_inferred`: an inferred link is a guess at
    what a post answers (the addressed author's post, else the first post), and the subtitle
    says how many were left out.

    Args:
        stance: the stance table (`src_author`, `dst_author`, `stance`; `kind` to tell inferred
            links apart: without it every row counts).
        top: authors shown by name, the most involved first.
        include_inferred: count inferred links too.
        title: the chart's title.

    Returns:
        A Figure with one axes and a colour bar (or a panel saying why it is empty).

    Raises:
        ValueError: the frame lacks a column, or `top` is below 1.
    """
    _require(stance, ("src_author", "dst_author", "stance"), "stance")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    authors = {a for a in stance["src_author"].to_list() + stance["dst_author"].to_list() if a is not None}
    shown = min(top, len(authors)) + 2
    side = min(14.0, max(6.5, 2.8 + shown * 0.75))
    figure = _new_figure(side + 1.5, side)
    _draw_agreement(figure, stance, top, title, width_inches=side + 1.5, include_inferred=include_inferred)
    return _finish(figure)


def _draw_agreement(
    figure: FigureBase,
    stance: pl.DataFrame,
    top: int,
    title: str,
    *,
    width_inches: float,
    include_inferred: bool = False,
) -> None:
    axes = figure.add_subplot()
    guessed = 0
    if not include_inferred and "kind" in stance.columns:
        guessed = stance.filter(pl.col("kind") == "inferred").height
        stance = stance.filter(pl.col("kind") != "inferred")
    counts = Counter(stance["stance"].to_list())
    noun = "link" if include_inferred or "kind" not in stance.columns else "quote/reply link"
    subtitle = (
        f"{counted(stance.height, noun)}: {counts.get('agree', 0)} agree · "
        f"{counts.get('disagree', 0)} disagree · {counts.get('neutral', 0)} neutral"
        + (f" ({counted(guessed, 'inferred link')} not counted)" if guessed else "")
    )
    _title(axes, title, subtitle, width_inches=width_inches)
    if stance.is_empty():
        _empty(
            axes,
            f"no quotes or replies between posts; the {counted(guessed, 'inferred link')} (parent "
            "guessed from an addressed name, else the first post) are not counted as agreement"
            if guessed
            else "no quotes or replies in this thread, so no author answers another",
        )
        return
    pairs = list(stance.select("src_author", "dst_author", "stance").iter_rows())
    if all(src is None and dst is None for src, dst, _ in pairs):
        _empty(axes, "the source shows no author names, so agreement between authors cannot be charted")
        return
    activity = Counter(a for src, dst, _ in pairs for a in (src, dst) if a is not None)
    named = [author for author, _ in activity.most_common(top)]
    index = {author: i for i, author in enumerate(named)}
    labels = [_short_author(author) for author in named]
    pooled = len(activity) > len(named)
    if pooled:
        labels.append(f"{len(activity) - len(named)} other authors")
    if any(src is None or dst is None for src, dst, _ in pairs):
        labels.append("unknown author")

    def slot(author: str | None) -> int:
        if author is None:
            return len(labels) - 1
        return index.get(author, len(named))

    size = len(labels)
    agree = np.zeros((size, size))
    disagree = np.zeros((size, size))
    neutral = np.zeros((size, size))
    for src, dst, value in pairs:
        row, column = slot(src), slot(dst)
        if value == "agree":
            agree[row, column] += 1
        elif value == "disagree":
            disagree[row, column] += 1
        else:
            neutral[row, column] += 1
    total = agree + disagree + neutral
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(total > 0, (agree - disagree) / total, np.nan)
    colormap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#f7f7f7")
    image = axes.imshow(np.ma.masked_invalid(net), cmap=colormap, norm=Normalize(-1, 1), aspect="auto")
    cells = {
        (row, column): f"{int(agree[row, column])}/{int(disagree[row, column])}/{int(neutral[row, column])}"
        for row in range(size)
        for column in range(size)
        if total[row, column]
    }
    # the counts must fit their cell: about 0.6 of the width goes to the matrix, a digit is ~0.6 em
    cell_points = width_inches * 0.6 / size * 72
    widest = max((len(text) for text in cells.values()), default=1)
    fontsize = min(9.0, cell_points / (widest * 0.62))
    if fontsize >= 4.5:
        for (row, column), text in cells.items():
            dark = abs(net[row, column]) > 0.6  # white on the saturated ends of the colour map
            axes.text(
                column,
                row,
                text,
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if dark else "#111111",
            )
    else:
        axes.text(
            0.5,
            1.0,
            "counts left out: too many to print",
            transform=axes.transAxes,
            ha="center",
            va="bottom",
            fontsize=8,
            color="#555555",
        )
    axes.set_xticks(range(size), labels=labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=8)
    axes.set_yticks(range(size), labels=labels, fontsize=8)
    axes.set_xlabel("author answered or quoted\n(cell text: agree/disagree/neutral links)")
    axes.set_ylabel("replying author")
    figure.colorbar(image, ax=axes, label="net agreement: (agree − disagree) / links", shrink=0.8)


# ---------------------------------------------------------------------------------------------
# argument chains

_STEP_FACE = {"agree": "#e5f5e0", "disagree": "#fde0dd", "neutral": "#e8eef7", None: "#fff7d6"}
_STANCE_VERB = {"agree": "agrees", "disagree": "disagrees", "neutral": "neutral"}


def argument_chains(
    chains: pl.DataFrame,
    *,
    top: int = 3,
    max_steps: int = 6,
    title: str = "Argument chains: claim → reply → …",
) -> Figure:
    """The top argument chains as step diagrams: each step's author, stance and a short excerpt.

    Args:
        chains: the chains table (`chain`, `step`, `post_id`, `author`, `stance`, `excerpt`).
        top: how many chains to draw (lowest `chain` numbers first).
        max_steps: steps drawn per chain; longer chains end with a box saying how many are left.
        title: the chart's title.

    Returns:
        A Figure with one row of steps per chain.

    Raises:
        ValueError: the frame lacks a column, or `top`/`max_steps` is below 1.
    """
    _require(chains, ("chain", "step", "post_id", "author", "stance", "excerpt"), "chains")
    if top < 1 or max_steps < 2:
        raise ValueError(f"top must be at least 1 and max_steps at least 2, got {top} and {max_steps}")
    chosen = sorted(set(chains["chain"].to_list()))[:top]
    longest = max((chains.filter(pl.col("chain") == c).height for c in chosen), default=1)
    width = max(9.0, min(max_steps, longest) * 2.9 + 0.4)
    figure = _new_figure(width, 1.2 + 2.3 * max(1, len(chosen)))
    _draw_chains(figure, chains, top, max_steps, title, width_inches=width)
    return _finish(figure)


def _draw_chains(
    figure: FigureBase, chains: pl.DataFrame, top: int, max_steps: int, title: str, *, width_inches: float
) -> None:
    chosen = sorted(set(chains["chain"].to_list()))[:top]
    total = len(set(chains["chain"].to_list()))
    _title(
        figure,
        title,
        f"top {len(chosen)} of {counted(total, 'chain')}, longest and most contested first"
        if chosen
        else "no chains found",
        width_inches=width_inches,
    )
    if not chosen:
        _empty(figure.add_subplot(), "no argument chains: no post answers another with an argument")
        return
    rows = figure.subplots(len(chosen), 1, squeeze=False)[:, 0]
    longest = max(chains.filter(pl.col("chain") == number).height for number in chosen)
    slots = max(3, min(longest, max_steps))
    # about 16 characters of 7.5-point text per inch; a box takes four fifths of its slot
    columns = max(18, int(width_inches / slots * 0.8 * 16))
    drawn: list[tuple[int, list[str]]] = []
    for axes, number in zip(rows, chosen, strict=True):
        steps = chains.filter(pl.col("chain") == number).sort("step")
        records = steps.select("post_id", "author", "stance", "excerpt").rows()
        stances = Counter(value for _, _, value, _ in records[1:])
        people = len({author for _, author, _, _ in records if author})
        who = counted(people, "named author") if people else "authors not named"
        axes.set_title(
            f"chain {number}: {counted(len(records), 'step')}, {who}, "
            f"{stances.get('disagree', 0)} disagree, {stances.get('agree', 0)} agree",
            fontsize=9,
            loc="left",
        )
        axes.set_xlim(0, slots)
        axes.set_ylim(0, 1)
        axes.axis("off")
        # Chains are paths to different leaves and often share their opening: the steps an earlier
        # row already shows are one box, so each row shows where its chain goes its own way.
        ids = [post_id for post_id, _, _, _ in records]
        shared, twin = 0, 0
        for other, other_ids in drawn:
            common = next(
                (i for i, (a, b) in enumerate(zip(ids, other_ids, strict=False)) if a != b),
                min(len(ids), len(other_ids)),
            )
            if common > shared:
                shared, twin = common, other
        drawn.append((number, ids))
        start = shared - 1 if shared >= 2 else 0  # the last shared step stays, as context
        lead = 1 if start else 0
        tail = records[start:]
        room = max_steps - lead
        shown = tail if len(tail) <= room else tail[: room - 1]
        if lead:
            axes.text(
                0.47,
                0.5,
                wrap(f"steps 1–{start} as in chain {twin}", columns),
                ha="center",
                va="center",
                fontsize=7.5,
                color="#555555",
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "#f2f2f2", "edgecolor": "#bbbbbb"},
            )
        for offset, (post_id, author, value, excerpt) in enumerate(shown):
            step = start + offset
            slot = lead + offset
            role = "claim" if step == 0 else _STANCE_VERB.get(value, "replies")
            header = f"{role} · {_short_author(author, 16)} · post {clean_text(post_id)}"
            body = wrap(clean_text(excerpt), columns, max_lines=6)
            axes.text(
                slot + 0.47,
                0.5,
                f"{wrap(header, columns, max_lines=2)}\n\n{body}",
                ha="center",
                va="center",
                fontsize=7.5,
                wrap=False,
                bbox={
                    "boxstyle": "round,pad=0.5",
                    "facecolor": _STEP_FACE.get(value if step else None, _STEP_FACE[None]),
                    "edgecolor": STANCE_COLORS.get(value, "#999999"),
                },
            )
            if slot:
                axes.annotate(
                    "",
                    xy=(slot + 0.03, 0.5),
                    xytext=(slot - 0.09, 0.5),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "color": STANCE_COLORS.get(value, "#777777") if step else "#999999",
                        "lw": 1.6,
                    },
                )
        if len(tail) > len(shown):
            axes.text(
                lead + len(shown) + 0.47,
                0.5,
                f"… {counted(len(tail) - len(shown), 'more step')}",
                ha="center",
                va="center",
                fontsize=8,
                color="#555555",
            )


# ---------------------------------------------------------------------------------------------
# structure


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
    _require(post_structure, ("post_id", "position", "author", "depth", "quoted_by"), "post_structure")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    figure = _new_figure(13, 4.6)
    _draw_structure(figure, post_structure, top, title, width_inches=13)
    return _finish(figure)


def _draw_structure(
    figure: FigureBase, frame: pl.DataFrame, top: int, title: str, *, width_inches: float
) -> None:
    frame = frame.sort("position")
    depths = [int(value or 0) for value in frame["depth"].to_list()]
    quoted = [int(value or 0) for value in frame["quoted_by"].to_list()]
    subtitle = (
        f"{counted(frame.height, 'post')} · max depth {max(depths, default=0)} · "
        f"{counted(sum(1 for value in quoted if value), 'post')} quoted by others"
    )
    _title(figure, title, subtitle, width_inches=width_inches)
    along, per_level, most = figure.subplots(1, 3, gridspec_kw={"width_ratios": [2.2, 1, 1.4]})
    along.set_title("depth of each post", fontsize=10, loc="left")
    per_level.set_title("width: posts per depth", fontsize=10, loc="left")
    most.set_title("most-quoted posts", fontsize=10, loc="left")
    if frame.height == 0:
        for axes in (along, per_level, most):
            _empty(axes, "no posts in this thread")
        return
    xs = frame["position"].to_list()
    if frame.height <= 200:
        along.vlines(xs, 0, depths, color="#4a6fa5", lw=1.2)
        along.scatter(xs, depths, s=14, color="#4a6fa5", zorder=3)
    else:
        along.plot(xs, depths, color="#4a6fa5", lw=0.6)
    along.set_xlabel("post position in the thread")
    along.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    _position_ticks(along, min(xs), max(xs))
    along.set_ylabel("reply depth (0 = starts a branch)")
    along.yaxis.set_major_locator(MaxNLocator(integer=True))
    along.set_ylim(bottom=-0.3 if max(depths) else -0.5, top=max(1, max(depths)) * 1.08 + 0.3)
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
            per_level.text(count, level, f" {count}", va="center", fontsize=7)
    else:
        per_level.fill_betweenx(levels, counts, step="mid", color="#7b9cc7")
        per_level.yaxis.set_major_locator(MaxNLocator(integer=True))
    # at least four rows of room, so one or two levels do not swell into slabs
    per_level.set_ylim(max(levels[-1] + 0.5, 3.5), levels[0] - 0.5)
    per_level.set_xlabel("posts")
    per_level.set_ylabel("reply depth")
    per_level.set_xlim(0, max(counts) * 1.2)
    per_level.xaxis.set_major_locator(MaxNLocator(integer=True))
    ranked = (
        frame.with_columns(pl.col("quoted_by").fill_null(0))
        .filter(pl.col("quoted_by") > 0)
        .sort(["quoted_by", "position"], descending=[True, False])
        .head(top)
    )
    if ranked.is_empty():
        _empty(most, "no post is quoted by another post")
        most.set_title("most-quoted posts", fontsize=10, loc="left")
        return
    labels = [
        f"#{position} {_short_author(author, 14)}"
        for position, author in zip(ranked["position"].to_list(), ranked["author"].to_list(), strict=True)
    ]
    values = ranked["quoted_by"].to_list()
    most.barh(range(len(values)), values, color="#e08214", height=0.7)
    most.set_yticks(range(len(values)), labels=labels, fontsize=8)
    most.set_ylim(max(len(values), 5) - 0.5, -0.5)  # thin bars when few posts are quoted
    most.set_xlabel("distinct posts quoting it")
    most.xaxis.get_major_locator().set_params(integer=True)


# ---------------------------------------------------------------------------------------------
# stance toward targets


def target_stance(
    target_stance: pl.DataFrame,
    *,
    top_targets: int = 12,
    top_authors: int = 8,
    title: str = "Tone toward what the thread talks about",
) -> Figure:
    """Mean polarity of the sentences naming each target, for all posts and per author.

    Args:
        target_stance: the target table (`target`, `post_id`, `author`, `mentions`, `polarity`).
        top_targets: targets shown, most mentioned first.
        top_authors: author columns shown beside "all authors", most mentioning first.
        title: the chart's title.

    Returns:
        A Figure with one heat-map axes (cells: mean polarity and mentions; "n/a" = not English).

    Raises:
        ValueError: the frame lacks a column, or a `top_*` option is below 1.
    """
    _require(target_stance, ("target", "post_id", "author", "mentions", "polarity"), "target_stance")
    if top_targets < 1 or top_authors < 1:
        raise ValueError("top_targets and top_authors must be at least 1")
    targets = min(top_targets, target_stance["target"].n_unique())
    authors = min(top_authors, target_stance["author"].drop_nulls().n_unique())
    width = max(8.0, 4.5 + 1.15 * (authors + 1))
    figure = _new_figure(width, max(4.0, 2.0 + 0.42 * targets))
    _draw_targets(figure, target_stance, top_targets, top_authors, title, width_inches=width)
    return _finish(figure)


def _draw_targets(
    figure: FigureBase,
    frame: pl.DataFrame,
    top_targets: int,
    top_authors: int,
    title: str,
    *,
    width_inches: float,
) -> None:
    axes = figure.add_subplot()
    subtitle = (
        f"{counted(frame['target'].n_unique(), 'target')} named in "
        f"{counted(frame['post_id'].n_unique(), 'post')}"
    )
    _title(axes, title, subtitle, width_inches=width_inches)
    if frame.is_empty():
        _empty(axes, "no targets: no entity is named in the posts' own text")
        return
    mentions = frame.with_columns(pl.col("mentions").fill_null(1).cast(pl.Float64))
    ranked = (
        mentions.group_by("target")
        .agg(pl.col("mentions").sum())
        .sort(["mentions", "target"], descending=[True, False])
    )
    targets = ranked["target"].head(top_targets).to_list()
    by_author = (
        mentions.drop_nulls("author")
        .group_by("author")
        .agg(pl.col("mentions").sum())
        .sort(["mentions", "author"], descending=[True, False])
    )
    authors = by_author["author"].head(top_authors).to_list()
    columns: list[str | None] = [None, *authors]
    labels = ["all authors", *[_short_author(author, 14) for author in authors]]
    values = np.full((len(targets), len(columns)), np.nan)
    counts = np.zeros((len(targets), len(columns)))
    scored_rows = mentions.filter(pl.col("target").is_in(targets))
    cells: dict[tuple[str, str | None], list[tuple[float, float | None]]] = defaultdict(list)
    for target, author, weight, polarity in scored_rows.select(
        "target", "author", "mentions", "polarity"
    ).rows():
        cells[(target, None)].append((weight, polarity))
        if author in authors:
            cells[(target, author)].append((weight, polarity))
    for row, target in enumerate(targets):
        for column, author in enumerate(columns):
            entries = cells.get((target, author), [])
            counts[row, column] = sum(weight for weight, _ in entries)
            scored = [(weight, value) for weight, value in entries if value is not None]
            if scored:
                values[row, column] = sum(w * v for w, v in scored) / sum(w for w, _ in scored)
    limit = max(0.25, float(np.nanmax(np.abs(values))) if not np.isnan(values).all() else 0.25)
    image = axes.imshow(
        np.ma.masked_invalid(values),
        cmap=matplotlib.colormaps["RdBu"].with_extremes(bad="#f0f0f0"),
        norm=TwoSlopeNorm(0, -limit, limit),
        aspect="auto",
    )
    for row in range(len(targets)):
        for column in range(len(columns)):
            if counts[row, column]:
                value = values[row, column]
                shown = "n/a" if np.isnan(value) else f"{value:+.2f}"
                axes.text(
                    column,
                    row,
                    f"{shown} ({int(counts[row, column])})",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    # white on the saturated ends of the colour map, where black would vanish
                    color="white" if abs(value) > 0.6 * limit else "#111111",
                )
    axes.set_xticks(
        range(len(columns)), labels=labels, rotation=30, ha="right", rotation_mode="anchor", fontsize=8
    )
    axes.set_yticks(range(len(targets)), labels=[_short_author(target, 24) for target in targets], fontsize=8)
    axes.set_xlabel("author (cell: mean polarity of the sentences naming it, (mentions); n/a: not English)")
    axes.set_ylabel("target")
    figure.colorbar(image, ax=axes, label="polarity (red negative, blue positive)", shrink=0.85)


# ---------------------------------------------------------------------------------------------
# one page


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
    _require(posts, ("id", "position"), "posts")
    _require(edges, ("src", "dst", "kind"), "edges")
    figure = _new_figure(16, 16)
    _title(figure, title, headline, width_inches=16)
    rows = figure.subfigures(3, 1, squeeze=False, height_ratios=[1.1, 1.2, 0.9])[:, 0]
    top, middle, bottom = rows
    _draw_arcs(top, posts, edges, stance, None, "author", "Quotes and replies", width_inches=16)
    left, right = middle.subfigures(1, 2, squeeze=False, width_ratios=[1.5, 1])[0]
    if tone_posts is None:
        _empty(left.add_subplot(), "tone was not analysed")
    else:
        _require(tone_posts, ("position", "polarity", "subjectivity", "language"), "tone_posts")
        _draw_tone(left, tone_posts, None, "Tone along the thread", width_inches=9)
    if stance is None:
        _empty(right.add_subplot(), "stance was not analysed")
    else:
        _require(stance, ("src_author", "dst_author", "stance"), "stance")
        _draw_agreement(right, stance, 8, "Who agrees with whom", width_inches=6)
    if post_structure is None:
        _empty(bottom.add_subplot(), "structure was not analysed")
    else:
        _require(post_structure, ("post_id", "position", "author", "depth", "quoted_by"), "post_structure")
        _draw_structure(bottom, post_structure, 8, "Reply structure", width_inches=16)
    return _finish(figure)
