"""Seed 000: the critique of the ASPI report and its two rebuttals form contested argument chains."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import threads
from analysis.arguments import argument_chains
from analysis.stance import edge_stance


def _post_writing(thread: threads.Thread, fragment: str) -> str:
    """The post whose own text (not a quote of it) holds `fragment`."""
    return next(post.id for post in thread.posts if fragment in post.own_text)


def test_critique_of_the_aspi_report_chains_to_both_rebuttals(seeds_dir: Path) -> None:
    thread = threads.read(seeds_dir / "000_db2827ac553fc2ae.txt")
    critique = _post_writing(thread, 'It says China has a 63%-7% lead in "advanced aircraft engines"')
    rebuttals = {
        _post_writing(thread, "As noted in the report, it's specifically a measurement"),
        _post_writing(thread, "Your interpretation is totally wrong."),
    }
    chains = argument_chains(thread, edge_stance(thread))
    steps = chains.with_columns(previous=pl.col("post_id").shift(1).over("chain")).filter(
        pl.col("previous") == critique
    )
    assert set(steps["post_id"]) == rebuttals
    assert steps["stance"].to_list() == ["disagree", "disagree"]
    opening = chains.filter((pl.col("post_id") == critique) & (pl.col("step") == 0))
    assert opening.height == 2
    assert opening["excerpt"][0].startswith('It says China has a 63%-7% lead in "advanced aircraft engines"')
