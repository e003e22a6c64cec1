"""Reply-graph metrics against values computed by hand, and the repair report on broken graphs."""

from __future__ import annotations

import json
import math
import random
from collections import Counter, deque
from dataclasses import replace
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import threads
from analysis.schemas import METRICS_SCHEMA, POST_STRUCTURE_SCHEMA, REPAIRS_SCHEMA
from analysis.structure import (
    DEFINITIONS,
    most_quoted,
    post_structure,
    repair_report,
    structure_metrics,
)
from tests.conftest import corpus_path
from tests.structure_threads import large_thread, thread_with_edges
from threads.model import Quote


def _metrics(thread: object, **options: object) -> dict[str, float | None]:
    frame = structure_metrics(thread, **options)  # type: ignore[arg-type]
    return dict(zip(frame["metric"], frame["value"], strict=True))


# p4 quotes three earlier posts (multi-parent); p5 replies to p4.
QUOTES_THREE = thread_with_edges(
    ["ann", "bob", "cat", "ann", "eve"],
    [
        ("p2", "p1", "reply"),
        ("p3", "p1", "reply"),
        ("p4", "p1", "quote"),
        ("p4", "p2", "quote"),
        ("p4", "p3", "quote"),
        ("p5", "p4", "reply"),
    ],
)
CHAIN = thread_with_edges(
    ["a", "b", "a", "b"],
    [("p2", "p1", "reply"), ("p3", "p2", "reply"), ("p4", "p3", "reply")],
    minutes=[0, 1, 3, 10],
)
STAR = thread_with_edges(
    ["a", "b", "c", "d", "e"],
    [("p2", "p1", "reply"), ("p3", "p1", "reply"), ("p4", "p1", "reply"), ("p5", "p1", "reply")],
    minutes=[0, 5, 2, 60, None],
)


@pytest.mark.parametrize(
    ("thread", "expected"),
    [
        (
            QUOTES_THREE,
            {
                "size": 5, "participants": 4, "anonymous_posts": 0, "links": 6, "roots": 1,
                "depth_max": 3, "depth_mean": 1.4, "width_max": 2, "branching_mean": 1.5,
                "branching_max": 3, "multi_parent_posts": 1, "leaves": 1, "root_dominance": 0.75,
                # pairs bob>ann, cat>ann, ann>bob, ann>cat, eve>ann: four of five answered back
                "reciprocity": 0.8, "h_index": 1,
                # tree 1-2, 1-3, 3-4, 4-5: pair distances sum to 20 over 10 pairs
                "structural_virality": 2.0, "quoted_posts": 3, "max_quoted_by": 1,
                "first_reply_seconds": None, "median_first_reply_seconds": None,
            },
        ),
        (
            CHAIN,
            {
                "size": 4, "participants": 2, "links": 3, "roots": 1, "depth_max": 3,
                "depth_mean": 1.5, "width_max": 1, "branching_mean": 1.0, "branching_max": 1,
                "multi_parent_posts": 0, "leaves": 1, "root_dominance": 1 / 3, "reciprocity": 1.0,
                "h_index": 1, "structural_virality": 5 / 3, "quoted_posts": 0,
                "first_reply_seconds": 60.0, "median_first_reply_seconds": 120.0,
            },
        ),
        (
            STAR,
            {
                "size": 5, "participants": 5, "links": 4, "depth_max": 1, "depth_mean": 0.8,
                "width_max": 4, "branching_mean": 4.0, "leaves": 4, "root_dominance": 1.0,
                "reciprocity": 0.0, "h_index": 1, "structural_virality": 1.6,
                "first_reply_seconds": 120.0, "median_first_reply_seconds": 120.0,
            },
        ),
    ],
    ids=["quotes-three", "chain", "star"],
)  # fmt: skip
def test_metrics_match_hand_computed_values(thread: object, expected: dict[str, float | None]) -> None:
    metrics = _metrics(thread)
    for name, value in expected.items():
        if value is None:
            assert metrics[name] is None, name
        else:
            assert metrics[name] == pytest.approx(value), name


def test_metrics_frame_has_schema_and_a_definition_per_row() -> None:
    frame = structure_metrics(QUOTES_THREE)
    assert dict(frame.schema) == METRICS_SCHEMA
    assert frame["metric"].to_list() == list(DEFINITIONS)
    assert all(len(definition) > 20 for definition in frame["definition"])


def test_h_index_counts_posts_at_exactly_that_depth() -> None:
    # depth 1: p2, p3; depth 2: p4, p5 -> two posts at depth 2
    thread = thread_with_edges(
        ["a", "b", "c", "d", "e"],
        [("p2", "p1", "reply"), ("p3", "p1", "reply"), ("p4", "p2", "reply"), ("p5", "p3", "reply")],
    )
    assert _metrics(thread)["h_index"] == 2


