"""Time every chart (build + PNG write) on a synthetic thread of N posts: `python benchmarks/charts_bench.py`.

The frames follow analysis/schemas.py: posts reply mostly to recent posts, some quote two earlier
posts (multi-parent), a tenth are not English (no tone), 60 authors with a long-tailed activity.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import polars as pl

from analysis import charts
from analysis.schemas import (
    CHAINS_SCHEMA,
    POST_STRUCTURE_SCHEMA,
    STANCE_SCHEMA,
    TARGET_STANCE_SCHEMA,
    TONE_POSTS_SCHEMA,
)
from threads.model import EDGES_SCHEMA


def synthetic_frames(size: int, *, seed: int = 5) -> dict[str, pl.DataFrame]:
    """Frames of a `size`-post thread, deterministic for a seed."""
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(1, size + 1)]
    authors = [f"user{min(59, int(rng.paretovariate(1.2)) - 1)}" for _ in ids]
    edges: list[tuple[str, str, str]] = []
    depth = [0] * size
    for index in range(1, size):
        parent = max(0, index - 1 - int(rng.expovariate(0.15)))
        edges.append((ids[index], ids[parent], rng.choice(("quote", "reply", "reply", "inferred"))))
        depth[index] = depth[parent] + 1 if rng.random() < 0.9 else 0
        if rng.random() < 0.1 and index > 2:
            edges.append((ids[index], ids[rng.randrange(0, index - 1)], "quote"))
    stances = ("agree", "disagree", "neutral")
    position = {post_id: i for i, post_id in enumerate(ids)}
    stance_rows = [
        (src, dst, kind, authors[position[src]], authors[position[dst]], rng.choice(stances), 0.0, [])
        for src, dst, kind in edges
    ]
    english = [rng.random() > 0.1 for _ in ids]
    tone_rows = [
        (
            post_id,
            i + 1,
            authors[i],
            "en" if english[i] else "zh",
            rng.randint(5, 300),
            3,
            rng.uniform(-0.6, 0.6) if english[i] else None,
            rng.uniform(0, 1) if english[i] else None,
        )
        for i, post_id in enumerate(ids)
    ]
    quoted: dict[str, int] = {}
    for _, dst, kind in edges:
        if kind == "quote":
            quoted[dst] = quoted.get(dst, 0) + 1
    structure_rows = [
        (post_id, i + 1, authors[i], depth[i], 1 if i else 0, 0, quoted.get(post_id, 0))
        for i, post_id in enumerate(ids)
    ]
    chain_rows = [
        (
            chain,
            step,
            ids[chain * 10 + step],
            authors[chain * 10 + step],
            None if step == 0 else "disagree",
            "x " * 40,
        )
        for chain in range(1, 6)
        for step in range(7)
    ]
    target_rows = [
        (rng.choice(("China", "US", "ASPI", "NLP", "vaccines")), post_id, authors[i], 1, tone_rows[i][6])
        for i, post_id in enumerate(ids)
        if rng.random() < 0.3
    ]
    return {
        "posts": pl.DataFrame(
            {
                "id": ids,
                "position": list(range(1, size + 1)),
                "author": authors,
                "own_text": ["w " * 50] * size,
            },
            schema_overrides={"position": pl.Int32},
        ),
        "edges": pl.DataFrame(edges, schema=EDGES_SCHEMA, orient="row"),
        "stance": pl.DataFrame(stance_rows, schema=STANCE_SCHEMA, orient="row"),
        "tone": pl.DataFrame(tone_rows, schema=TONE_POSTS_SCHEMA, orient="row"),
        "structure": pl.DataFrame(structure_rows, schema=POST_STRUCTURE_SCHEMA, orient="row"),
        "chains": pl.DataFrame(chain_rows, schema=CHAINS_SCHEMA, orient="row"),
        "targets": pl.DataFrame(target_rows, schema=TARGET_STANCE_SCHEMA, orient="row"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None, help="keep the PNGs in this folder")
    args = parser.parse_args()
    frames = synthetic_frames(args.posts)
    out = args.out or Path(tempfile.mkdtemp(prefix="charts-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    f = frames
    jobs = {
        "thread_arcs": lambda: charts.thread_arcs(f["posts"], f["edges"], stance=f["stance"]),
        "reply_tree": lambda: charts.reply_tree(f["posts"], f["edges"]),
        "tone_along_thread": lambda: charts.tone_along_thread(f["tone"]),
        "agreement_matrix": lambda: charts.agreement_matrix(f["stance"]),
        "argument_chains": lambda: charts.argument_chains(f["chains"]),
        "structure_profile": lambda: charts.structure_profile(f["structure"]),
        "target_stance": lambda: charts.target_stance(f["targets"]),
        "overview": lambda: charts.overview(
            posts=f["posts"],
            edges=f["edges"],
            stance=f["stance"],
            tone_posts=f["tone"],
            post_structure=f["structure"],
        ),
    }
    charts.font_families()  # font registration is a one-off cost, timed apart
    total = 0.0
    print(f"{args.posts} posts, {f['edges'].height} edges; seconds to build the figure and write its PNG:")
    for name, job in jobs.items():
        start = time.perf_counter()
        job().savefig(out / f"{name}.png", dpi=100)
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"  {name:<18} {elapsed:6.2f}")
    print(f"  {'total':<18} {total:6.2f}   (PNGs in {out})")


if __name__ == "__main__":
    main()
