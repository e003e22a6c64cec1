"""Argument chains as step diagrams: claim -> reply -> ..., each step with its stance and an excerpt."""

from __future__ import annotations

from collections import Counter

import polars as pl
from matplotlib.figure import Figure, FigureBase

from analysis.charts.style import (
    STANCE_COLORS,
    clean_text,
    empty_panel,
    finish,
    new_figure,
    require_columns,
    set_titles,
    short_author,
    wrap,
)
from threads.plural import counted

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
    require_columns(chains, ("chain", "step", "post_id", "author", "stance", "excerpt"), "chains")
    if top < 1 or max_steps < 2:
        raise ValueError(f"top must be at least 1 and max_steps at least 2, got {top} and {max_steps}")
    chosen = sorted(set(chains["chain"].to_list()))[:top]
    longest = max((chains.filter(pl.col("chain") == c).height for c in chosen), default=1)
    width = max(9.0, min(max_steps, longest) * 2.9 + 0.4)
    figure = new_figure(width, 1.2 + 2.3 * max(1, len(chosen)))
    _draw_chains(figure, chains, top, max_steps, title, width_inches=width)
    return finish(figure)


def _draw_chains(
    figure: FigureBase, chains: pl.DataFrame, top: int, max_steps: int, title: str, *, width_inches: float
) -> None:
    chosen = sorted(set(chains["chain"].to_list()))[:top]
    total = len(set(chains["chain"].to_list()))
    set_titles(
        figure,
        title,
        f"top {len(chosen)} of {counted(total, 'chain')}, longest and most contested first"
        if chosen
        else "no chains found",
        width_inches=width_inches,
    )
    if not chosen:
        empty_panel(figure.add_subplot(), "no argument chains: no post answers another with an argument")
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
            header = f"{role} · {short_author(author, 16)} · post {clean_text(post_id)}"
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
