"""Saved forum pages: engines detected, posts, authors, ids, quotes and replies as the page shows them.

Expected values were read off each page by hand (post containers, author names, quote links).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

import threads
from tests.conftest import corpus_path
from threads.errors import InputError, UnknownFormatError
from threads.sources.html import MAX_NESTING, declared_charset, markup_depth, read_html

TITLES = {
    "phpBB.html": "Biological Will",
    "vBulletin4.html": "Legendary military columnist, author Bob Dorr dies at 76",
    "RenascenceSV.html": "Renascence: A Homura Quest",
    "Xenforo2.html": "a dark theme option",
    "NodeBB.html": "New desing for NodeBB chat!",
}
PHPBB_IDS = [
    "2729870",
    "2729871",
    "2729874",
    "2729875",
    "2729876",
    "2729877",
    "2729878",
    "2729880",
    "2729881",
    "2729884",
    "2729885",
    "2729886",
    "2729887",
    "2729888",
    "2729891",
    "2729894",
    "2729897",
    "2729898",
    "2729899",
    "2730367",
    "2730389",
    "2730390",
    "2730437",
    "2730441",
    "2730442",
]
PHPBB_AUTHORS = [
    "Jakob",
    "promethean75",
    "Urwrongx1000",
    "Jakob",
    "Jakob",
    "Jakob",
    "Urwrongx1000",
    "Jakob",
    "Urwrongx1000",
    "Jakob",
    "Jakob",
    "Jakob",
    "Jakob",
    "Jakob",
    "Artimas",
    "Jakob",
    "Artimas",
    "Jakob",
    "Artimas",
    "Silhouette",
    "promethean75",
    "promethean75",
    "Urwrongx1000",
    "Artimas",
    "promethean75",
]
VBULLETIN_IDS = [
    "365266",
    "365267",
    "365268",
    "365271",
    "365272",
    "365273",
    "365274",
    "365275",
    "367740",
    "367742",
]
VBULLETIN_AUTHORS = [
    "Rainmaker",
    "Mjölnir",
    "sandsjames",
    "Mjölnir",
    "Rainmaker",
    "sandsjames",
    "Mjölnir",
    "Mjölnir",
    "giggawatt",
    "sandsjames",
]
# (quoting post, quoted post) for every "Originally Posted by" box with a post link.
VBULLETIN_LINKS = [
    ("365272", "365268"),
    ("365273", "365271"),
    ("365274", "365273"),
    ("365275", "365273"),
    ("367742", "367740"),
]
XENFORO1_IDS = [
    "2146286",
    "2146297",
    "2146298",
    "2146342",
    "2146356",
    "2146361",
    "2146367",
    "2146370",
    "2146398",
    "2146423",
    "2146424",
    "2146427",
    "2146428",
    "2146433",
    "2146434",
    "2146458",
    "2146470",
    "2146498",
    "2146541",
    "2146551",
    "2146562",
    "2146566",
    "2146595",
    "2146608",
    "2146619",
]
# The `goto/post?id=N` of every bbCodeQuote, in page order; 2146285 is on the previous page.
XENFORO1_SOURCES = [
    "2146285",
    "2146286",
    "2146297",
    "2146297",
    "2146356",
    "2146361",
    "2146367",
    "2146370",
    "2146342",
    "2146398",
    "2146424",
    "2146427",
    "2146423",
    "2146433",
    "2146434",
    "2146470",
    "2146541",
    "2146566",
    "2146541",
    "2146562",
]
XENFORO2_IDS = ["114210", "114243", "114249", "114253", "115610", "1091229", "1091230", "1358710"]
XENFORO2_AUTHORS = [
    "dieketzer",
    "krstep",
    "dieketzer",
    "anotheralias",
    "T3G Silas",
    "Azofan",
    "AndyB",
    "sub_ubi",
]
NODEBB_IDS = [
    "73812",
    "73814",
    "73816",
    "73817",
    "73822",
    "73853",
    "73864",
    "73868",
    "73869",
    "73887",
    "73898",
    "74017",
    "74301",
]
NODEBB_AUTHORS = [
    "youhosi",
    "MJ",
    "fgallese",
    "youhosi",
    "arranka",
    "youhosi",
    "scottalanmiller",
    "arranka",
    "scottalanmiller",
    "JJSagan",
    "scottalanmiller",
    "arranka",
    "tonylee123321",
]
NODEBB_LINKS = [
    ("73817", "73814"),
    ("73868", "73864"),
    ("73869", "73868"),
    ("73869", "73864"),
    ("73898", "73887"),
]
NODEBB_REPLIES = {"73817": "73814", "73868": "73864", "73869": "73868", "73898": "73887"}


def _read(name: str) -> threads.Thread:
    return threads.read(corpus_path("html", name))


def _assert_links_found(thread: threads.Thread, declared: list[tuple[str, str]]) -> None:
    """Every quote link the markup declares is found (recall 1.0), and the markup quotes given a
    source are those links (precision >= 0.98; a resolver may split a quote into pieces)."""
    found = [
        (quote.post_id, quote.source_post_id)
        for quote in thread.quotes
        if quote.method == "markup" and quote.source_post_id
    ]
    assert not Counter(declared) - Counter(found)
    assert sum(pair in declared for pair in found) / len(found) >= 0.98


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "engine", "ids", "authors"),
    [
        ("phpBB.html", "phpbb", PHPBB_IDS, PHPBB_AUTHORS),
        ("vBulletin4.html", "vbulletin4", VBULLETIN_IDS, VBULLETIN_AUTHORS),
        ("RenascenceSV.html", "xenforo1", XENFORO1_IDS, None),
        ("Xenforo2.html", "xenforo2", XENFORO2_IDS, XENFORO2_AUTHORS),
        ("NodeBB.html", "nodebb", NODEBB_IDS, NODEBB_AUTHORS),
    ],
)
def test_engine_posts_ids_and_authors(
    name: str, engine: str, ids: list[str], authors: list[str] | None
) -> None:
    thread = _read(name)
    assert thread.format == engine
    assert thread.title == TITLES[name]
    assert [post.id for post in thread.posts] == ids
    if authors is not None:
        assert [post.author for post in thread.posts] == authors
    assert all(post.text.strip() for post in thread.posts)
    assert all(post.created_at is not None and post.created_at.tzinfo is UTC for post in thread.posts)
    for post in thread.posts:
        # Attribution lines and expanders are cut from the text as boilerplate.
        assert "Click to expand" not in post.text and "Originally Posted by" not in post.text
        assert " wrote:" not in post.text[:200]


@pytest.mark.corpus
def test_forced_engine_matches_detection_and_a_wrong_one_is_one_clear_error() -> None:
    path = corpus_path("html", "Xenforo2.html")
    assert threads.read(path, engine="xenforo2").format == "xenforo2"
    with pytest.raises(UnknownFormatError, match="no posts found"):
        threads.read(path, engine="phpbb")
    with pytest.raises(UnknownFormatError, match="unknown forum engine"):
        threads.read(path, engine="myspace")


@pytest.mark.corpus
def test_xenforo2_control_has_no_quotes_and_its_fields() -> None:
    thread = _read("Xenforo2.html")
    assert thread.quotes == ()
    first = thread.posts[0]
    assert (first.author_id, first.ranks, first.edited) == ("496", ("Well-known member",), False)
    assert first.created_at == datetime(2010, 11, 21, 10, 51, 58, tzinfo=UTC)
    assert first.text.startswith("it would be great if by default a dark theme shipped with xenforo.\n")


@pytest.mark.corpus
def test_xenforo1_every_linked_quote_is_found_with_its_source() -> None:
    draft = read_html(corpus_path("html", "RenascenceSV.html").read_bytes())
    declared = [mark.source_post_id for post in draft.posts for mark in post.quotes]
    assert declared == XENFORO1_SOURCES
    thread = _read("RenascenceSV.html")
    linked = [
        (post.id or "", mark.source_post_id)
        for post in draft.posts
        for mark in post.quotes
        if mark.source_post_id in XENFORO1_IDS
    ]
    assert len(linked) == 19  # 2146285 is on the previous page
    _assert_links_found(thread, linked)
    crow = thread.post("2146297")
    assert crow.ranks == ("Falling is a Pleasure. Regardless of its Fate",)
    assert crow.author_id == "1923"
    assert crow.own_text.startswith("OOC behavior? which part?\nI think thats wrong dok.")
    assert "Okay, I need rolls" not in crow.own_text
    assert any(piece.text == "Higure said: ↑" for piece in thread.boilerplate)


@pytest.mark.corpus
def test_vbulletin_quote_links_and_fields() -> None:
    thread = _read("vBulletin4.html")
    _assert_links_found(thread, VBULLETIN_LINKS)
    for quote in thread.quotes:
        if quote.method == "markup":
            assert quote.source_start is not None, quote  # the passage is found in its source
    post = thread.post("365272")
    assert post.ranks == ("Senior Member",)
    assert post.created_at == datetime(2016, 6, 15, 20, 15, tzinfo=UTC)  # "All times are GMT"
    assert post.own_text.startswith("and who could forget")


@pytest.mark.corpus
def test_nodebb_reply_links_and_quotes() -> None:
    thread = _read("NodeBB.html")
    replies = {edge.src: edge.dst for edge in thread.edges if edge.kind == "reply"}
    assert replies == NODEBB_REPLIES
    # Five blockquotes, each under "@X said in <a href=/post/N>"; 73869's nests 73868's quote of 73864.
    _assert_links_found(thread, NODEBB_LINKS)
    assert thread.post("73814").edited and not thread.post("73812").edited
    assert "said in" not in thread.post("73817").text


@pytest.mark.corpus
def test_phpbb_quotes_are_cut_from_own_text() -> None:
    draft = read_html(corpus_path("html", "phpBB.html").read_bytes())
    marks = [mark for post in draft.posts for mark in post.quotes]
    assert len(marks) == 14  # 15 blockquotes; one wraps only another, the same passage
    # Six uncited, eight cited; the merged pair keeps its outer cite's author.
    assert Counter(mark.quoted_author for mark in marks) == Counter(
        {None: 5, "Jakob": 4, "Silhouette": 2, "promethean75": 2, "Urwrongx1000": 1}
    )
    thread = _read("phpBB.html")
    reply = thread.post("2729876")
    assert reply.own_text == (
        "But then if non living things are excluded, do the examples of fire, water and rocks really "
        "count for anything with regard to freedom? Are we discussing free will in terms of other "
        "freedoms than those of the will?"
    )
    for quote in thread.quotes:
        post = thread.post(quote.post_id)
        passage = post.text[quote.start : quote.end]
        assert passage and passage not in post.own_text
    assert thread.post("2729877").edited and thread.post("2729870").ranks == ("ILP Legend",)
    signatures = [piece for piece in thread.boilerplate if piece.kind == "signature"]
    assert len(signatures) == 20  # 20 of the 25 posts show one; never in the post text
    assert signatures[0].text == "For behold, all acts of love and pleasure are my rituals"
    assert not any("For behold" in post.text for post in thread.posts)
    assert thread.post("2729870").created_at == datetime(2019, 5, 26, 15, 34, tzinfo=UTC)  # UTC [DST]


@pytest.mark.corpus
def test_phpbb_author_only_quotes_resolve_to_their_source_by_text() -> None:
    thread = _read("phpBB.html")
    # "Urwrongx1000 wrote:" quotes 2729874 whole; "Jakob wrote:" in 2729881 quotes 2729876's own text.
    linked = dict(((quote.post_id, quote.quoted_author), quote.source_post_id) for quote in thread.quotes)
    assert linked[("2729876", "Urwrongx1000")] == "2729874"
    assert linked[("2729881", "Jakob")] == "2729876"
    assert linked[("2729899", "Jakob")] == "2729898"


def test_declared_charsets_decode_without_mojibake() -> None:
    body = "<p>Café – naïve “quotes”</p>"
    for charset, meta in [
        ("cp1252", '<meta charset="windows-1252">'),
        ("cp1252", '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
        ("latin-1", '<meta charset="iso-8859-1">'),
    ]:
        text = body if charset == "cp1252" else "<p>Café naïve, and more words</p>"
        page = f"<html><head>{meta}</head><body>{_posts(text)}</body></html>".encode(charset)
        assert declared_charset(page) is not None
        thread = threads.parse_bytes(page, source="page.html")
        assert "Café" in thread.posts[0].text and "Ã" not in thread.posts[0].text


def _posts(body: str) -> str:
    return "".join(
        f'<div class="post"><span class="author">user{number}</span><div class="content">{body} {number}'
        f"</div></div>"
        for number in range(3)
    )


def test_unknown_engine_falls_back_to_repeated_structure_with_a_warning() -> None:
    page = f"<html><body><h1>A thread</h1>{_posts('Some words written by this user in reply.')}</body></html>"
    thread = threads.parse(page, source="page.html")
    assert thread.format == "generic"
    assert [post.author for post in thread.posts] == ["user0", "user1", "user2"]
    assert thread.posts[1].text == "Some words written by this user in reply. 1"
    assert any("not recognized" in warning for warning in thread.warnings)


def test_truncated_page_is_read_with_a_warning() -> None:
    page = (
        '<html><head><title>T</title></head><body><ol><li component="post" data-pid="1" data-username="a">'
        '<div component="post/content"><p>first post</p></div></li><li component="post" data-pid="2" '
        'data-username="b"><div component="post/content"><p>second po'
    )
    thread = threads.parse(page, format="html")
    assert [post.text for post in thread.posts] == ["first post", "second po"]
    assert any("truncated" in warning for warning in thread.warnings)


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>Just one paragraph, nothing post-like.</p></body></html>",
        "<html><body></body></html>",
        "<html>",
    ],
)
def test_pages_without_posts_are_one_clear_error(page: str) -> None:
    with pytest.raises(InputError):
        threads.parse(page, format="html")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "same_text"),
    [
        ("phpBB.html", True),
        ("vBulletin4.html", True),
        ("NodeBB.html", True),
        ("Xenforo2.html", True),
        ("RenascenceSV.html", False),  # the fallback's body also holds the post's meta line
    ],
)
def test_generic_fallback_finds_the_adapters_posts(name: str, same_text: bool) -> None:
    adapter = _read(name)
    generic = threads.read(corpus_path("html", name), engine="generic")
    assert generic.format == "generic"
    assert [post.id for post in generic.posts] == [post.id for post in adapter.posts]
    assert [post.author for post in generic.posts] == [post.author for post in adapter.posts]
    assert ([post.text for post in generic.posts] == [post.text for post in adapter.posts]) is same_text
    assert len(generic.quotes) == len(adapter.quotes)


@pytest.mark.parametrize(
    ("charset", "words"),
    [
        ("cp1252", "Le café était très bon, naïve idée – “quoted” words, déjà vu à côté"),
        ("cp1252", "Schöne Grüße aus München, übrigens – das Wetter ist gut."),
        ("cp1251", "Привет, как дела? Это тест русского текста на странице форума."),
        ("shift_jis", "これは日本語のテキストです。フォーラムの投稿。"),
    ],
)
def test_undeclared_legacy_charsets_decode_without_mojibake(charset: str, words: str) -> None:
    page = f"<html><body>{_posts(words)}</body></html>".encode(charset)
    thread = threads.parse_bytes(page, source="page.html")
    assert [post.text for post in thread.posts] == [f"{words} {number}" for number in range(3)]


def test_hostile_nesting_is_refused_before_parsing_and_scripts_do_not_count() -> None:
    with pytest.raises(InputError, match="nested more than"):
        threads.parse("<html><body>" + "<div>" * 20_000 + "x" + "</div>" * 20_000 + "</body></html>")
    script = "<script>" + "for (i = 0; i<n; i++) { a<b }" * 10_000 + "</script>"
    page = f"<html><body>{script}{_posts('Some words written by this user in reply.')}</body></html>"
    assert markup_depth(page, limit=MAX_NESTING) == 4
    assert len(threads.parse(page, format="html").posts) == 3
