"""Documents that are not threads: an article or blog post (one post) and a news digest (items)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from threads import boilerplate as ui
from threads.model import Boilerplate, PostDraft, ThreadDraft
from threads.quote_headers import split_declared_lines

ARTICLE_FORMAT = "text-article"
DIGEST_FORMAT = "text-digest"
_ITEM = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<title>\S.{4,})$")
_BULLET = re.compile(r"^[•·*\-–]\s+(?P<title>\S.*)$")
_TITLE_MAX = 150
_TITLE_ENDINGS = (".", ",", ";", ":", "。", "，", "；", "：")
_PARAGRAPH = 200  # a preamble line this long is a paragraph of text, not a heading


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One numbered item of a digest: its summary at `item_line`, the full article at `article_line`."""

    number: str
    title: str
    item_line: int
    article_line: int | None


def digest_items(lines: Sequence[str]) -> list[DigestItem]:
    """The numbered items of a news digest whose titles reappear later as article headlines.

    A digest lists "1. Headline" items (each followed by its summary) and then the articles, each
    opening with its headline alone on a line. Returns [] unless at least two items match.
    """
    stripped = [line.strip() for line in lines]
    items = [
        (index, match["number"], match["title"].strip())
        for index, line in enumerate(stripped)
        if (match := _ITEM.match(line))
    ]
    if len(items) < 2:
        return []
    wanted = {title for _, _, title in items}
    last_item = items[-1][0]
    first_seen: dict[str, int] = {}
    for index in range(last_item + 1, len(stripped)):
        if stripped[index] in wanted:
            first_seen.setdefault(stripped[index], index)
    found = [DigestItem(number, title, index, first_seen.get(title)) for index, number, title in items]
    return found if sum(item.article_line is not None for item in found) >= 2 else []


def read_digest(
    lines: Sequence[str], items: Sequence[DigestItem], *, source: str | None = None
) -> ThreadDraft:
    """Draft a thread from a news digest: the intro, then each article followed by its summary.

    Posts: the digest's own introductory paragraphs (if any) are the first post; every article
    (headline and body) is a post, and the item that summarizes it follows it as a post that
    replies to it. The document lists all summaries before all articles; the thread puts each
    summary right after its article because a reply must come after the post it answers. The
    preamble's short lines give the title (a first short line before it is the site name), its
    bullet list of headlines is a table of contents, datelines and headings are boilerplate; in
    articles the source URL under the headline is cut and counted in `links`, and feed chrome
    ("获取更多RSS:" and the URL after it) is cut. Every cut line is a Boilerplate record.

    Args:
        lines: the text, split into lines.
        items: what `digest_items` found in `lines`.
        source: where the text came from.

    Returns:
        The draft, format "text-digest", post ids "p1", "p2", ... by thread position.
    """
    records: list[Boilerplate] = []
    titles = {item.title for item in items}
    title, intro = _digest_preamble(lines[: items[0].item_line], titles, records)
    article_starts = sorted({item.article_line for item in items if item.article_line is not None})
    first_article = article_starts[0]
    item_lines = [item.item_line for item in items] + [first_article]
    drafts: list[PostDraft] = []
    pending: list[Boilerplate] = []  # records of posts whose ids are not known yet

    def add(body: list[str], *, links: int = 0, reply_to: tuple[str, ...] = ()) -> str:
        post_id = f"p{len(drafts) + 1}"
        declared = split_declared_lines(body, post_id=post_id, headers=False)
        drafts.append(
            PostDraft(text=declared.text, id=post_id, links=links, quotes=declared.quotes, reply_to=reply_to)
        )
        records.extend(declared.boilerplate)  # cut quote tags are kept, like every cut line
        records.extend(Boilerplate(post_id, record.kind, record.text) for record in pending)
        pending.clear()
        return post_id

    if intro:
        add(intro)
    # Keyed by the item's place, not its title: two items may carry the same headline.
    summaries = [lines[item.item_line + 1 : item_lines[number + 1]] for number, item in enumerate(items)]
    items_by_article: dict[int, list[int]] = {}
    for number, item in enumerate(items):
        if item.article_line is not None:
            items_by_article.setdefault(item.article_line, []).append(number)
    for number, start in enumerate(article_starts):
        stop = article_starts[number + 1] if number + 1 < len(article_starts) else len(lines)
        body, links = _article_body(lines[start:stop], pending)
        article_id = add(body, links=links)
        for number in items_by_article[start]:
            pending.append(Boilerplate(None, "digest_item_header", lines[items[number].item_line].strip()))
            add(list(summaries[number]), reply_to=(article_id,))
    warnings = []
    for number, item in enumerate(items):
        if item.article_line is None:
            warnings.append(f"digest item {item.number} has no article in the document; kept unlinked")
            pending.append(Boilerplate(None, "digest_item_header", lines[item.item_line].strip()))
            add(list(summaries[number]))
    return ThreadDraft(
        format=DIGEST_FORMAT,
        posts=drafts,
        title=title,
        source=source,
        boilerplate=tuple(records),
        warnings=tuple(warnings),
    )


