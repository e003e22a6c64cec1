"""Engine adapters without a corpus page (vBulletin 3 and 5, Discourse, Invision, SMF), and
invariants of the page reader on arbitrary markup.

The small pages here follow each engine's published templates; real saved pages of these engines
are not in the development corpus yet.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import threads
from threads.errors import InputError
from threads.sources.html import read_html


def _page(posts: str, footer: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><title>T</title></head><body>{posts}{footer}</body></html>".encode()


VBULLETIN3 = _page(
    "".join(
        f'<table id="post{pid}"><tr><td class="thead">01-0{n}-2008, 10:15 PM</td></tr><tr><td>'
        f'<div id="postmenu_{pid}"><a class="bigusername" href="member.php?u={uid}">{name}</a></div>'
        f'<div class="smallfont">Senior Member</div></td><td><div id="post_message_{pid}">{body}</div>'
        "</td></tr></table>"
        for n, pid, uid, name, body in [
            (2, 101, 7, "ann", "Cats are best, clearly."),
            (
                3,
                102,
                8,
                "bob",
                '<div style="margin:20px"><div class="smallfont">Quote:</div><table><tr><td class="alt2">'
                '<div>Originally Posted by <strong>ann</strong> <a href="showthread.php?p=101#post101">'
                '<img alt="View Post" src="v.gif"></a></div><div>Cats are best, clearly.</div></td></tr>'
                "</table></div>No, dogs are.",
            ),
        ]
    ),
    '<div class="smallfont">All times are GMT -5. The time now is 10:00 PM.</div>',
)
DISCOURSE_CRAWLER = _page(
    "".join(
        f'<div id="post_{number}" itemprop="comment" class="topic-body crawler-post">'
        f'<div class="crawler-post-meta"><span class="creator" itemprop="author">'
        f'<a href="/u/{name}"><span itemprop="name">{name}</span></a></span>'
        f'<time itemprop="datePublished" datetime="2019-06-0{number}T10:00:00Z"></time></div>'
        f'<div class="post" itemprop="text">{body}</div></div>'
        for number, name, body in [
            (1, "ann", "<p>Cats are best, clearly.</p>"),
            (
                2,
                "bob",
                '<aside class="quote" data-username="ann" data-post="1" data-topic="9">'
                '<div class="title">ann:</div><blockquote><p>Cats are best, clearly.</p></blockquote>'
                "</aside><p>No, dogs are.</p>",
            ),
        ]
    )
)
INVISION = _page(
    "".join(
        f'<article id="elComment_{cid}" class="cPost"><aside><h3 class="cAuthorPane_author">'
        f'<strong><a href="https://x.org/profile/{uid}-{name}/">{name}</a></strong></h3>'
        f'<ul class="cAuthorPane_info"><li data-role="group">Members</li></ul></aside>'
        f'<div class="ipsComment_meta"><time datetime="2024-06-06T15:0{cid % 10}:00Z"></time></div>'
        f'<div data-role="commentContent" class="ipsType_richText">{body}</div></article>'
        for cid, uid, name, body in [
            (11, 5, "ann", "<p>Cats are best, clearly.</p>"),
            (
                12,
                6,
                "bob",
                '<blockquote class="ipsQuote" data-ipsquote-contentcommentid="11" '
                'data-ipsquote-username="ann"><div class="ipsQuote_citation">ann said:</div>'
                '<div class="ipsQuote_contents"><p>Cats are best, clearly.</p></div></blockquote>'
                "<p>No, dogs are.</p>",
            ),
        ]
    )
)
SMF = _page(
    "".join(
        f'<div class="post_wrapper"><div class="poster"><h4><a href="index.php?action=profile;u={uid}">'
        f'{name}</a></h4><ul class="user_info"><li class="membergroup">Global Moderator</li></ul></div>'
        f'<div class="postarea"><div class="keyinfo"><div class="smalltext">« <strong>Reply #{n} on:'
        f"</strong> May 0{n + 1}, 2020, 10:15:22 PM »</div></div>"
        f'<div class="post"><div class="inner" id="msg_{mid}">{body}</div></div></div></div>'
        for n, mid, uid, name, body in [
            (0, 21, 5, "ann", "Cats are best, clearly."),
            (
                1,
                22,
                6,
                "bob",
                '<div class="quoteheader"><div class="topslice_quote">'
                '<a href="index.php?topic=5.msg21#msg21">Quote from: ann on May 01, 2020</a></div></div>'
                '<blockquote class="bbc_standard_quote">'
                'Cats are best, clearly.</blockquote><div class="quotefooter"></div>No, dogs are.',
            ),
        ]
    )
)
VBULLETIN5 = _page(
    "".join(
        f'<li class="b-post" data-node-id="{nid}"><div class="b-userinfo__details"><div class="author">'
        f'<a href="member/{uid}-{name}"><span itemprop="name">{name}</span></a></div>'
        f'<div class="usertitle">Junior Member</div></div><time itemprop="dateCreated" '
        f'datetime="2017-03-0{nid % 10}T08:00:00"></time>'
        f'<div class="js-post__content-text">{body}</div></li>'
        for nid, uid, name, body in [
            (31, 5, "ann", "Cats are best, clearly."),
            (
                32,
                6,
                "bob",
                '<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
                '<div class="bbcode_postedby">Originally Posted by <strong>ann</strong> '
                '<a href="node/31#post31">view</a></div><div class="message">Cats are best, clearly.</div>'
                "</div></div></div>No, dogs are.",
            ),
        ]
    )
)


@pytest.mark.parametrize(
    ("page", "engine", "ids", "first_author_id", "second_date"),
    [
        (VBULLETIN3, "vbulletin3", ["101", "102"], "7", datetime(2008, 1, 4, 3, 15, tzinfo=UTC)),
        (DISCOURSE_CRAWLER, "discourse", ["1", "2"], None, datetime(2019, 6, 2, 10, tzinfo=UTC)),
        (INVISION, "invision", ["11", "12"], "5", datetime(2024, 6, 6, 15, 2, tzinfo=UTC)),
        (SMF, "smf", ["21", "22"], "5", datetime(2020, 5, 2, 22, 15, 22, tzinfo=UTC)),
        (VBULLETIN5, "vbulletin5", ["31", "32"], "5", datetime(2017, 3, 2, 8, tzinfo=UTC)),
    ],
)
def test_engine_templates(
    page: bytes, engine: str, ids: list[str], first_author_id: str | None, second_date: datetime
) -> None:
    thread = threads.parse_bytes(page, source="page.html")
    assert thread.format == engine
    assert [post.id for post in thread.posts] == ids
    assert [post.author for post in thread.posts] == ["ann", "bob"]
    assert thread.posts[0].author_id == first_author_id
    assert thread.posts[1].created_at == second_date
    assert thread.posts[1].text == "Cats are best, clearly.\n\nNo, dogs are."
    [quote] = thread.quotes
    assert (quote.post_id, quote.source_post_id, quote.quoted_author) == (ids[1], ids[0], "ann")
    assert thread.posts[1].own_text == "No, dogs are."


_TAGS = st.sampled_from(
    ["div", "p", "blockquote", "span", "a", "li", "article", "aside", "cite", "br", "script", "pre"]
)
_ATTRS = st.sampled_from(
    [
        "",
        ' class="post"',
        ' class="bbCodeBlock bbCodeBlock--quote" data-source="post: 1"',
        ' class="quote" data-post="x"',
        ' component="post" data-pid="3"',
        ' class="bbcode_quote"',
        ' id="p12" class="post"',
        ' class="ipsQuote" data-ipsquote-contentcommentid="9"',
    ]
)


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 6 and draw(st.booleans()):
            tag = draw(_TAGS)
            close = draw(st.booleans())  # unclosed tags: truncated or sloppy pages
            pieces.append(f"<{tag}{draw(_ATTRS)}>{draw(_markup(depth + 1))}" + (f"</{tag}>" if close else ""))
        else:
            pieces.append(draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)))
    return "".join(pieces)


@settings(max_examples=150, deadline=None)
@given(_markup())
def test_any_markup_gives_a_thread_or_one_clear_error(body: str) -> None:
    page = f"<html><body>{body}</body></html>".encode()
    try:
        draft = read_html(page)
    except InputError:
        return
    for post in draft.posts:
        for mark in post.quotes:
            assert 0 <= mark.start < mark.end <= len(post.text)
            assert post.text[mark.start : mark.end].strip()
    thread = threads.assemble(draft)
    assert len(thread.posts) == len(draft.posts)
