"""Time quote attribution on a synthetic thread: posts of random words, half of them copying a paragraph."""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from threads.model import PostDraft
from threads.quotes import attribute_quotes


def synthetic_posts(megabytes: float, *, seed: int = 1) -> list[PostDraft]:
    """Posts of 1-4 random paragraphs; half also copy a paragraph of one of the 50 posts before."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(20_000)
    ]
    texts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        paragraphs = []
        if texts and rng.random() < 0.5:
            source = texts[rng.randrange(max(0, len(texts) - 50), len(texts))]
            paragraphs.append(rng.choice(source.split("\n\n")))
        for _ in range(rng.randint(1, 4)):
            paragraphs.append(" ".join(rng.choices(vocabulary, k=rng.randint(10, 60))).capitalize() + ".")
        texts.append("\n\n".join(paragraphs))
        size += len(texts[-1])
    return [PostDraft(text=text, id=f"p{n}", author=f"u{n % 37}") for n, text in enumerate(texts)]


def main() -> None:
    """Print size, posts, quotes found, wall and CPU seconds, and MB per CPU second."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=2.0)
    megabytes = parser.parse_args().megabytes
    posts = synthetic_posts(megabytes)
    size = sum(len(post.text) for post in posts) / 1e6
    wall, cpu = time.perf_counter(), time.process_time()
    quotes = attribute_quotes(posts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{size:.1f} MB, {len(posts)} posts, {len(quotes)} quotes: "
        f"wall {wall:.2f} s, CPU {cpu:.2f} s, {size / cpu:.2f} MB per CPU second"
    )


if __name__ == "__main__":
    main()
