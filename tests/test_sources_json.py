"""JSON readers on the real corpus files: counts, authors, ids, reply trees and markup quotes.

Expected figures come from the raw JSON, walked here independently of the readers (and were
checked by hand: Discourse 60 posts by 10 users; Reddit 182 + 90 comments; forumscraper 56 and 89
posts with 35 and 58 linked quotes).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import threads
from analysis.cli import main
from tests.conftest import corpus_path
from threads.errors import EXIT_FORMAT, EXIT_INPUT, InputError, UnknownFormatError
from threads.sources.markdown_quotes import normalized

pytestmark = pytest.mark.corpus

DISCOURSE = ("discourse", "removing-lua-bindings.7149.json")
AUSTIN = ("reddit", "reddit-api-austinfood.json")
ACADEMIA = ("reddit", "AskAcademia-1535559687-9baqvb.json")
XENFORO = ("forumscraper-json", "xenforo2_overtake_177663.json")
INVISION = ("forumscraper-json", "invision_invisioncommunity_478369.json")


def _raw(parts: tuple[str, str]) -> Any:
    return json.loads(corpus_path(*parts).read_text(encoding="utf-8"))


def _replies(thread: threads.Thread) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {}
    for edge in thread.edges:
        if edge.kind == "reply":
            parents.setdefault(edge.src, []).append(edge.dst)
    return parents


def _quote_scores(thread: threads.Thread, truth: Counter[tuple[str, str]]) -> tuple[float, float]:
    """Recall over the declared (post, source) links and precision of the linked quotes found."""
    found = Counter((quote.post_id, quote.source_post_id) for quote in thread.quotes if quote.source_post_id)
    matched = sum((found & truth).values())
    return matched / sum(truth.values()), matched / max(1, sum(found.values()))


def test_discourse_posts_authors_ids_and_replies() -> None:
    raw = _raw(DISCOURSE)["post_stream"]["posts"]
    thread = threads.read(corpus_path(*DISCOURSE))
    assert thread.format == "discourse-json"
    assert thread.title == "Removing LUA bindings"
    assert len(thread.posts) == 60
    assert [post.id for post in thread.posts] == [str(post["post_number"]) for post in raw]
    assert len({post.author for post in thread.posts}) == 10
    assert Counter(post.author for post in thread.posts)["1vanK"] == 30
    expected = {
        str(p["post_number"]): [str(p["reply_to_post_number"])] for p in raw if p["reply_to_post_number"]
    }
    assert _replies(thread) == expected
    assert thread.warnings == ()


def test_discourse_markup_quotes_linked_and_cut_from_own_text() -> None:
    raw = _raw(DISCOURSE)["post_stream"]["posts"]
    truth: Counter[tuple[str, str]] = Counter()
    for post in raw:
        for number in re.findall(r'<aside class="quote[^"]*"[^>]*data-post="(\d+)"', post["cooked"]):
            truth[(str(post["post_number"]), number)] += 1
    assert sum(truth.values()) == 22
    thread = threads.read(corpus_path(*DISCOURSE))
    recall, precision = _quote_scores(thread, truth)
    assert recall == 1.0 and precision >= 0.98
    for quote in thread.quotes:
        post = thread.post(quote.post_id)
        passage = post.text[quote.start : quote.end]
        assert passage.strip() and passage not in post.own_text
        assert quote.method == "markup"
    # The quote header ("1vanK:") is boilerplate, not text.
    assert any(item.kind == "quote_header" for item in thread.boilerplate)


def test_reddit_listing_has_every_comment_and_its_parent() -> None:
    raw = _raw(AUSTIN)
    submission = raw[0]["data"]["children"][0]["data"]
    comments: list[dict[str, Any]] = []
    stack = list(raw[1]["data"]["children"])
    while stack:
        child = stack.pop()
        if child["kind"] == "t1":
            comments.append(child["data"])
            if isinstance(child["data"]["replies"], dict):
                stack.extend(child["data"]["replies"]["data"]["children"])
    assert len(comments) == 182 and submission["num_comments"] == 181  # Reddit's count lags
    thread = threads.read(corpus_path(*AUSTIN))
    assert thread.format == "reddit-json" and thread.title == "Best special in Austin?"
    assert len(thread.posts) == 183 and thread.posts[0].id == submission["id"]
    assert {post.id for post in thread.posts[1:]} == {comment["id"] for comment in comments}
    assert _replies(thread) == {c["id"]: [c["parent_id"].split("_", 1)[1]] for c in comments}
    authors = {post.id: post.author for post in thread.posts}
    assert all(authors[c["id"]] == c["author"] for c in comments)
    # Chronological order: every reply comes after its parent.
    position = {post.id: post.position for post in thread.posts}
    assert all(position[src] > position[dst[0]] for src, dst in _replies(thread).items())


def _nested(raw: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    flat: dict[str, tuple[str, dict[str, Any]]] = {}
    stack = [(raw["sid"], key, value) for key, value in raw["comments"].items()]
    while stack:
        parent, key, value = stack.pop()
        flat[key] = (parent, value)
        stack.extend((key, child, child_value) for child, child_value in (value["replies"] or {}).items())
    return flat


def test_reddit_nested_dump_reply_tree_is_the_nesting() -> None:
    flat = _nested(_raw(ACADEMIA))
    assert len(flat) == 90
    thread = threads.read(corpus_path(*ACADEMIA))
    assert len(thread.posts) == 91 and thread.posts[0].id == "9baqvb"
    assert _replies(thread) == {key: [parent] for key, (parent, _) in flat.items()}
    assert "&gt;" not in "".join(post.text for post in thread.posts)


def test_reddit_gt_quotes_link_to_the_ancestor_they_quote() -> None:
    flat = _nested(_raw(ACADEMIA))
    quoting = {
        key for key, (_, value) in flat.items() if re.search(r"^[ \t]*(>|&gt;)[ \t]*\S", value["text"], re.M)
    }
    assert len(quoting) == 27  # 28 comments have `>` lines; one is an empty "> "
    thread = threads.read(corpus_path(*ACADEMIA))
    markup = [quote for quote in thread.quotes if quote.method == "markup"]
    assert {quote.post_id for quote in markup} == quoting
    # No markup, found by alignment: e51v23r escaped its `>` ("\\> But hey, ..."); e51uq3y and
    # e52g906 quote ph0rk's sentence inline, in quotation marks.
    implicit = {quote.post_id for quote in thread.quotes if quote.method != "markup"}
    assert implicit == {"e51uq3y", "e51v23r", "e52g906"}
    parents = {key: parent for key, (parent, _) in flat.items()}
    texts = {post.id: normalized(post.own_text) for post in thread.posts}
    linked = 0
    for quote in thread.quotes:
        ancestors, node = [], quote.post_id
        while node in parents:
            node = parents[node]
            ancestors.append(node)
        passage = normalized(thread.post(quote.post_id).text[quote.start : quote.end])
        if quote.source_post_id is None:
            # Unresolved only when no ancestor has the passage (their parent was deleted).
            assert not any(passage in texts[ancestor] for ancestor in ancestors)
            continue
        linked += 1
        assert quote.source_post_id in ancestors
        # An implicit quote's span keeps its quotation marks, which the source does not have; a
        # declared quote may also take in words its source quoted itself (e51uq3y quotes ph0rk).
        source_text = normalized(thread.post(quote.source_post_id).text)
        assert quote.method == "alignment" or passage in texts[quote.source_post_id] or passage in source_text
    assert linked == 46 and len(markup) == 46


@pytest.mark.parametrize(
    ("parts", "pattern", "posts", "quotes"),
    [
        (XENFORO, r'data-source="post: (\d+)"', 56, 35),
        (INVISION, r'data-ipsquote-contentcommentid="(\d+)"', 89, 58),
    ],
)
def test_forumscraper_posts_and_quote_links(
    parts: tuple[str, str], pattern: str, posts: int, quotes: int
) -> None:
    raw = _raw(parts)
    thread = threads.read(corpus_path(*parts))
    assert thread.format == "forumscraper-json" and thread.title == raw["title"]
    assert len(thread.posts) == posts
    assert [post.id for post in thread.posts] == [str(post["id"]) for post in raw["posts"]]
    assert [post.author for post in thread.posts] == [post["user"] for post in raw["posts"]]
    truth: Counter[tuple[str, str]] = Counter()
    for post in raw["posts"]:
        for source in re.findall(pattern, post.get("text") or post.get("content")):
            truth[(str(post["id"]), source)] += 1
    assert sum(truth.values()) == quotes
    recall, precision = _quote_scores(thread, truth)
    assert recall == 1.0 and precision >= 0.98
    for quote in thread.quotes:
        assert (
            thread.post(quote.post_id).text[quote.start : quote.end]
            not in thread.post(quote.post_id).own_text
        )


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"[]", InputError, "empty"),
        (b'{"post_stream": {"posts": [', InputError, "malformed JSON"),
        (b'{"post_stream": {"posts": 5}}', InputError, "should be a JSON array"),
        (
            b'[{"kind": "Listing", "data": {"children": "x"}}, {"kind": "Listing", "data": {}}]',
            InputError,
            "array",
        ),
        (b'{"format_version": "xenforo-2-thread", "posts": {}}', InputError, "should be a JSON array"),
        (b"[" * 100_000 + b"]" * 100_000, InputError, "nested too deeply"),
        (b'{"hello": "world"}', UnknownFormatError, "no known thread shape"),
    ],
)
def test_bad_json_is_a_clear_error(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(error, match=message):
        threads.read(path)


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"[]", EXIT_INPUT), (b"{", EXIT_INPUT), (b"[" * 5000, EXIT_INPUT), (b'{"a": 1}', EXIT_FORMAT)],
)
def test_bad_json_on_the_command_line_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: int
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_wrong_types_inside_posts_are_skipped_with_a_warning(tmp_path: Path) -> None:
    topic = {
        "id": 1,
        "title": "t",
        "post_stream": {"posts": [7, {"post_number": 1, "username": "a", "cooked": "<p>hi</p>"}]},
    }
    path = tmp_path / "topic.json"
    path.write_text(json.dumps(topic))
    thread = threads.read(path)
    assert [post.text for post in thread.posts] == ["hi"]
    assert any("not an object" in warning for warning in thread.warnings)


@pytest.mark.parametrize(
    "parts", [DISCOURSE, AUSTIN, ACADEMIA, XENFORO, INVISION], ids=lambda parts: parts[1]
)
def test_thread_invariants_hold_on_every_corpus_file(parts: tuple[str, str]) -> None:
    thread = threads.read(corpus_path(*parts))
    position = {post.id: post.position for post in thread.posts}
    assert len(position) == len(thread.posts)
    for quote in thread.quotes:
        assert 0 <= quote.start < quote.end <= len(thread.post(quote.post_id).text)
        if quote.source_post_id is not None:
            assert position[quote.source_post_id] < position[quote.post_id]
    for edge in thread.edges:
        assert position[edge.dst] < position[edge.src]
    assert all(post.created_at is None or post.created_at.tzinfo is not None for post in thread.posts)