def test_h_index_counts_each_depth_on_its_own() -> None:
    # a chain p1 <- p2 <- p3 <- p4: one post at each of depths 1, 2, 3; "at least h posts at depth
    # h or deeper" would give 2 (p3, p4 at depth >= 2), the definition gives 1
    thread = thread_with_edges(
        ["a", "b", "c", "d"], [("p2", "p1", "reply"), ("p3", "p2", "reply"), ("p4", "p3", "reply")]
    )
    assert _metrics(thread)["h_index"] == 1


def test_kinds_select_the_links_and_orphans_become_roots() -> None:
    metrics = _metrics(QUOTES_THREE, kinds=("reply",))
    # p4 only quotes, so it becomes a root; the first post's tree is the star p1, p2, p3
    assert metrics["roots"] == 2
    assert metrics["multi_parent_posts"] == 0
    assert metrics["structural_virality"] == pytest.approx(4 / 3)
    assert metrics["quoted_posts"] == 3  # quotes are counted whatever kinds select


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown edge kind 'quotes'"):
        structure_metrics(CHAIN, kinds=("quotes",))


def test_post_structure_follows_first_parents() -> None:
    expected = pl.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "position": [1, 2, 3, 4, 5],
            "author": ["ann", "bob", "cat", "ann", "eve"],
            "depth": [0, 1, 1, 2, 3],  # p4's first parent is its latest quoted post, p3
            "parents": [0, 1, 1, 3, 1],
            "children": [3, 1, 1, 1, 0],
            "quoted_by": [1, 1, 1, 0, 0],
        },
        schema=POST_STRUCTURE_SCHEMA,
    )
    assert_frame_equal(post_structure(QUOTES_THREE), expected)


def test_a_reply_edge_beats_a_quote_for_the_first_parent() -> None:
    thread = thread_with_edges(
        ["a", "b", "c", "d"],
        [("p2", "p1", "reply"), ("p3", "p2", "reply"), ("p4", "p1", "reply"), ("p4", "p3", "quote")],
    )
    assert post_structure(thread)["depth"].to_list() == [0, 1, 2, 1]


def test_most_quoted_ranks_by_distinct_quoting_posts() -> None:
    thread = thread_with_edges(
        ["a", "b", "c", "d"],
        [("p2", "p1", "quote"), ("p3", "p2", "quote"), ("p4", "p2", "quote"), ("p4", "p1", "reply")],
    )
    top = most_quoted(thread, top=5)
    assert top["post_id"].to_list() == ["p2", "p1"]
    assert top["quoted_by"].to_list() == [2, 1]


def _brute_force_virality(parents: list[int | None]) -> float:
    neighbours: dict[int, list[int]] = {node: [] for node in range(len(parents))}
    for node, parent in enumerate(parents):
        if parent is not None:
            neighbours[node].append(parent)
            neighbours[parent].append(node)
    total = 0
    for source in neighbours:
        distance = {source: 0}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for other in neighbours[node]:
                if other not in distance:
                    distance[other] = distance[node] + 1
                    queue.append(other)
        total += sum(distance.values())
    count = len(parents)
    return total / (count * (count - 1))


@pytest.mark.parametrize("seed", range(5))
def test_structural_virality_equals_all_pairs_mean_distance(seed: int) -> None:
    rng = random.Random(seed)
    parents: list[int | None] = [None] + [rng.randrange(index) for index in range(1, 40)]
    metrics = _metrics(large_thread(parents))
    assert metrics["structural_virality"] == pytest.approx(_brute_force_virality(parents))