def _digest_preamble(
    lines: Sequence[str], titles: set[str], records: list[Boilerplate]
) -> tuple[str | None, list[str]]:
    """Sort the lines before the first item into title, chrome, table of contents and intro text."""
    headings: list[str] = []
    intro: list[str] = []
    for line in lines:
        stripped = line.strip()
        bullet = _BULLET.match(stripped)
        if not stripped:
            if intro:
                intro.append("")
        elif bullet and bullet["title"].strip() in titles:
            records.append(Boilerplate(None, "table_of_contents", stripped))
        elif ui.is_dateline(stripped):
            records.append(Boilerplate(None, "dateline", stripped))
        elif len(stripped) >= _PARAGRAPH:
            intro.append(line)
        elif intro:
            records.append(Boilerplate(None, "heading", stripped))
        else:
            headings.append(stripped)
    title = headings[-1] if headings else None
    for heading in headings[:-1]:
        records.append(Boilerplate(None, "site_name", heading))
    if title is not None:
        records.append(Boilerplate(None, "title", title))
    return title, intro


def _article_body(lines: Sequence[str], records: list[Boilerplate]) -> tuple[list[str], int]:
    """An article's lines with its source URL and feed chrome cut; returns (lines, links)."""
    body: list[str] = []
    links = 0
    content_lines = 0
    after_chrome = False
    for line in lines:
        stripped = line.strip()
        if ui.is_site_chrome(stripped):
            records.append(Boilerplate(None, "site_chrome", stripped))
            after_chrome = True
        elif after_chrome and ui.is_url_line(stripped):
            records.append(Boilerplate(None, "site_chrome", stripped))
            after_chrome = False
        elif ui.is_url_line(stripped) and content_lines == 1:  # the source URL under the headline
            records.append(Boilerplate(None, "link", stripped))
            links += 1
        else:
            if stripped:
                after_chrome = False
                content_lines += 1
            body.append(line)
    return body, links


def read_article(lines: Sequence[str], *, source: str | None = None) -> ThreadDraft:
    """Draft a thread of one post from an article or blog post.

    A short first line that does not end like a sentence is the title; a leading date or byline
    line is a dateline; from a comment-form heading ("Leave a Reply", "답글 남기기") on, the form's
    lines are boilerplate. Declared quotes (headers, `>` lines) are marked. Every cut line is a
    Boilerplate record.

    Args:
        lines: the text, split into lines.
        source: where the text came from.

    Returns:
        The draft, format "text-article", one post "p1".
    """
    post_id = "p1"
    records: list[Boilerplate] = []
    content = [index for index, line in enumerate(lines) if line.strip()]
    title = None
    start = 0
    for index in content[:2]:
        stripped = lines[index].strip()
        if ui.is_dateline(stripped):
            records.append(Boilerplate(None, "dateline", stripped))
            start = index + 1
        elif title is None and index == content[0] and _is_heading(stripped) and len(content) > 1:
            title = stripped
            records.append(Boilerplate(None, "title", stripped))
            start = index + 1
        else:
            break
    body = list(lines[start:])
    form = next((index for index, line in enumerate(body) if ui.is_comment_form_heading(line)), None)
    if form is not None:
        rest = body[form:]
        if all(ui.is_comment_form_line(line) or len(line.strip()) < 80 for line in rest):
            records.extend(
                Boilerplate(post_id, "comment_form", line.strip()) for line in rest if line.strip()
            )
            body = body[:form]
        else:
            kept = [line for line in rest if not ui.is_comment_form_line(line)]
            records.extend(
                Boilerplate(post_id, "comment_form", line.strip())
                for line in rest
                if ui.is_comment_form_line(line)
            )
            body = body[:form] + kept
    declared = split_declared_lines(body, post_id=post_id)
    records.extend(declared.boilerplate)
    post = PostDraft(text=declared.text, id=post_id, quotes=declared.quotes)
    return ThreadDraft(
        format=ARTICLE_FORMAT, posts=[post], title=title, source=source, boilerplate=tuple(records)
    )


def _is_heading(line: str) -> bool:
    return len(line) <= _TITLE_MAX and not line.endswith(_TITLE_ENDINGS)
