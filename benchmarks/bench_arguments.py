"""Time argument_sentences and argument_chains on the IAC 4forums thread repeated to a large size."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.arguments import argument_chains, argument_sentences
from analysis.schemas import STANCE_SCHEMA
from tests.structure_threads import large_thread


def main() -> None:
    """Print seconds and characters per second for each argument function."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("..") / "shared" / "corpus")
    parser.add_argument("--copies", type=int, default=20, help="how many times the thread's posts repeat")
    args = parser.parse_args()
    posts = json.loads((args.corpus / "iac-4forums" / "discussion_255.json").read_text(encoding="utf-8"))[0]
    texts = [post[3] for post in posts] * args.copies
    count = len(texts)
    # Built directly, not assembled: repeated posts would otherwise be found to quote each other.
    # Each post replies to the one before: the longest possible chain.
    thread = replace(
        large_thread([None, *range(count - 1)]),
        posts=tuple(
            replace(post, text=text, own_text=text)
            for post, text in zip(large_thread([None] * count).posts, texts, strict=True)
        ),
    )
    characters = sum(len(post.own_text) for post in thread.posts)
    argument_sentences(thread)  # loads the subjectivity lexicon once
    for name, run in (
        ("argument_sentences", lambda: argument_sentences(thread)),
        ("argument_chains", lambda: argument_chains(thread, pl.DataFrame(schema=STANCE_SCHEMA))),
    ):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        speed = characters / elapsed
        print(f"{name:20} {count:>7,} posts {characters:>10,} chars {elapsed:6.2f} s  {speed:>9,.0f} chars/s")


if __name__ == "__main__":
    main()
