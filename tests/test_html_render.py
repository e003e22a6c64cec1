"""The fragment renderer: reader-visible text, declared quotes per engine, boilerplate cut."""

from __future__ import annotations

import json

import pytest

from tests.conftest import corpus_path
from threads.sources.html_render import MAX_DEPTH, render_fragment

XENFORO2 = (
    '<blockquote data-quote="ann" data-source="post: 11" class="bbCodeBlock bbCodeBlock--quote">'
    '<div class="bbCodeBlock-title"><a href="/goto/post?id=11">ann said:</a></div>'
    '<div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent">Cats are best.</div>'
    '<div class="bbCodeBlock-expandLink"><a role="button">Click to expand...</a></div></div>'
    "</blockquote>No, dogs are."
)
XENFORO1 = (
    '<div class="bbCodeBlock bbCodeQuote" data-author="ann"><aside>'
    '<div class="attribution type">ann said: <a href="goto/post?id=11#post-11" class="AttributionLink">'
    '&uarr;</a></div><blockquote class="quoteContainer"><div class="quote">Cats are best.</div>'
    '<div class="quoteExpand"><span>Click to expand...</span></div></blockquote></aside></div>No, dogs are.'
)
PHPBB = "<blockquote><div><cite>ann wrote:</cite>Cats are best.</div></blockquote><br />No, dogs are."
PHPBB32 = (
    '<blockquote cite="./viewtopic.php?p=11#p11"><div><cite><a href="./memberlist.php?mode=viewprofile&u=2">'
    'ann</a> wrote: <a href="./viewtopic.php?p=11#p11" data-post-id="11">↑</a></cite>Cats are best.'
    "</div></blockquote>No, dogs are."
)
VBULLETIN4 = (
    '<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
    '<div class="bbcode_postedby"><img src="q.png" alt="Quote" /> Originally Posted by <strong>ann</strong>'
    ' <a href="showthread.php?p=11#post11"><img src="v.png" alt="View Post" /></a></div>'
    '<div class="message">Cats are best.</div></div></div></div>No, dogs are.'
)
VBULLETIN3 = (
    '<div style="margin:20px"><div class="smallfont">Quote:</div><table><tr><td class="alt2">'
    '<div>Originally Posted by <strong>ann</strong> <a href="showthread.php?p=11#post11">'
    '<img src="v.gif" alt="View Post" /></a></div><div style="font-style:italic">Cats are best.</div>'
    "</td></tr></table></div>No, dogs are."
)
DISCOURSE = (
    '<aside class="quote no-group" data-username="ann" data-post="11" data-topic="7">'
    '<div class="title"><img src="a.png" class="avatar"> ann:</div>'
    "<blockquote><p>Cats are best.</p></blockquote></aside><p>No, dogs are.</p>"
)
INVISION = (
    '<blockquote class="ipsQuote" data-ipsquote-contentcommentid="11" data-ipsquote-username="ann">'
    '<div class="ipsQuote_citation">6 minutes ago, ann said:</div>'
    '<div class="ipsQuote_contents"><p>Cats are best.</p></div></blockquote><p>No, dogs are.</p>'
)
SMF20 = (
    '<div class="quoteheader"><div class="topslice_quote"><a href="index.php?topic=5.msg11#msg11">'
    'Quote from: ann on May 01, 2020</a></div></div><blockquote class="bbc_standard_quote">Cats are best.'
    '</blockquote><div class="quotefooter"><div class="botslice_quote"></div></div>No, dogs are.'
)
SMF21 = (
    '<blockquote class="bbc_standard_quote"><cite><a href="index.php?topic=5.msg11#msg11">'
    "Quote from: ann on May 01, 2020</a></cite>Cats are best.</blockquote>No, dogs are."
)
NODEBB = (
    '<p dir="auto"><a class="plugin-mentions-user" href="/uid/3">@ann</a> said in '
    '<a href="/post/11">A topic</a>:</p>\n<blockquote dir="auto"><p dir="auto">Cats are best.</p>'
    '</blockquote>\n<p dir="auto">No, dogs are.</p>'
)


