"""`threadlens eval links`: declared quote links of saved pages against implicit detection."""

from __future__ import annotations

import pytest

import threads
from analysis.cli import main
from analysis.eval_links import (
    _boundary_hits,
    _same_link,
    evaluate_links,
    link_scores_frame,
    page_text,
)
from tests.conftest import corpus_path
from threads.model import Quote


def _quote(post: str, source: str, start: int, end: int) -> Quote:
    return Quote(post, source, start, end, None, None, None, "alignment", 1.0)


def test_links_agree_on_post_source_and_overlap() -> None:
    truth = _quote("b", "a", 0, 10)
    assert _same_link(truth, _quote("b", "a", 5, 12))
    assert _same_link(truth, _quote("b", "a", 9, 10))
    assert not _same_link(truth, _quote("b", "c", 0, 10))  # wrong source
    assert not _same_link(truth, _quote("c", "a", 0, 10))  # another post
    assert not _same_link(truth, _quote("b", "a", 10, 20))  # touching, not overlapping


def test_boundaries_count_inside_a_post_header_only() -> None:
    spans = [(0, 10), (50, 60), (90, 95)]
    assert _boundary_hits([0, 55, 70, 95, 96], spans) == 3
    assert _boundary_hits([5, 6], spans) == 1  # one boundary per post


@pytest.mark.corpus
def test_page_text_puts_each_post_after_its_header() -> None:
    thread = threads.read(corpus_path("html", "vBulletin4.html"))
    page, spans = page_text(thread)
    assert len(spans) == len(thread.posts)
    for post, (header, body) in zip(thread.posts, spans, strict=True):
        assert page[header:body] == f"{post.author}\n{post.ranks[0]}\n"
        assert page[body:].startswith(post.text.strip())
    assert "Originally Posted by" not in page


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "posts", "declared"),
    [
        ("vBulletin4.html", 10, 5),
        ("RenascenceSV.html", 25, 19),  # 20 quote links, one to the previous page
        ("NodeBB.html", 13, 5),
        ("Xenforo2.html", 8, 0),
        ("phpBB.html", 25, 0),  # phpBB cites authors, never posts
    ],
)
def test_scores_of_corpus_pages_are_consistent(name: str, posts: int, declared: int) -> None:
    scores = evaluate_links(corpus_path("html", name))
    assert (scores.posts, scores.declared) == (posts, declared)
    assert 0 <= scores.found <= scores.declared and 0 <= scores.right <= scores.detected
    for ratio in (scores.precision, scores.recall, scores.boundary_precision, scores.boundary_recall):
        assert ratio is None or 0.0 <= ratio <= 1.0
    assert link_scores_frame([scores]).height == 1


@pytest.mark.corpus
def test_cli_prints_a_row_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus_path("html", "vBulletin4.html")
    assert main(["eval", "links", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["file", "format", "posts", "declared"]
    assert lines[1].split()[1:4] == ["vbulletin4", "10", "5"]
