"""Analysis schemas: `rows_frame` builds the frame polars builds from the rows, list columns included."""

from __future__ import annotations

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from analysis.schemas import _SPLIT_FROM_ROWS, STANCE_SCHEMA, rows_frame

_CELLS = st.none() | st.lists(st.sampled_from(["", "a", "lexicon:wrong", "x\x1fy", "é"]), max_size=3).map(
    tuple
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELLS, max_size=2 * _SPLIT_FROM_ROWS))
@example([()] * _SPLIT_FROM_ROWS)
@example([("",), (), None, ("a", "")] * _SPLIT_FROM_ROWS)
def test_rows_frame_equals_the_frame_polars_builds_from_rows(cues: list[tuple[str, ...] | None]) -> None:
    rows = [("2", "1", "reply", "b", "a", "agree", 0.5, cell) for cell in cues]
    schema = STANCE_SCHEMA | {"cues": pl.List(pl.String)}
    assert_frame_equal(rows_frame(rows, schema), pl.DataFrame(rows, schema=schema, orient="row"))
