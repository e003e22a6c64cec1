"""Exports: tables in three formats, and a ConvoKit corpus that reads back as the same thread."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import threads
from analysis.cli import main
from analysis.export import CONVOKIT_FILES, write_export
from tests.conftest import corpus_path
from threads.errors import OutputError, UsageError

CORPUS_JSON = [
    ("discourse", "removing-lua-bindings.7149.json"),
    ("reddit", "reddit-api-austinfood.json"),
    ("reddit", "AskAcademia-1535559687-9baqvb.json"),
    ("forumscraper-json", "xenforo2_overtake_177663.json"),
    ("forumscraper-json", "invision_invisioncommunity_478369.json"),
]
POST_COLUMNS = ["id", "position", "author", "author_id", "ranks", "created_at", "edited", "text", "own_text"]


@pytest.mark.corpus
@pytest.mark.parametrize("parts", CORPUS_JSON, ids=lambda parts: parts[1])
def test_convokit_round_trip_keeps_posts_and_links(tmp_path: Path, parts: tuple[str, str]) -> None:
    original = threads.read(corpus_path(*parts))
    write_export([original], tmp_path / "corpus", to="convokit")
    back = threads.read(tmp_path / "corpus")
    assert back.format == "convokit" and back.title == original.title
    assert_frame_equal(back.posts_frame().select(POST_COLUMNS), original.posts_frame().select(POST_COLUMNS))
    assert_frame_equal(back.quotes_frame(), original.quotes_frame())
    assert_frame_equal(back.edges_frame(), original.edges_frame())


@pytest.mark.corpus
def test_convokit_files_follow_the_documented_format(tmp_path: Path) -> None:
    found = [threads.read(corpus_path(*parts)) for parts in CORPUS_JSON[:3]]
    write_export(found, tmp_path / "corpus", to="convokit")
    folder = tmp_path / "corpus"
    assert sorted(path.name for path in folder.iterdir()) == sorted(CONVOKIT_FILES)
    rows = [json.loads(line) for line in (folder / "utterances.jsonl").read_text().splitlines()]
    assert len(rows) == sum(len(thread.posts) for thread in found)
    ids = {row["id"] for row in rows}
    assert len(ids) == len(rows)
    index = json.loads((folder / "index.json").read_text())
    assert set(index) >= {
        "utterances-index",
        "speakers-index",
        "conversations-index",
        "overall-index",
        "version",
    }
    speakers = json.loads((folder / "speakers.json").read_text())
    conversations = json.loads((folder / "conversations.json").read_text())
    assert len(conversations) == 3
    for row in rows:
        assert set(row) >= {"id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta"}
        assert row["reply_to"] is None or row["reply_to"] in ids
        assert row["conversation_id"] in conversations and row["speaker"] in speakers
        # ConvoKit drops meta fields that the index does not list.
        assert set(row["meta"]) <= set(index["utterances-index"])
    # Every non-root Reddit comment has its declared parent as its one ConvoKit reply_to.
    reddit = found[1]
    declared = {edge.src: edge.dst for edge in reddit.edges if edge.kind == "reply"}
    for row in rows:
        if row["meta"]["thread_id"] == reddit.id and row["meta"]["post_id"] in declared:
            assert row["reply_to"] == f"{reddit.id}:{declared[row['meta']['post_id']]}"
    # One conversation per thread when read back as several threads.
    assert [len(thread.posts) for thread in threads.read_threads([folder])] == [len(t.posts) for t in found]


def test_convokit_reply_to_falls_back_to_inferred_parent(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["1", "2"], "author": ["a", "b"], "text": ["first words here", "x"]})
    thread = threads.from_frame(frame)
    write_export([thread], tmp_path / "c", to="convokit")
    rows = [json.loads(line) for line in (tmp_path / "c" / "utterances.jsonl").read_text().splitlines()]
    assert rows[0]["reply_to"] is None
    assert rows[1]["reply_to"] == f"{thread.id}:1"  # the inferred parent: nothing else links post 2


@pytest.mark.parametrize("to", ["parquet", "csv", "jsonl"])
def test_tables_are_written_and_read_back(tmp_path: Path, seeds_dir: Path, to: str) -> None:
    found = threads.read_threads(sorted(seeds_dir.iterdir()))
    written = write_export(found, tmp_path, to=to)
    assert sorted(path.name for path in written) == sorted(
        f"{name}.{to}" for name in ("threads", "posts", "quotes", "edges")
    )
    reader = {"parquet": pl.read_parquet, "csv": pl.read_csv, "jsonl": pl.read_ndjson}[to]
    posts = reader(tmp_path / f"posts.{to}")
    assert posts.height == sum(len(thread.posts) for thread in found)
    assert posts["thread_id"].unique().len() == len(found)
    if to == "csv":
        assert all(isinstance(json.loads(value), list) for value in posts["languages"])


def test_json_documents_are_the_parse_json_shape(tmp_path: Path, seeds_dir: Path) -> None:
    found = threads.read_threads(sorted(seeds_dir.iterdir()))
    written = write_export(found, tmp_path, to="json")
    assert [path.name for path in written] == [f"{thread.id}.json" for thread in found]
    assert json.loads(written[0].read_text(encoding="utf-8")) == json.loads(json.dumps(found[0].to_dict()))


def test_convokit_never_replaces_a_folder_of_other_files(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    thread = threads.read(seeds_dir / "000_db2827ac553fc2ae.txt")
    with pytest.raises(OutputError, match="not a ConvoKit corpus"):
        write_export([thread], tmp_path, to="convokit")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_export_command(tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = [str(path) for path in sorted(seeds_dir.iterdir())]
    assert main(["export", *seeds, "--to", "convokit", "-o", str(tmp_path / "c")]) == 0
    assert "exported 5 threads" in capsys.readouterr().out
    assert len(threads.read_threads([tmp_path / "c"])) == 5


def test_export_to_a_file_path_is_an_output_error(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    code = main(["export", str(seeds_dir / "000_db2827ac553fc2ae.txt"), "--to", "csv", "-o", str(target)])
    assert code == OutputError.exit_code
    assert capsys.readouterr().err.count("\n") == 1


def test_a_thread_given_twice_is_exported_once(tmp_path: Path, seeds_dir: Path) -> None:
    seed = str(seeds_dir / "000_db2827ac553fc2ae.txt")
    found = threads.read_threads([seed, seed])
    assert len(found) == 2 and found[0].id == found[1].id
    write_export(found, tmp_path / "c", to="convokit")
    rows = [json.loads(line) for line in (tmp_path / "c" / "utterances.jsonl").read_text().splitlines()]
    assert len(rows) == len({row["id"] for row in rows}) == len(found[0].posts)


def _thread_with_formula_cells() -> threads.Thread:
    frame = pl.DataFrame(
        {
            "post_id": ["1", "2", "3", "4"],
            "author": ["=cmd|' /C calc'!A0", "alice", "@bob", "carol"],
            "text": ['=HYPERLINK("http://x","click")', "-1 for that", "a plain reply", "+44 20 7946 0000"],
        }
    )
    return threads.from_frame(frame)


def test_spreadsheet_safe_csv_quotes_every_formula_cell_and_nothing_else(tmp_path: Path) -> None:
    thread = _thread_with_formula_cells()
    write_export([thread], tmp_path / "plain", to="csv")
    write_export([thread], tmp_path / "safe", to="csv", spreadsheet_safe=True)
    plain = pl.read_csv(tmp_path / "plain" / "posts.csv")
    safe = pl.read_csv(tmp_path / "safe" / "posts.csv")
    assert plain["text"].to_list() == [post.text for post in thread.posts]  # off: the text as written
    for column in ("author", "text", "own_text"):
        for before, after in zip(plain[column].to_list(), safe[column].to_list(), strict=True):
            risky = before is not None and before[:1] in ("=", "+", "-", "@", "\t", "\r", "\0")
            assert after == (f"'{before}" if risky else before)
    assert safe["author"].to_list() == ["'=cmd|' /C calc'!A0", "alice", "'@bob", "carol"]


def test_spreadsheet_safe_is_refused_for_other_formats(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = _thread_with_formula_cells()
    with pytest.raises(UsageError, match="CSV"):
        write_export([thread], tmp_path, to="parquet", spreadsheet_safe=True)
    seed = str(seeds_dir / "000_db2827ac553fc2ae.txt")
    code = main(["export", seed, "--to", "jsonl", "--spreadsheet-safe", "-o", str(tmp_path / "x")])
    assert code == UsageError.exit_code == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "x").exists()
