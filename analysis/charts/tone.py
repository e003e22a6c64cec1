"""Tone along the thread: polarity per post with subjectivity and a rolling mean; unscored posts are gaps.

Above `TONE_POINT_LIMIT` scored posts the posts are a density of position × polarity instead of points."""

from __future__ import annotations

from collections import Counter
from typing import Any

import matplotlib
import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, LogNorm, Normalize, to_rgba
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator

from analysis.charts.style import (
    EMPTY_STYLE,
    empty_panel,
    finish,
    new_figure,
    position_ticks,
    require_columns,
    set_titles,
    wrap,
)
from threads.plural import counted

# Above this many scored posts, points are a solid band: a report's axes is about 1,000 pixels
# wide and a point about 4, so 2,500 posts stack ten deep across each point's width and neither
# their colour nor their spread can be read. The posts are then drawn as a density.
TONE_POINT_LIMIT = 2_500
# Cells of the density: columns of a whole number of posts, at most 500 (two pixels on a report's
# 12 inches) and at least 50 posts wide, so that a cell counts more than one or two posts; rows of
# about 0.025 polarity on the widest (±1.05) axis.
_DENSITY_COLUMNS = 500
_DENSITY_COLUMN_POSTS = 50
_DENSITY_ROWS = 84
# A light sequential blue, not grey (grey bands are the unscored posts), and not too dark for the
# red mean and percentile lines to read on top of it.
_DENSITY_MAP = ListedColormap(matplotlib.colormaps["Blues"](np.linspace(0.2, 0.8, 256)))
_SPREAD = (0.1, 0.9)


def tone_along_thread(
    tone_posts: pl.DataFrame,
    *,
    window: int | None = None,
    title: str = "Tone along the thread",
) -> Figure:
    """Polarity of every post in thread order, coloured by subjectivity, with a rolling mean.

    Posts that are not scored (not English, or no text) are grey bands: gaps, never zeros.
    Above `TONE_POINT_LIMIT` scored posts, points would be a solid band: the posts are shaded as
    a density instead (how many fall in each cell of position × polarity, log scale, so a lone
    post still shows), with the rolling mean and a band of the rolling 10th to 90th percentile
    (wider where the thread is more polarised). Subjectivity per post is then not drawn: its mean
    is in the subtitle, and the subtitle says what the chart summarises.

    Args:
        tone_posts: the per-post tone table (`position`, `polarity`, `subjectivity`, `language`).
        window: posts in the rolling mean; default a tenth of the scored posts (3 to 25), or a
            hundredth when that is more (2,500 scored posts and up).
        title: the chart's title.

    Returns:
        A Figure with one axes and a colour bar: subjectivity, or posts per cell for a density.

    Raises:
        ValueError: the frame lacks a column, or `window` is below 1.
    """
    require_columns(tone_posts, ("position", "polarity", "subjectivity", "language"), "tone_posts")
    if window is not None and window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    figure = new_figure(12, 4.6)
    draw_tone(figure, tone_posts, window, title, width_inches=12)
    return finish(figure)


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


