"""The Internet Argument Corpus reader: the real 4forums discussion, small synthetic ones, bad files.

Expected figures on the corpus come from the raw JSON, walked here independently of the reader.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import threads
from analysis.cli import main
from tests.conftest import corpus_path
from threads.errors import EXIT_INPUT, InputError, UnknownFormatError

DISCUSSION = ("iac-4forums", "discussion_255.json")
CLAIM = "Evolution is a change in the frequency of alleles in a population over many generations."
REPLY = "That definition leaves out where the first population came from, which was my question."


def _post(post_id: Any, author: Any, text: Any, parent: Any = None, when: Any = 1045796040.0) -> list[Any]:
    return [post_id, None, author, text, {}, parent, None, when]


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "discussion_1.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.corpus
def test_the_4forums_discussion_reads_as_iac_with_its_posts_replies_and_dates() -> None:
    path = corpus_path(*DISCUSSION)
    raw_posts = json.loads(path.read_text(encoding="utf-8"))[0]
    thread = threads.read(path)
    assert thread.format == "iac"
    assert thread.title == "Creation, Evolution, and Religion"
    assert [post.id for post in thread.posts] == [str(raw[0]) for raw in raw_posts]
    assert len(thread.posts) == 47 and len({post.author for post in thread.posts}) == 11
    # Texts byte for byte: the gold quote spans index them.
    assert [post.text for post in thread.posts] == [raw[3] for raw in raw_posts]
    assert [post.created_at for post in thread.posts] == [
        datetime.fromtimestamp(raw[7], tz=UTC) for raw in raw_posts
    ]
    replies = {(edge.src, edge.dst) for edge in thread.edges if edge.kind == "reply"}
    assert replies == {(str(raw[0]), str(raw[5])) for raw in raw_posts if raw[5] is not None}
    assert thread.warnings == ()


@pytest.mark.corpus
def test_the_stripped_quotes_are_found_inline_and_cut_from_own_text() -> None:
    thread = threads.read(corpus_path(*DISCUSSION))
    position = {post.id: post.position for post in thread.posts}
    assert thread.quotes, "implicit attribution found no quote in a thread with 64 gold spans"
    assert {quote.method for quote in thread.quotes} == {"alignment"}
    for quote in thread.quotes:
        post = thread.post(quote.post_id)
        assert 0 <= quote.start < quote.end <= len(post.text)
        assert quote.source_post_id is None or position[quote.source_post_id] < position[quote.post_id]
    assert sum(len(post.own_text) for post in thread.posts) < sum(len(post.text) for post in thread.posts)


@pytest.mark.corpus
def test_parse_names_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(corpus_path(*DISCUSSION))]) == 0
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[1:4] == ["iac", "47", str(len(threads.read(corpus_path(*DISCUSSION)).quotes))]


def test_a_small_discussion_gets_its_reply_edge_and_its_unmarked_quote(tmp_path: Path) -> None:
    document = [
        [_post(10, "ann", CLAIM), _post(11, "bob", f"{CLAIM}\n\n{REPLY}", parent=10, when=1045800000)],
        {},
        {"title": "4Forums.com Political Debates and Polls -  Origins", "url": "http://example.org/t/1"},
    ]
    thread = threads.read(_write(tmp_path, document))
    assert (thread.format, thread.title) == ("iac", "Origins")
    assert [(edge.src, edge.dst, edge.kind) for edge in thread.edges] == [
        ("11", "10", "quote"),
        ("11", "10", "reply"),
    ]
    assert thread.post("11").own_text == REPLY
    assert thread.post("11").created_at == datetime.fromtimestamp(1045800000, tz=UTC)


def test_the_first_posts_title_wins_and_the_metadata_is_optional(tmp_path: Path) -> None:
    first = _post(1, "ann", CLAIM)
    first[4] = {"post_info": {"post_title": "Creation, Evolution, and Religion"}}
    thread = threads.read(_write(tmp_path, [[first]]))
    assert (thread.format, thread.title, len(thread.posts)) == ("iac", "Creation, Evolution, and Religion", 1)


def test_a_parent_outside_the_discussion_is_a_warning(tmp_path: Path) -> None:
    thread = threads.read(_write(tmp_path, [[_post(1, "ann", CLAIM, parent=99)], {}, {}]))
    assert thread.edges == () and any("'99'" in warning for warning in thread.warnings)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([[[1, None, "a"]]], "post 1 should be an array \\[post_id, side"),
        ([[_post(1, "a", CLAIM), 5]], "post 2 should be an array"),
        ([[_post(1, "a", 5)]], "post 1: text should be a string, not a number"),
        ([[_post(True, "a", CLAIM)]], "post 1: post_id should be a number or a string, not a boolean"),
        ([[_post(1, ["a"], CLAIM)]], "post 1: author should be a number or a string or null, not an array"),
        ([[_post(1, "a", CLAIM, parent={})]], "post 1: parent_post_id should be"),
        (
            [[_post(1, "a", CLAIM, when="yesterday")]],
            "post 1: timestamp should be a number or null, not a string",
        ),
        ([[_post(1, "a", CLAIM)], [], {}], "the annotations \\(item 2\\) should be an object"),
        ([[_post(1, "a", CLAIM)], {}, "meta"], "the metadata \\(item 3\\) should be an object"),
        ([[_post(1, "a", CLAIM)], {}, {}, {}], "4 items"),
        ([[_post(" ", "a", CLAIM)]], "post 1 has an empty post_id"),
    ],
)
def test_wrong_types_are_an_input_error_naming_post_and_field(
    tmp_path: Path, document: Any, message: str
) -> None:
    path = _write(tmp_path, document)
    # The reader's message, after the file it was reading
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}: IAC discussion: {message}") as raised:
        threads.read(path)
    # A known shape with wrong contents is malformed input (exit 3), as in every JSON reader.
    assert raised.value.exit_code == EXIT_INPUT and not isinstance(raised.value, UnknownFormatError)


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ([[_post(1, "a", 5)], {}, {}], EXIT_INPUT),
        ([[[1, None, "a"]]], EXIT_INPUT),
        ([[], {}, {}], EXIT_INPUT),
    ],
)
def test_bad_discussions_on_the_command_line_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, code: int
) -> None:
    assert main(["parse", str(_write(tmp_path, document))]) == code
    err = capsys.readouterr().err
    assert err.startswith("threadlens: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_no_posts_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="IAC discussion has no posts"):
        threads.read(_write(tmp_path, [[], {}, {}]))
