"""Text readers: every seed parses into the posts a reader sees, and no line of input is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import threads
from analysis.cli import main
from tests.conftest import SEEDS, corpus_path
from threads.errors import EXIT_FORMAT, EXIT_INPUT, InputError, UnknownFormatError
from threads.sources.text import read_text

SEED_FILES = sorted(SEEDS.glob("*.txt"))
_MARKER = re.compile(r"^\s*(?:>|&gt;)\s?")


def _lost_lines(raw: str, thread: threads.Thread) -> list[str]:
    """Input lines found neither in a post's text nor in a boilerplate record."""
    haystack = "\n".join(
        [post.text for post in thread.posts] + [record.text for record in thread.boilerplate]
    )
    lost = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        wanted = _MARKER.sub("", line).strip()  # `>` markers are dropped, as a reader sees it
        if wanted and wanted not in haystack:
            lost.append(wanted)
    return lost


def _assert_marks_valid(thread: threads.Thread) -> None:
    for quote in thread.quotes:
        text = thread.post(quote.post_id).text
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == text[quote.start : quote.end].strip()


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name[:3])
def test_no_line_of_a_seed_is_lost(path: Path) -> None:
    thread = threads.read(path)
    assert _lost_lines(path.read_text(encoding="utf-8"), thread) == []
    _assert_marks_valid(thread)


@pytest.mark.parametrize(
    ("prefix", "layout", "posts"),
    [
        ("000", "text-forum", 9),
        ("001", "text-digest", 35),
        ("002", "text-article", 1),
        ("003", "text-article", 1),
        ("004", "text-article", 1),
    ],
)
def test_seed_layout_and_post_count(prefix: str, layout: str, posts: int) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    thread = threads.read(path)
    assert (thread.format, len(thread.posts)) == (layout, posts)


