"""Print the structure metrics of the development corpus threads as a Markdown table (docs/analyses.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

import threads
from analysis.structure import repair_report, structure_metrics

FILES = (
    "reddit/AskAcademia-1535559687-9baqvb.json",
    "reddit/reddit-api-austinfood.json",
    "discourse/removing-lua-bindings.7149.json",
    "forumscraper-json/invision_invisioncommunity_478369.json",
    "forumscraper-json/xenforo2_overtake_177663.json",
    "html/phpBB.html",
    "html/NodeBB.html",
)
SHOWN = (
    "size", "participants", "depth_max", "width_max", "branching_mean", "multi_parent_posts",
    "root_dominance", "reciprocity", "h_index", "structural_virality", "max_quoted_by",
)  # fmt: skip


def main() -> None:
    """Read each corpus thread and print one table row of metrics, plus its repair count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("..") / "shared" / "corpus")
    corpus = parser.parse_args().corpus
    print("| thread | " + " | ".join(SHOWN) + " | repairs |")
    print("|---" * (len(SHOWN) + 2) + "|")
    for name in FILES:
        thread = threads.read(corpus / name)
        metrics = dict(structure_metrics(thread).select("metric", "value").iter_rows())
        cells = ["-" if metrics[key] is None else f"{metrics[key]:.3g}" for key in SHOWN]
        print(f"| {Path(name).name} | " + " | ".join(cells) + f" | {repair_report(thread).height} |")


if __name__ == "__main__":
    main()
