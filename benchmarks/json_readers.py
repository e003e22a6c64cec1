"""Figures of the JSON readers on the development corpus: posts, authors, quotes, link recall/precision.

Usage: python benchmarks/json_readers.py [CORPUS_DIR]   (default ../shared/corpus)
Declared links are read from the raw markup with regular expressions, independently of the readers.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import threads

FILES = (
    "discourse/removing-lua-bindings.7149.json",
    "reddit/reddit-api-austinfood.json",
    "reddit/AskAcademia-1535559687-9baqvb.json",
    "forumscraper-json/xenforo2_overtake_177663.json",
    "forumscraper-json/invision_invisioncommunity_478369.json",
)


def declared_links(name: str, raw: Any) -> Counter[tuple[str, str]]:
    """(quoting post, quoted post) pairs the raw markup declares; empty for formats without ids."""
    links: Counter[tuple[str, str]] = Counter()
    if name.startswith("discourse/"):
        for post in raw["post_stream"]["posts"]:
            for number in re.findall(r'<aside class="quote[^"]*"[^>]*data-post="(\d+)"', post["cooked"]):
                links[(str(post["post_number"]), number)] += 1
    elif "xenforo" in name:
        for post in raw["posts"]:
            for number in re.findall(r'data-source="post: (\d+)"', post["text"]):
                links[(str(post["id"]), number)] += 1
    elif "invision" in name:
        for post in raw["posts"]:
            for number in re.findall(r'data-ipsquote-contentcommentid="(\d+)"', post["content"]):
                links[(str(post["id"]), number)] += 1
    return links


def main(corpus: Path) -> None:
    """Print one line of figures per corpus JSON file."""
    for name in FILES:
        path = corpus / name
        raw = json.loads(path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        thread = threads.read(path)
        seconds = time.perf_counter() - started
        found = Counter((q.post_id, q.source_post_id) for q in thread.quotes if q.source_post_id)
        markup = sum(quote.method == "markup" for quote in thread.quotes)
        line = (
            f"{name}: posts={len(thread.posts)} authors={len({post.author for post in thread.posts})} "
            f"quotes={len(thread.quotes)} markup={markup} linked={sum(found.values())} "
            f"edges={len(thread.edges)} seconds={seconds:.2f}"
        )
        truth = declared_links(name, raw)
        if truth:
            matched = sum((found & truth).values())
            line += (
                f" declared={sum(truth.values())} recall={matched / sum(truth.values()):.3f}"
                f" precision={matched / max(1, sum(found.values())):.3f}"
            )
        print(line)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus"))
