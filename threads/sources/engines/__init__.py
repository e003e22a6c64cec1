"""Engine adapters for saved forum pages: how to find each engine's posts, and which engine a page is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from selectolax.lexbor import LexborHTMLParser, LexborNode

from threads.sources.engines.discourse import DISCOURSE_POSTS, read_discourse
from threads.sources.engines.fields import PagePost, node_text
from threads.sources.engines.invision import INVISION_POSTS, read_invision
from threads.sources.engines.nodebb import NODEBB_POSTS, read_nodebb
from threads.sources.engines.phpbb import PHPBB_POSTS, read_phpbb
from threads.sources.engines.smf import SMF_POSTS, read_smf
from threads.sources.engines.vbulletin import (
    VBULLETIN3_POSTS,
    VBULLETIN4_POSTS,
    VBULLETIN5_POSTS,
    read_vbulletin3,
    read_vbulletin4,
    read_vbulletin5,
)
from threads.sources.engines.xenforo import XENFORO1_POSTS, XENFORO2_POSTS, read_xenforo1, read_xenforo2

GENERIC = "generic"
# Signatures sit beside the body in every engine's post; kept as boilerplate, never as post text.
SIGNATURES = (
    ".message-signature, .signature, .signaturecontainer, [component='post/signature'], "
    "[data-role='memberSignature']"
)


@dataclass(frozen=True, slots=True)
class Engine:
    """A forum engine's page layout: the CSS selector of one post, how to read a post, and the
    selectors (by priority) of the thread's title on the page."""

    name: str
    posts: str
    read: Callable[[LexborNode, timedelta], PagePost]
    titles: tuple[str, ...] = ()


ENGINES: tuple[Engine, ...] = (
    Engine("xenforo2", XENFORO2_POSTS, read_xenforo2, ("h1.p-title-value",)),
    Engine("xenforo1", XENFORO1_POSTS, read_xenforo1, (".titleBar h1",)),
    Engine("phpbb", PHPBB_POSTS, read_phpbb, ("h2.topic-title", "#page-body > h2")),
    Engine("vbulletin5", VBULLETIN5_POSTS, read_vbulletin5, ("h1.main-title",)),
    Engine("vbulletin4", VBULLETIN4_POSTS, read_vbulletin4, ("span.threadtitle",)),
    Engine("vbulletin3", VBULLETIN3_POSTS, read_vbulletin3, ()),
    Engine("discourse", DISCOURSE_POSTS, read_discourse, ("#topic-title h1", "#main-outlet h1")),
    Engine("invision", INVISION_POSTS, read_invision, ("h1.ipsType_pageTitle",)),
    Engine("smf", SMF_POSTS, read_smf, ("#top_subject",)),
    Engine("nodebb", NODEBB_POSTS, read_nodebb, ("[component='topic/title']",)),
)
ENGINE_NAMES: tuple[str, ...] = (*(engine.name for engine in ENGINES), GENERIC)


def detect_engine(tree: LexborHTMLParser) -> Engine | None:
    """The engine whose post selector finds the most posts on the page; None when none finds one."""
    best: Engine | None = None
    best_count = 0
    for engine in ENGINES:
        count = len({node.mem_id for node in tree.css(engine.posts) if _is_post(engine, node)})
        if count > best_count:
            best, best_count = engine, count
    return best


def engine_named(name: str) -> Engine | None:
    """The adapter called `name` (None for "generic").

    Raises:
        KeyError: no engine has that name.
    """
    if name == GENERIC:
        return None
    for engine in ENGINES:
        if engine.name == name:
            return engine
    raise KeyError(name)


def find_posts(tree: LexborHTMLParser, engine: Engine, utc_offset: timedelta) -> list[PagePost]:
    """Every post the engine's layout finds, in page order (each element once)."""
    seen: set[int] = set()
    posts = []
    for node in tree.css(engine.posts):
        if node.mem_id not in seen and _is_post(engine, node):
            seen.add(node.mem_id)
            post = engine.read(node, utc_offset)
            signature = node_text(node.css_first(SIGNATURES))
            posts.append(replace(post, signature=signature) if signature else post)
    return posts


def _is_post(engine: Engine, node: LexborNode) -> bool:
    # vBulletin 3's `table#postN` selector also meets other tables named "post..."; a post has a body.
    if engine.name == "vbulletin3":
        return node.css_first("div[id^='post_message_']") is not None
    return True
