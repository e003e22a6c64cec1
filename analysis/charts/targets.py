"""Tone toward targets: mean polarity of the sentences naming each target, per author."""

from __future__ import annotations

from collections import defaultdict

import matplotlib
import numpy as np
import polars as pl
from matplotlib.colors import TwoSlopeNorm
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
    require_columns(target_stance, ("target", "post_id", "author", "mentions", "polarity"), "target_stance")
    if top_targets < 1 or top_authors < 1:
        raise ValueError("top_targets and top_authors must be at least 1")
    targets = min(top_targets, target_stance["target"].n_unique())
    authors = min(top_authors, target_stance["author"].drop_nulls().n_unique())
    width = max(8.0, 4.5 + 1.15 * (authors + 1))
    figure = new_figure(width, max(4.0, 2.0 + 0.42 * targets))
    _draw_targets(figure, target_stance, top_targets, top_authors, title, width_inches=width)
    return finish(figure)


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
    set_titles(axes, title, subtitle, width_inches=width_inches)
    if frame.is_empty():
        empty_panel(axes, "no targets: no entity is named in the posts' own text")
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
    labels = ["all authors", *[short_author(author, 14) for author in authors]]
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
    axes.set_yticks(range(len(targets)), labels=[short_author(target, 24) for target in targets], fontsize=8)
    axes.set_xlabel("author (cell: mean polarity of the sentences naming it, (mentions); n/a: not English)")
    axes.set_ylabel("target")
    figure.colorbar(image, ax=axes, label="polarity (red negative, blue positive)", shrink=0.85)
