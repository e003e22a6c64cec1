"""Pages of one thread: merged in order, posts captured twice dropped, quotes resolved across pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

import threads
from analysis.cli import main
from tests.conftest import corpus_path
from threads.merge import group_pages, merge_drafts
from threads.model import PostDraft, ThreadDraft


def _pages(tmp_path: Path, cuts: list[tuple[int, int]]) -> list[Path]:
    """Split the Discourse topic into overlapping page files, as two downloads would capture it."""
    topic = json.loads(
        corpus_path("discourse", "removing-lua-bindings.7149.json").read_text(encoding="utf-8")
    )
    posts = topic["post_stream"]["posts"]
    paths = []
    for number, (start, end) in enumerate(cuts, start=1):
        page = dict(topic, post_stream={"posts": posts[start:end]})
        path = tmp_path / f"page{number}.json"
        path.write_text(json.dumps(page), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.corpus
def test_pages_merge_into_the_whole_topic(tmp_path: Path) -> None:
    whole = threads.read(corpus_path("discourse", "removing-lua-bindings.7149.json"))
    paged = threads.read(_pages(tmp_path, [(0, 25), (20, 45), (40, 60)]))
    assert_frame_equal(paged.posts_frame(), whole.posts_frame())
    # Quotes of posts on an earlier page resolve as they do in the whole topic.
    assert_frame_equal(paged.quotes_frame(), whole.quotes_frame())
    assert_frame_equal(paged.edges_frame(), whole.edges_frame())
    assert sum("already read from an earlier page" in warning for warning in paged.warnings) == 2


@pytest.mark.corpus
def test_cli_groups_pages_of_one_thread_and_keeps_other_files_apart(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _pages(tmp_path, [(0, 30), (30, 60)])
    seeds = sorted(str(path) for path in seeds_dir.iterdir())
    assert main(["parse", *seeds, *map(str, pages), "--json"]) == 0
    documents = json.loads(capsys.readouterr().out)
    assert len(documents) == len(seeds) + 1
    assert [len(document["posts"]) for document in documents][-1] == 60


def test_seeds_stay_one_thread_each(seeds_dir: Path) -> None:
    paths = sorted(seeds_dir.iterdir())
    found = threads.read_threads(paths)
    assert [thread.source for thread in found] == [str(path) for path in paths]
    assert [thread.id for thread in found] == [threads.read(path).id for path in paths]


def test_pages_flag_forces_one_thread(seeds_dir: Path) -> None:
    paths = sorted(seeds_dir.iterdir())[:2]
    (thread,) = threads.read_threads(paths, pages=True)
    assert len(thread.posts) == sum(len(threads.read(path).posts) for path in paths)


def test_duplicates_without_ids_are_dropped_by_author_and_text() -> None:
    first = ThreadDraft(format="text", posts=[PostDraft("a b", author="x"), PostDraft("c", author="y")])
    second = ThreadDraft(format="text", posts=[PostDraft("c", author="y"), PostDraft("c", author="y")])
    merged = merge_drafts([first, second])
    # "c" by y was on page 1: both copies on page 2 are captures of it.
    assert [post.text for post in merged.posts] == ["a b", "c"]


def test_repeats_within_one_page_are_kept() -> None:
    page = ThreadDraft(format="text", posts=[PostDraft("+1", author="x"), PostDraft("+1", author="x")])
    assert len(merge_drafts([page, ThreadDraft(format="text", posts=[])]).posts) == 2


def test_group_pages_by_key_in_order_of_first_page() -> None:
    drafts = [
        ThreadDraft(format="a", posts=[], key="k1"),
        ThreadDraft(format="a", posts=[]),
        ThreadDraft(format="a", posts=[], key="k2"),
        ThreadDraft(format="a", posts=[], key="k1"),
    ]
    assert group_pages(drafts) == [[0, 3], [1], [2]]


def test_positional_ids_are_renumbered_with_their_links() -> None:
    first = ThreadDraft(format="text", posts=[PostDraft("opening words", id="p1", author="x")])
    second = ThreadDraft(
        format="text",
        posts=[
            PostDraft("opening words", id="p1", author="x"),
            PostDraft("a reply", id="p2", author="y", reply_to=("p1",)),
            PostDraft("opening words again", id="p3", author="z", reply_to=("p2",)),
        ],
    )
    merged = merge_drafts([first, second])
    assert [(post.id, post.reply_to) for post in merged.posts] == [
        ("p1", ()),
        ("p2", ("p1",)),
        ("p3", ("p2",)),
    ]