def test_forum_seed_posts_start_at_member_titles() -> None:
    (path,) = SEEDS.glob("000_*.txt")
    thread = threads.read(path)
    assert thread.title == "News on China's scientific and technological development."
    assert [post.ranks for post in thread.posts] == [
        ("Registered Member",),
        ("Senior Member", "Registered Member"),
        ("Junior Member", "Registered Member"),
        ("Junior Member", "Registered Member"),
        ("Junior Member", "Registered Member"),
        ("Registered Member",),
        ("Registered Member",),
        ("Registered Member",),
        ("Junior Member", "Registered Member"),
    ]
    assert [post.edited for post in thread.posts] == [
        False,
        False,
        True,
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    assert [post.links for post in thread.posts] == [2, 2, 0, 1, 0, 0, 2, 6, 0]
    assert [post.attachments for post in thread.posts] == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert all(post.author is None for post in thread.posts)
    first, second, *_, last = thread.posts
    assert first.text.startswith("Chinese scientists successfully completed")
    assert first.text.endswith("higher cloning efficiency")
    assert second.text.startswith("I notice that ASPI's Critical Technology Tracker")
    assert second.text.endswith("especially about China.")
    assert last.text.startswith("You are thinking strictly applied engineering")
    assert "Please, Log in" not in "".join(post.text for post in thread.posts)
    assert "WIPO.jpg" not in thread.posts[5].text
    # The placeholder stood for a citation inside a sentence; the sentence is joined back.
    assert "crop yields. Therefore, strategies" in thread.posts[7].text
    assert [post.languages for post in thread.posts][6:8] == [("en", "zh"), ("en", "zh")]


def test_digest_seed_pairs_each_article_with_its_summary() -> None:
    (path,) = SEEDS.glob("001_*.txt")
    thread = threads.read(path)
    assert thread.title == "英文媒体关于中国的报道汇总 2025-07-20"
    intro, *items = thread.posts
    assert intro.text.startswith("以下是西方媒体对中国的报道摘要")
    articles, summaries = items[0::2], items[1::2]
    assert len(articles) == len(summaries) == 17
    assert articles[0].text.startswith("China’s Li Qiang announces launch of Tibet mega dam project")
    assert articles[-1].text.startswith("Albanese’s China trip")
    assert all(article.language == "en" and article.links == 1 for article in articles)
    assert all(summary.language == "zh" for summary in summaries)
    assert summaries[0].text.startswith("中文标题:中国李强宣布启动")
    replies = {(edge.src, edge.dst) for edge in thread.edges if edge.kind == "reply"}
    assert replies == {(summary.id, article.id) for article, summary in zip(articles, summaries, strict=True)}
    kinds = {record.kind for record in thread.boilerplate}
    assert {"site_name", "title", "dateline", "table_of_contents", "heading", "site_chrome"} <= kinds
    assert not any("feedx.site" in post.text or "获取更多RSS" in post.text for post in thread.posts)


def test_blog_seed_comment_form_is_boilerplate() -> None:
    (path,) = SEEDS.glob("003_*.txt")
    thread = threads.read(path)
    (post,) = thread.posts
    form = [record.text for record in thread.boilerplate if record.kind == "comment_form"]
    assert form == ["답글 남기기", "이메일 주소는 공개되지 않습니다. 필수 필드는 *로 표시됩니다"]
    assert [record.text for record in thread.boilerplate if record.kind == "dateline"] == [
        "일. 8월 10th, 2025"
    ]
    assert post.text.startswith("Once synonymous with mass manufacturing")
    assert "답글" not in post.text and post.language == "en"


def test_article_seeds_titles() -> None:
    titles = {path.name[:3]: threads.read(path).title for path in SEED_FILES}
    assert titles["002"] == "What is China’s leading technology?"
    assert titles["003"] is None and titles["004"] is None


@pytest.mark.corpus
def test_discourse_transcript_posts_and_quote_links() -> None:
    path = corpus_path("discourse", "removing-lua-bindings.7149.raw.md")
    raw = path.read_text(encoding="utf-8")
    thread = threads.read(path)
    assert thread.format == "discourse-transcript"
    # Post numbers have gaps where posts were deleted (#28, #30, ...): ids are the numbers shown.
    assert [post.id for post in thread.posts] == re.findall(r" \| #(\d+)$", raw, flags=re.M)
    assert len(thread.posts) == 60
    assert len({post.author for post in thread.posts}) == 10
    first = thread.posts[0]
    assert (first.author, first.created_at and first.created_at.isoformat()) == (
        "1vanK",
        "2022-01-24T00:24:45+00:00",
    )
    wanted = []
    post = ""
    for line in raw.split("\n"):
        header = re.search(r" \| #(\d+)$", line)
        if header:
            post = header.group(1)
        quote = re.match(r'\[quote="([^,]+), post:(\d+),', line)
        if quote:
            wanted.append((post, quote.group(2), quote.group(1)))
    assert len(wanted) == 22  # counted by hand in the file: 22 [quote=...] blocks
    got = [(quote.post_id, quote.source_post_id, quote.quoted_author) for quote in thread.quotes]
    assert got == wanted
    assert all(quote.method == "markup" for quote in thread.quotes)
    fourth = thread.post("4")
    (mark,) = [quote for quote in thread.quotes if quote.post_id == "4"]
    assert fourth.text[mark.start : mark.end] == (
        "I am planning to replace Urho3D::Vector and Urho3D::PODVector with std::vector\n"
        "If such a person is not found, then the bindings will be removed."
    )
    assert "[quote" not in fourth.text and "[/quote]" not in fourth.text
    assert _lost_lines(raw, thread) == []
    _assert_marks_valid(thread)


@pytest.mark.parametrize(
    ("body", "author", "quoted", "own"),
    [
        (
            "Alice said:\nThe sky is green.\nClick to expand...\nNo, it is blue.",
            "Alice",
            "The sky is green.",
            "No, it is blue.",
        ),
        ("Bob wrote:\nTabs are better.\n\nSpaces win.", "Bob", "Tabs are better.", "Spaces win."),
        ("Quote:\nOriginally Posted by Carol\nCats rule.\n\nDogs do.", "Carol", "Cats rule.", "Dogs do."),
        ("Quote: Originally Posted by dave99\nIt works.\n\nNot here.", "dave99", "It works.", "Not here."),
        (
            "Originally posted by gilligan8503\ntheory of relativity\n\nYes indeed.",
            "gilligan8503",
            "theory of relativity",
            "Yes indeed.",
        ),
        ("Jean a écrit :\nC'est faux.\n\nNon, c'est vrai.", "Jean", "C'est faux.", "Non, c'est vrai."),
        ("Hans schrieb:\nDas stimmt nicht.\n\nDoch.", "Hans", "Das stimmt nicht.", "Doch."),
        ("Pablo escribió:\nEs mentira.\n\nNo lo es.", "Pablo", "Es mentira.", "No lo es."),
        ("Luca ha scritto:\nÈ sbagliato.\n\nNo.", "Luca", "È sbagliato.", "No."),
        ('[quote="eve, post:3, topic:9"]\nLine one.\n[/quote]\nReply.', "eve", "Line one.", "Reply."),
        (
            "> quoted line one\n> quoted line two\n\nmy answer",
            None,
            "quoted line one\nquoted line two",
            "my answer",
        ),
        ("&gt; escaped quote\nmy answer", None, "escaped quote", "my answer"),
    ],
)
def test_declared_quote_forms(body: str, author: str | None, quoted: str, own: str) -> None:
    thread = threads.parse("Some title\n\nRegistered Member\n" + body)
    (post,) = thread.posts
    (quote,) = thread.quotes
    assert post.text[quote.start : quote.end] == quoted
    assert quote.quoted_author == author
    assert quote.method == ("header" if author and not body.startswith("[") else "markup")
    assert post.own_text == own
    headers = [record.text for record in thread.boilerplate if record.kind == "quote_header"]
    assert all(header not in post.text for header in headers)


def test_anonymous_header_before_a_last_header_line_quotes_that_line() -> None:
    """A "Quote:" line, then "bob said:" and nothing after: the second line is what is quoted.

    (It was taken as the author line of a two-line vBulletin header, leaving an empty quote, and
    the reader failed on an assertion.)
    """
    thread = threads.parse("Title\n\nRegistered Member\nhello\n\nQuote:\nbob said:\n")
    (post,) = thread.posts
    (quote,) = thread.quotes
    assert post.text[quote.start : quote.end] == "bob said:"
    assert quote.quoted_author is None
    assert post.own_text == "hello"


def test_prose_ending_in_said_is_not_a_header() -> None:
    thread = threads.parse(
        "Title\n\nRegistered Member\nThen the minister of finance finally said:\n\nnothing."
    )
    assert thread.quotes == ()


@pytest.mark.parametrize(
    ("content", "error"),
    [("", InputError), ("  \n\t\n", InputError), ("12345 --- 678\n", UnknownFormatError)],
)
def test_bad_text_is_a_threadlens_error(content: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_text(content)


_LINES = st.sampled_from(
    [
        "",
        "Registered Member",
        "Senior Member",
        "Last edited:",
        "Please, Log in or Register to view URLs content!",
        "photo.jpg",
        "Alice said:",
        "Click to expand...",
        "Bob wrote:",
        "> quoted",
        '[quote="x, post:1, topic:2"]',
        "[/quote]",
        ", continued",
        "1. A numbered headline here",
        "A numbered headline here",
        "https://example.com/a",
        "답글 남기기",
    ]
) | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=30))
# Two digest items with the same headline once lost the first item's summary ("Last edited:").
@example(
    ["1. A numbered headline here", "Last edited:", "1. A numbered headline here", "A numbered headline here"]
)
def test_any_text_loses_no_line_and_keeps_offsets_valid(lines: list[str]) -> None:
    raw = "\n".join(lines)
    try:
        thread = threads.parse(raw, format="text")
    except (InputError, UnknownFormatError):
        return
    assert _lost_lines(raw, thread) == []
    _assert_marks_valid(thread)
    for quote in thread.quotes:
        if quote.source_post_id is not None:
            assert thread.post(quote.source_post_id).position < thread.post(quote.post_id).position


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"12345 --- 678\n", EXIT_FORMAT), ("\n\n".encode("utf-16"), EXIT_INPUT)],
)
def test_cli_text_errors_are_one_line_with_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: int
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == code
    err = capsys.readouterr().err
    assert err.startswith("threadlens: error:") and err.count("\n") == 1


