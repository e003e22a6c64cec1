"""The corpus overview chart of a batch output: threads over time, tone and agreement, largest threads."""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime, timedelta

import polars as pl
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from threads.plural import counted

REQUIRED_COLUMNS = ("thread_id", "input", "title", "posts", "authors", "first_post_at")
# Present once analyses run: mean polarity of English sentences, and stance counts of edges.
TONE_COLUMNS = ("mean_polarity", "agree", "disagree", "neutral")
LARGEST = 12
# Thread titles come in any script: a title DejaVu cannot draw is replaced by its file name, and
# the last-resort font (shipped with matplotlib) draws placeholders rather than warning.
LABEL_FONTS = ["DejaVu Sans", "Last Resort High-Efficiency"]


def corpus_figure(threads_table: pl.DataFrame | None) -> Figure:
    """Draw the corpus overview from a batch's `threads` table (one row per thread).

    Three panels: threads started per month (per year over spans longer than three years), mean
    tone against agreement share per thread (when the table has the analysis columns), and the
    largest discussions by posts. Panels whose data is absent say so instead of drawing zeros.

    Args:
        threads_table: the `threads` table (`pl.scan_parquet(OUT/tables/threads/**/*.parquet)`),
            or None for an empty corpus.

    Returns:
        A matplotlib Figure (no pyplot state); the caller saves it.

    Raises:
        ValueError: the table lacks a required column.
    """
    table = threads_table if threads_table is not None else pl.DataFrame()
    if threads_table is not None:
        missing = [name for name in REQUIRED_COLUMNS if name not in table.columns]
        if missing:
            raise ValueError(f"threads table lacks column(s): {', '.join(missing)}")
    figure = Figure(figsize=(15, 5.4), layout="constrained")
    over_time, tone, largest = figure.subplots(1, 3, width_ratios=[1.0, 1.0, 1.25])
    count = table.height
    posts = int(table.get_column("posts").sum()) if count else 0
    posts_text = f"{posts:,} {'post' if posts == 1 else 'posts'}"
    figure.suptitle(
        f"threadlens batch: {counted(count, 'thread')}, {posts_text}", fontsize=14, fontweight="bold"
    )
    _draw_over_time(over_time, table)
    _draw_tone(tone, table)
    _draw_largest(largest, table)
    return figure


def _draw_over_time(axes: Axes, table: pl.DataFrame) -> None:
    dated = table.filter(pl.col("first_post_at").is_not_null()) if table.height else table
    undated = table.height - dated.height
    # Dates no forum could have (year 1, year 9999) are misread or forged, and matplotlib cannot
    # draw a bar near either end of its calendar: left out of the panel, counted in its title.
    earliest, latest = datetime(1970, 1, 1, tzinfo=UTC), datetime.now(UTC) + timedelta(days=366)
    plausible = dated.filter(pl.col("first_post_at").is_between(earliest, latest)) if dated.height else dated
    implausible = dated.height - plausible.height
    dated = plausible
    notes = [f"{undated} undated"] if undated else []
    notes += [f"{implausible} dated before 1970 or in the future"] if implausible else []
    note = f"\n({', '.join(notes)})" if notes else ""
    if not dated.height:
        axes.set_title("Threads started over time")
        _say(axes, f"no thread has dated posts\n{note.strip()}")
        return
    first, last = dated.get_column("first_post_at").min(), dated.get_column("first_post_at").max()
    # Months read well over a few years; a longer span would draw hairlines, so count by year.
    by_year = isinstance(first, datetime) and isinstance(last, datetime) and (last - first).days > 3 * 366
    unit, width = ("1y", 300) if by_year else ("1mo", 25)
    counts = dated.group_by(pl.col("first_post_at").dt.truncate(unit).alias("period")).len().sort("period")
    axes.set_title(f"Threads started per {'year' if by_year else 'month'}{note}")
    axes.bar(
        counts.get_column("period").to_list(),
        counts.get_column("len").to_list(),
        width=width,
        color="#4C72B0",
    )
    axes.set_xlabel(f"{'year' if by_year else 'month'} of the first post (UTC)")
    axes.set_ylabel("threads")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelrotation=30)


def _draw_tone(axes: Axes, table: pl.DataFrame) -> None:
    axes.set_title("Tone and agreement by thread")
    if not table.height or any(name not in table.columns for name in TONE_COLUMNS):
        _say(axes, "no analysis tables yet\n(tone and stance appear once analyses run)")
        return
    scored = table.with_columns(
        (pl.col("agree") / (pl.col("agree") + pl.col("disagree"))).alias("agree_share")
    ).filter(pl.col("mean_polarity").is_not_null() & pl.col("agree_share").is_not_null())
    if not scored.height:
        _say(axes, "no thread has both English text\nand agreeing or disagreeing replies")
        return
    sizes = scored.get_column("posts").cast(pl.Float64).clip(1, None).sqrt() * 12
    points = axes.scatter(
        scored.get_column("mean_polarity").to_list(),
        scored.get_column("agree_share").to_list(),
        s=sizes.to_list(),
        c=scored.get_column("authors").to_list(),
        cmap="viridis",
        alpha=0.75,
        edgecolors="black",
        linewidths=0.5,
    )
    axes.figure.colorbar(points, ax=axes, label="authors")
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.axhline(0.5, color="grey", linewidth=0.8)
    axes.set_xlabel("mean polarity of English sentences (TextBlob)")
    axes.set_ylabel("agree / (agree + disagree) edges")
    axes.set_ylim(-0.05, 1.05)


def _draw_largest(axes: Axes, table: pl.DataFrame) -> None:
    axes.set_title(f"Largest discussions (top {LARGEST} by posts)")
    if not table.height:
        _say(axes, "no threads")
        return
    top = table.sort(["posts", "thread_id"], descending=[True, False]).head(LARGEST).reverse()
    labels = [_label(title, source) for title, source in top.select("title", "input").iter_rows()]
    positions = list(range(top.height))
    axes.barh(positions, top.get_column("posts").to_list(), color="#DD8452")
    axes.set_yticks(positions, labels, fontsize=8, fontfamily=LABEL_FONTS)
    axes.set_xlabel("posts")
    for position, (posts, authors) in enumerate(top.select("posts", "authors").iter_rows()):
        axes.text(posts, position, f" {counted(authors, 'author')}", va="center", fontsize=7)
    axes.margins(x=0.25)


def _label(title: str | None, source: str) -> str:
    text = " ".join((title or "").split())
    if not text or not set(map(ord, text)) <= _drawable():
        text = os.path.basename(source)
    return text if len(text) <= 38 else text[:37] + "…"


@functools.cache
def _drawable() -> frozenset[int]:
    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    return frozenset(font.get_charmap())


def _say(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, transform=axes.transAxes, ha="center", va="center", color="dimgrey")
    axes.set_xticks([])
    axes.set_yticks([])
