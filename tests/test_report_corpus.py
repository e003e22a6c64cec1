"""Reports on the real corpus threads: every PNG written and valid, the summary's figures true to the thread.

Skips without ../shared/corpus, fails under CI=true (see conftest.corpus_path).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
import pytest

import analysis
import threads
from analysis import report
from tests.conftest import corpus_path
from tests.test_charts_at_scale import overlaps
from tests.test_report import EXPECTED_FILES, PLURAL_SLIP, assert_valid_png

pytestmark = pytest.mark.corpus

# file, reader format, posts (from the corpus README and the readers' tests)
THREADS = [
    (("iac-4forums", "discussion_255.json"), "iac", 47),
    (("discourse", "removing-lua-bindings.7149.json"), "discourse-json", 60),
    (("html", "phpBB.html"), "phpbb", 25),
    (("reddit", "reddit-api-austinfood.json"), "reddit-json", 183),  # the submission and 182 comments
]


@pytest.mark.parametrize(("parts", "format", "posts"), THREADS, ids=lambda value: str(value))
def test_corpus_thread_report(tmp_path: Path, parts: tuple[str, str], format: str, posts: int) -> None:
    thread = threads.read(corpus_path(*parts))
    assert (thread.format, len(thread.posts)) == (format, posts)
    result = analysis.analyze(thread)
    folder = report.write_report(result, tmp_path)
    assert folder.name == Path(parts[1]).stem
    assert {path.name for path in folder.iterdir()} == EXPECTED_FILES
    for name in report.CHARTS:
        assert_valid_png(folder / name)
    for name, build in report.build_figures(result).items():
        assert overlaps(build()) == [], name  # readable at a glance: no label runs into another
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert f"| posts | {posts} |" in summary
    declared = result.stance.filter(pl.col("kind") != "inferred")
    counts = Counter(declared["stance"].to_list())
    if declared.height:
        assert (
            f"| stance on quote/reply links | {counts['agree']} agree, {counts['disagree']} disagree, "
            f"{counts['neutral']} neutral ({declared.height} quote/reply link" in summary
        )
    kinds = Counter(edge.kind for edge in thread.edges)
    assert f"| links | {len(thread.edges)} ({kinds['quote']} quote, {kinds['reply']} reply" in summary
    assert not PLURAL_SLIP.search(summary)
