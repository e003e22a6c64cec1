"""Agreement between authors: who agrees or disagrees with whom, counted on quote/reply links."""

from __future__ import annotations

from collections import Counter

import matplotlib
import numpy as np
import polars as pl
from matplotlib.colors import Normalize
from matplotlib.figure import Figure, FigureBase

from analysis.charts.style import (
    empty_panel,
    finish,
    new_figure,
    require_columns,
    set_titles,
    short_author,
)
from threads.plural import counted

# Cell counts on one line smaller than this many points go one above another, when that is larger.
_STACK_BELOW = 7.0


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
    require_columns(stance, ("src_author", "dst_author", "stance"), "stance")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    authors = {a for a in stance["src_author"].to_list() + stance["dst_author"].to_list() if a is not None}
    shown = min(top, len(authors)) + 2
    side = min(14.0, max(6.5, 2.8 + shown * 0.75))
    figure = new_figure(side + 1.5, side)
    draw_agreement(figure, stance, top, title, width_inches=side + 1.5, include_inferred=include_inferred)
    return finish(figure)


def draw_agreement(
    figure: FigureBase,
    stance: pl.DataFrame,
    top: int,
    title: str,
    *,
    width_inches: float,
    include_inferred: bool = False,
) -> None:
    """Draw the agreement matrix into `figure` (a figure or a subfigure of the overview)."""
    axes = figure.add_subplot()
    guessed = 0
    if not include_inferred and "kind" in stance.columns:
        guessed = stance.filter(pl.col("kind") == "inferred").height
        stance = stance.filter(pl.col("kind") != "inferred")
    counts = Counter(stance["stance"].to_list())
    noun = "link" if include_inferred or "kind" not in stance.columns else "quote/reply link"
    subtitle = (
        f"{counted(stance.height, noun)}: {counts.get('agree', 0):,} agree · "
        f"{counts.get('disagree', 0):,} disagree · {counts.get('neutral', 0):,} neutral"
        + (f" ({counted(guessed, 'inferred link')} not counted)" if guessed else "")
    )
    set_titles(axes, title, subtitle, width_inches=width_inches)
    if stance.is_empty():
        empty_panel(
            axes,
            f"no quotes or replies between posts; the {counted(guessed, 'inferred link')} (parent "
            "guessed from an addressed name, else the first post) are not counted as agreement"
            if guessed
            else "no quotes or replies in this thread, so no author answers another",
        )
        return
    pairs = list(stance.select("src_author", "dst_author", "stance").iter_rows())
    if all(src is None and dst is None for src, dst, _ in pairs):
        empty_panel(axes, "the source shows no author names, so agreement between authors cannot be charted")
        return
    activity = Counter(a for src, dst, _ in pairs for a in (src, dst) if a is not None)
    named = [author for author, _ in activity.most_common(top)]
    index = {author: i for i, author in enumerate(named)}
    labels = [short_author(author) for author in named]
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
    # Large counts ("21728/43084/11676") shrink one line below easy reading: the three counts then
    # go one above another, each line a third as long, when that gives larger text.
    stacked = False
    if fontsize < _STACK_BELOW:
        longest = max((len(part) for text in cells.values() for part in text.split("/")), default=1)
        tall = min(9.0, cell_points / (longest * 0.62), cell_points / (3 * 1.35))
        if tall > fontsize:
            stacked, fontsize = True, tall
            cells = {cell: text.replace("/", "\n") for cell, text in cells.items()}
    printed = fontsize >= 4.5
    if printed:
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
    axes.set_xticks(range(size), labels=labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=8)
    axes.set_yticks(range(size), labels=labels, fontsize=8)
    # the note sits in the axis label: above the matrix it would run into a wrapped subtitle
    axes.set_xlabel(
        "author answered or quoted\n"
        + (
            "(counts left out: too many to print)"
            if not printed
            else "(cell text: agree, disagree, neutral links, top to bottom)"
            if stacked
            else "(cell text: agree/disagree/neutral links)"
        )
    )
    axes.set_ylabel("replying author")
    figure.colorbar(image, ax=axes, label="net agreement: (agree − disagree) / links", shrink=0.8)