def test_large_forum_copy_segments_every_post() -> None:
    (path,) = SEEDS.glob("000_*.txt")
    body = path.read_text(encoding="utf-8").split("\n", 3)[3]
    small = read_text("Title\n\n" + "\n\n".join([body] * 50))
    large = read_text("Title\n\n" + "\n\n".join([body] * 400))
    assert (len(small.posts), len(large.posts)) == (450, 3600)


def test_forum_copy_details() -> None:
    text = (
        "A thread\nThread starter hidden\n\n"
        "Senior Member\nRegistered Member\nFirst post.\nReactions: ann, bob and 3 others\nReply\n"
        "Registered Member\nSecond post, right after the first with no blank line.\n"
        "Last edited: Feb 3, 2025\nA post whose titles the copy dropped.\n"
    )
    thread = threads.parse(text)
    assert thread.title == "A thread"
    assert [post.text for post in thread.posts] == [
        "First post.",
        "Second post, right after the first with no blank line.",
        "A post whose titles the copy dropped.",
    ]
    assert [post.ranks for post in thread.posts] == [
        ("Senior Member", "Registered Member"),
        ("Registered Member",),
        (),
    ]
    assert [post.edited for post in thread.posts] == [False, True, False]
    assert thread.warnings == ("post p3 has no member title; it starts after a 'Last edited:' line",)
    kinds = [(record.post_id, record.kind) for record in thread.boilerplate]
    assert ("p1", "post_ui") in kinds and (None, "page_header") in kinds
    assert _lost_lines(text, thread) == []


def test_nested_and_repeated_declared_quotes() -> None:
    body = (
        '[quote="ann, post:1, topic:5"]\nouter start\n[quote="bob, post:2, topic:5"]\ninner\n[/quote]\n'
        "outer end\n[/quote]\nreply one\n\nCarol said:\nfirst claim\nClick to expand...\nreply two"
    )
    thread = threads.parse(
        "ann | 2024-01-01 10:00:00 UTC | #1\nann\n\nbob | 2024-01-01 10:05:00 UTC | #2\nbob\n"
        "\neve | 2024-01-01 11:00:00 UTC | #3\n" + body
    )
    post = thread.post("3")
    spans = [
        (post.text[quote.start : quote.end], quote.source_post_id, quote.quoted_author)
        for quote in thread.quotes
    ]
    assert spans == [
        # Quotes of one post never overlap: the nested quote splits the one around it.
        ("outer start", "1", "ann"),
        ("inner", "2", "bob"),
        ("outer end", "1", "ann"),
        ("first claim", None, "Carol"),
    ]
    assert post.own_text == "reply one\nreply two"