def draw_tone(
    figure: FigureBase, tone_posts: pl.DataFrame, window: int | None, title: str, *, width_inches: float
) -> None:
    """Draw the tone chart into `figure` (a figure or a subfigure of the overview)."""
    axes = figure.add_subplot()
    frame = tone_posts.sort("position")
    xs = np.asarray(frame["position"].to_list(), dtype=float)
    polarity = np.asarray([np.nan if v is None else v for v in frame["polarity"].to_list()], dtype=float)
    subjectivity = np.asarray(
        [np.nan if v is None else v for v in frame["subjectivity"].to_list()], dtype=float
    )
    scored = ~np.isnan(polarity)
    count = int(scored.sum())
    dense = count > TONE_POINT_LIMIT
    # A tenth of a short thread (3 to 25 posts); a hundredth of a long one, so that 100,000
    # posts give a line of a trend, not a band of noise.
    size_window = window or max(3, min(25, count // 10), count // 100)
    own_words = frame["words"].to_list() if "words" in frame.columns else [None] * frame.height
    # A post that is all quotation (no own words) is unscored for that reason, not its language.
    languages = Counter(
        "no own text" if words == 0 or language is None else language
        for language, words, flag in zip(frame["language"].to_list(), own_words, scored, strict=True)
        if not flag
    )
    mean = float(np.mean(polarity[scored])) if scored.any() else None
    subtitle = f"{counted(frame.height, 'post')} · {count:,} scored"
    if mean is not None:
        subtitle += f" · mean polarity {mean:+.2f}"
    # Forum polarity sits mostly within ±0.3: a fixed ±1 axis would flatten it, so the axis fits the
    # data, symmetric around 0 so that the sign still reads at a glance.
    peak = float(np.nanmax(np.abs(polarity))) if scored.any() else 1.0
    limit = min(1.05, max(0.25, peak * 1.15))
    summary = None
    if dense:
        x_edges, y_edges = _density_edges(xs, limit)
        subtitle += f" · mean subjectivity {float(np.nanmean(subjectivity[scored])):.2f}"
        low, high = (round(share * 100) for share in _SPREAD)
        summary = (
            "Too many posts to draw one by one: shading counts scored posts per cell of "
            f"{counted(round(x_edges[1] - x_edges[0]), 'position')} × {y_edges[1] - y_edges[0]:.3f} polarity "
            f"(log scale: a lone post still shows); band: rolling {low}th–{high}th percentile. "
            "No subjectivity per post."
        )
    set_titles(axes, title, subtitle, width_inches=width_inches, summary=summary)
    if frame.height == 0:
        empty_panel(axes, "no posts in this thread")
        return
    handles: list[Any] = []
    gaps = _runs(xs, ~scored)
    if gaps:
        axes.broken_barh(gaps, (-1.1, 2.2), facecolors="#e6e6e6", edgecolors="none", zorder=0)
        listed = ", ".join(f"{language} ×{n}" for language, n in languages.most_common(4))
        why = ": tone is English-only" if set(languages) - {"no own text"} else ""
        handles.append(Patch(color="#e6e6e6", label=wrap(f"not scored ({listed}){why}", 34)))
    axes.axhline(0, color="#888888", lw=0.8, zorder=1)
    if dense:
        shading = _draw_density(axes, xs[scored], polarity[scored], x_edges, y_edges)
        scale = figure.colorbar(
            shading,
            ax=axes,
            label="scored posts per cell (log scale)",
            shrink=0.85,
            ticks=LogLocator(subs=(1, 2, 5)),
            format=FuncFormatter(lambda value, _: f"{value:,.0f}"),
        )
        scale.minorticks_off()  # a scale of less than a decade would label its minor ticks "6×10⁰"
        handles.append(Patch(color=_DENSITY_MAP(0.6), label="posts: how many per cell"))
        scored_polarity = pl.Series(polarity[scored])
        line_x, line_y = _break_at_gaps(
            xs[scored], scored_polarity.rolling_mean(size_window, min_samples=1).to_numpy(), limit=size_window
        )
        bounds = [
            _break_at_gaps(
                xs[scored],
                scored_polarity.rolling_quantile(share, "linear", size_window, min_samples=1).to_numpy(),
                limit=size_window,
            )[1]
            for share in _SPREAD
        ]
        axes.fill_between(line_x, bounds[0], bounds[1], color="#b2182b", alpha=0.12, lw=0, zorder=3)
        for bound in bounds:
            axes.plot(line_x, bound, color="#b2182b", lw=1, zorder=3)
        axes.plot(line_x, line_y, color="#b2182b", lw=2, zorder=4)
        handles.append(
            Line2D([], [], color="#b2182b", lw=2, label=f"rolling mean of {counted(size_window, 'post')}")
        )
        handles.append(
            Patch(
                facecolor=to_rgba("#b2182b", 0.12),
                edgecolor="#b2182b",
                label=f"rolling {low}th–{high}th percentile",
            )
        )
    elif scored.any():
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
    axes.set_ylim(-limit, limit)
    axes.set_xlim(xs.min() - 0.6, xs.max() + 0.6)
    position_ticks(axes, xs.min(), xs.max())
    axes.set_ylabel("polarity (−1 negative … +1 positive)")
    axes.set_xlabel("post position in the thread")
    if handles:
        axes.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.14),
            # The dense form's four entries fit one line of a full-width chart; in the overview's
            # narrower panel a line that long would squeeze the axes to make room for it.
            ncols=(4 if width_inches >= 11 else 2) if dense else 3,
            fontsize=8,
            frameon=False,
        )


def _density_edges(xs: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
    # Cells of a whole number of positions, so that the subtitle can name how many.
    first, last = float(xs.min()), float(xs.max())
    step = max(_DENSITY_COLUMN_POSTS, int(np.ceil((last - first + 1) / _DENSITY_COLUMNS)))
    columns = int(np.ceil((last - first + 1) / step))
    x_edges = first - 0.5 + step * np.arange(columns + 1, dtype=float)
    return x_edges, np.linspace(-limit, limit, _DENSITY_ROWS + 1)


def _draw_density(
    axes: Axes, xs: np.ndarray, polarity: np.ndarray, x_edges: np.ndarray, y_edges: np.ndarray
) -> Any:
    counts, _, _ = np.histogram2d(xs, polarity, bins=(x_edges, y_edges))
    return axes.imshow(
        np.ma.masked_equal(counts.T, 0),  # empty cells stay clear, so the grey gaps show through
        extent=(x_edges[0], x_edges[-1], y_edges[0], y_edges[-1]),
        origin="lower",
        aspect="auto",
        cmap=_DENSITY_MAP,
        norm=LogNorm(1, max(2.0, float(counts.max()))),
        interpolation="nearest",
        zorder=0.5,
    )


def _break_at_gaps(xs: np.ndarray, ys: np.ndarray, *, limit: int) -> tuple[np.ndarray, np.ndarray]:
    # A long stretch of unscored posts breaks the line, so it never bridges text it did not measure.
    if xs.size < 2:
        return xs, ys
    cuts = np.nonzero(np.diff(xs) > limit)[0] + 1
    return np.insert(xs, cuts, np.nan), np.insert(ys, cuts, np.nan)