def test_100k_posts_binary_tree_chain_and_star() -> None:
    count = 100_000
    tree = _metrics(large_thread([None] + [(index - 1) // 2 for index in range(1, count)]))
    assert tree["depth_max"] == math.floor(math.log2(count)) == 16
    assert tree["width_max"] == count - (2**16 - 1)
    assert tree["leaves"] == count // 2
    assert tree["branching_mean"] == pytest.approx((count - 1) / (count // 2))
    assert tree["h_index"] == 16
    chain = _metrics(large_thread([None, *range(count - 1)]))
    assert chain["depth_max"] == count - 1
    assert chain["structural_virality"] == pytest.approx((count + 1) / 3)
    star = _metrics(large_thread([None] + [0] * (count - 1)))
    assert star["structural_virality"] == pytest.approx(2 * (count - 1) / count)
    assert star["root_dominance"] == 1.0


def test_repair_report_lists_every_problem_without_raising() -> None:
    thread = thread_with_edges(
        ["a", "b", "c", "d", "e"],
        [
            ("p2", "p9", "reply"),  # missing target
            ("p3", "p3", "quote"),  # a post linked to itself
            ("p2", "p4", "reply"),  # later target, closing a cycle with the next edge
            ("p4", "p2", "quote"),
            ("p5", "p4", "reply"),  # dated before p4
        ],
        minutes=[0, 1, 2, 30, 20],
    )
    quotes = (Quote("p5", None, 0, 4, None, None, "zed", "header", 1.0),)
    report = repair_report(replace(thread, quotes=quotes))
    assert dict(report.schema) == REPAIRS_SCHEMA
    rows = list(zip(report["problem"], report["post_id"], strict=True))
    assert rows == [
        ("missing_post", "p2"),
        ("self_quote", "p3"),
        ("later_target", "p2"),
        ("cycle", "p2"),
        ("orphan", "p2"),
        ("orphan", "p3"),
        ("unattributed_quote", "p5"),
        ("time_order", "p5"),
    ]
    assert "'p9' not in the thread" in report["detail"][0]
    assert "zed" in report["detail"][6]
    # the metrics use the repaired graph: p4 -> p2 and p5 -> p4 remain
    assert _metrics(thread)["links"] == 2


def test_clean_assembled_thread_has_no_repairs() -> None:
    assert repair_report(CHAIN).height == 0


def test_cycle_detection_scales_linearly() -> None:
    count = 50_000
    parents: list[int | None] = [None, *range(count - 1)]
    thread = large_thread(parents)
    # one edge from the first post to the last closes a cycle through every post
    broken = replace(thread, edges=(*thread.edges, replace(thread.edges[0], src="p1", dst=f"p{count}")))
    report = repair_report(broken)
    cycle = report.filter(pl.col("problem") == "cycle")
    assert cycle.height == 1 and cycle["detail"][0].startswith(f"{count} posts link in a cycle")


def test_every_definition_is_documented_in_the_function() -> None:
    for name in DEFINITIONS:
        assert name in (structure_metrics.__doc__ or "")


def _reddit_depths(listing: dict[str, Any], depth: int, found: list[int]) -> None:
    for child in listing["data"]["children"]:
        if child["kind"] != "t1":
            continue  # "more" stubs hold no comment
        found.append(depth)
        replies = child["data"].get("replies")
        if isinstance(replies, dict):
            _reddit_depths(replies, depth + 1, found)


def test_reddit_thread_depths_match_the_raw_comment_nesting() -> None:
    path = corpus_path("reddit", "reddit-api-austinfood.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    depths: list[int] = [0]  # the submission
    _reddit_depths(raw[1], 1, depths)
    metrics = _metrics(threads.read(path), kinds=("reply",))
    assert metrics["size"] == len(depths)
    assert metrics["depth_max"] == max(depths)
    assert metrics["depth_mean"] == pytest.approx(sum(depths) / len(depths))
    assert metrics["width_max"] == max(Counter(depths).values())
    assert metrics["root_dominance"] == pytest.approx(depths.count(1) / (len(depths) - 1))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=12).flatmap(
        lambda count: st.tuples(
            st.just(count),
            st.lists(
                st.tuples(
                    st.integers(1, count + 1),  # count + 1 names a missing post
                    st.integers(1, count + 1),
                    st.sampled_from(["quote", "reply", "inferred"]),
                ),
                max_size=30,
            ),
        )
    )
)
def test_any_edges_give_consistent_metrics_and_a_report(case: tuple[int, list[tuple[int, int, str]]]) -> None:
    count, raw_edges = case
    edges = {(f"p{src}", f"p{dst}", kind) for src, dst, kind in raw_edges}
    thread = thread_with_edges([f"a{n % 3}" for n in range(count)], sorted(edges))  # type: ignore[arg-type]
    metrics = _metrics(thread)
    posts = post_structure(thread)
    assert metrics["size"] == count == posts.height
    assert metrics["links"] == posts["children"].sum() == posts["parents"].sum()
    assert metrics["roots"] == (posts["parents"] == 0).sum() >= 1  # the first post is always a root
    assert posts["depth"].max() == metrics["depth_max"] <= count - 1
    assert (posts.filter(pl.col("parents") == 0)["depth"] == 0).all()
    report = repair_report(thread)
    numbered = {(int(s[1:]), int(d[1:])) for s, d, _ in edges}
    # a link joins two existing posts, pointing back in time; one per distinct pair of posts
    assert metrics["links"] == len({(s, d) for s, d in numbered if d < s <= count})
    assert set(report["problem"]) <= {"missing_post", "self_quote", "later_target", "cycle", "orphan"}