@pytest.mark.parametrize(
    ("html", "engine", "source", "author"),
    [
        (XENFORO2, "xenforo2", "11", "ann"),
        (XENFORO1, "xenforo1", "11", "ann"),
        (PHPBB, "phpbb", None, "ann"),
        (PHPBB32, "phpbb", "11", "ann"),
        (VBULLETIN4, "vbulletin4", "11", "ann"),
        (VBULLETIN3, "vbulletin3", "11", "ann"),
        (DISCOURSE, "discourse", "11", "ann"),
        (INVISION, "invision", "11", "ann"),
        (SMF20, "smf", "11", "ann"),
        (SMF21, "smf", "11", "ann"),
        (NODEBB, "nodebb", "11", "ann"),
        ("<blockquote>Cats are best.</blockquote>No, dogs are.", None, None, None),
    ],
)
@pytest.mark.parametrize("with_engine", [True, False])
def test_engine_quotes_render_inline_with_their_source(
    html: str, engine: str | None, source: str | None, author: str | None, with_engine: bool
) -> None:
    rendered = render_fragment(html, engine=engine if with_engine else None)
    assert rendered.text == "Cats are best.\n\nNo, dogs are."
    [mark] = rendered.quotes
    assert rendered.text[mark.start : mark.end] == "Cats are best."
    assert (mark.source_post_id, mark.quoted_author, mark.method) == (source, author, "markup")
    cut = " ".join(piece.text for piece in rendered.boilerplate)
    assert "Cats" not in cut
    if author is not None:
        assert all(piece.kind in ("quote_header", "chrome") for piece in rendered.boilerplate)
        assert author in cut


def test_nested_quote_marks_inner_passage_with_its_own_source() -> None:
    html = (
        '<blockquote data-quote="bob" data-source="post: 12" class="bbCodeBlock bbCodeBlock--quote">'
        '<div class="bbCodeBlock-title">bob said:</div><div class="bbCodeBlock-content">'
        '<blockquote data-quote="ann" data-source="post: 11" class="bbCodeBlock bbCodeBlock--quote">'
        '<div class="bbCodeBlock-title">ann said:</div><div class="bbCodeBlock-content">Cats are best.'
        "</div></blockquote>No, dogs are.</div></blockquote>Both are fine."
    )
    rendered = render_fragment(html)
    assert rendered.text == "Cats are best.\n\nNo, dogs are.\n\nBoth are fine."
    outer, inner = rendered.quotes
    assert (outer.source_post_id, rendered.text[outer.start : outer.end]) == (
        "12",
        "Cats are best.\n\nNo, dogs are.",
    )
    assert (inner.source_post_id, rendered.text[inner.start : inner.end]) == ("11", "Cats are best.")
    assert [piece.text for piece in rendered.boilerplate] == ["bob said:", "ann said:"]


def test_blocks_breaks_links_images_and_scripts() -> None:
    html = (
        "<p>One <b>bold</b>\n   word.</p><p>Two<br>lines<br><br>and a gap</p>"
        '<script>alert("x")</script><style>p{}</style><ul><li>a</li><li>b</li></ul>'
        '<a href="https://example.org">a link</a> <a href="#top">anchor</a>'
        '<img src="photo.jpg" alt="photo"><img class="smilie" src="s.gif" alt=":)">'
        '<div class="messageTextEndMarker">&nbsp;</div><button>Reply</button>'
    )
    rendered = render_fragment(html)
    assert rendered.text == "One bold word.\n\nTwo\nlines\n\nand a gap\n\na\nb\n\na link anchor:)"
    assert (rendered.links, rendered.attachments) == (1, 1)
    assert "alert" not in rendered.text


def test_pre_keeps_its_lines() -> None:
    rendered = render_fragment("<pre>x = 1\n    y = 2</pre>after")
    assert rendered.text == "x = 1\n    y = 2\n\nafter"


def test_deep_nesting_is_flattened_with_a_warning() -> None:
    depth = MAX_DEPTH + 50
    rendered = render_fragment("<div>" * depth + "deep text" + "</div>" * depth)
    assert rendered.text == "deep text"
    assert rendered.warnings


def test_quote_nesting_is_capped() -> None:
    html = "<blockquote>" * 40 + "core" + "</blockquote>" * 40
    rendered = render_fragment(html)
    assert rendered.text == "core"
    assert 0 < len(rendered.quotes) <= 16


def test_empty_and_text_only_fragments() -> None:
    assert render_fragment("").text == ""
    assert render_fragment("plain &amp; simple").text == "plain & simple"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "body_key", "engine", "linked"),
    [
        ("xenforo2_overtake_177663.json", "text", "xenforo2", 35),
        # 59 quotes: 58 carry data-ipsquote-contentcommentid, one is a bare "Quote" box.
        ("invision_invisioncommunity_478369.json", "content", "invision", 58),
    ],
)
def test_forumscraper_post_html_quotes_are_all_found(
    name: str, body_key: str, engine: str, linked: int
) -> None:
    document = json.loads(corpus_path("forumscraper-json", name).read_text(encoding="utf-8"))
    post_ids = {str(post["id"]) for post in document["posts"]}
    found = []
    for post in document["posts"]:
        rendered = render_fragment(post[body_key] or "", engine=engine)
        assert all(0 <= mark.start < mark.end <= len(rendered.text) for mark in rendered.quotes)
        assert all(rendered.text[mark.start : mark.end].strip() for mark in rendered.quotes)
        assert "Click to expand" not in rendered.text and " said:" not in rendered.text
        found += [mark.source_post_id for mark in rendered.quotes if mark.source_post_id]
    assert len(found) == linked
    assert set(found) <= post_ids
