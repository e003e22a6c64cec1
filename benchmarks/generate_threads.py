"""Generate large, realistic test threads with known quotes, for the benchmarks and stress tests.

Sentences come from real text (the seeds, and the development corpus when it is beside the
project), recombined by a word-bigram chain so that a 50 MB thread does not repeat the same
sentences over and over (which would make every post look like a quote). 30-40 % of posts quote
1-3 earlier posts, partially; some quotes are quotes of quotes, some are edited (trimmed, a typo).

Two layouts: the copied page text of seed 000 (member-title lines start a post, "Last edited:"
closes some, login placeholders stand for links) and a generic posts table (JSONL or Parquet).

    python benchmarks/generate_threads.py --size-mb 10 --layout text -o benchmarks/data/t10.txt
    python benchmarks/generate_threads.py --posts 100000 --layout jsonl -o benchmarks/data/p100k.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"
RANKS = (
    ("Registered Member",),
    ("Senior Member", "Registered Member"),
    ("Junior Member", "Registered Member"),
    ("New Member",),
)
LINK_PLACEHOLDER = "Please, Log in or Register to view URLs content!"
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|[0-9]+(?:\.[0-9]+)?%?|[,;:]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(slots=True)
class GeneratedPost:
    """A generated post: its paragraphs, and which paragraphs copy which earlier post."""

    index: int
    author: str
    ranks: tuple[str, ...]
    own: list[str]
    quotes: list[tuple[int, str]] = field(default_factory=list)  # (source post index, passage)
    edited: bool = False
    links: int = 0

    def body(self) -> str:
        parts = [passage for _, passage in self.quotes] + self.own
        parts += [LINK_PLACEHOLDER] * self.links
        return "\n\n".join(parts)


def real_text() -> str:
    """English text written by people: the seeds, plus corpus threads when present."""
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(SEEDS.glob("*.txt"))]
    iac = CORPUS / "iac-4forums" / "discussion_255.json"
    if iac.exists():
        texts += [post[3] for post in json.loads(iac.read_text())[0]]
    for extra in ("discourse/removing-lua-bindings.7149.raw.md", "cmv-modes/positive_95.txt"):
        if (CORPUS / extra).exists():
            texts.append((CORPUS / extra).read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


class SentenceMaker:
    """Makes new sentences from a word-bigram chain over real text."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.rng = rng
        self.next_words: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for sentence in _SENTENCE_END.split(text):
            words = _WORD.findall(sentence)
            if len(words) < 5:
                continue
            self.starts.append(words[0])
            for first, second in itertools.pairwise(words):
                self.next_words[first.lower()].append(second)

    def sentence(self) -> str:
        words = [self.rng.choice(self.starts)]
        length = self.rng.randint(8, 28)
        for _ in range(length * 2):  # bounded: skipped picks must not loop forever
            if len(words) >= length:
                break
            options = self.next_words.get(words[-1].lower())
            if not options:
                break
            word = self.rng.choice(options)
            if not (word in ",;:" and words[-1] in ",;:"):  # no ",," runs
                words.append(word)
        text = " ".join(words).replace(" ,", ",").replace(" ;", ";").replace(" :", ":")
        return text[0].upper() + text[1:].rstrip(",;:") + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 4)))


def generate(*, posts: int | None, size_bytes: int | None, seed: int = 7) -> list[GeneratedPost]:
    """Generate posts until `posts` posts or `size_bytes` bytes of body text."""
    rng = random.Random(seed)
    maker = SentenceMaker(real_text(), rng)
    authors = [f"member{number}" for number in range(max(20, (posts or 2000) // 25))]
    result: list[GeneratedPost] = []
    total = 0
    while (posts is None or len(result) < posts) and (size_bytes is None or total < size_bytes):
        index = len(result)
        post = GeneratedPost(
            index=index,
            author=rng.choice(authors),
            ranks=rng.choice(RANKS),
            own=[maker.paragraph() for _ in range(rng.randint(1, 4))],
            edited=rng.random() < 0.15,
            links=rng.choice((0, 0, 0, 1, 2)),
        )
        if index and rng.random() < 0.35:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                post.quotes.append(_pick_quote(result, rng))
        result.append(post)
        total += len(post.body()) + 40
    return result


def _pick_quote(earlier: list[GeneratedPost], rng: random.Random) -> tuple[int, str]:
    # Most replies answer recent posts; some reach far back.
    lag = min(len(earlier), int(rng.expovariate(1 / 6)) + 1)
    source = earlier[-lag]
    if source.quotes and rng.random() < 0.2:
        return source.quotes[0]  # a quote of a quote still belongs to the original writer
    paragraph = rng.choice(source.own)
    sentences = _SENTENCE_END.split(paragraph)
    start = rng.randrange(len(sentences))
    passage = " ".join(sentences[start : start + rng.randint(1, 2)])
    if rng.random() < 0.1:
        passage = _edit(passage, rng)
    return source.index, passage


def _edit(passage: str, rng: random.Random) -> str:
    words = passage.split()
    if len(words) > 12 and rng.random() < 0.5:
        return " ".join(words[: len(words) - rng.randint(2, 5)])  # trimmed quote
    position = rng.randrange(len(words))
    word = words[position]
    if len(word) > 3:
        words[position] = word[:-2] + word[-1] + word[-2]  # swapped letters
    return " ".join(words)


def copied_text(posts: list[GeneratedPost], *, title: str) -> Iterator[str]:
    """The posts laid out as copied page text, like seed 000."""
    yield f"{title}\n\n"
    for post in posts:
        closing = "\nLast edited:" if post.edited else ""
        yield "\n\n" + "\n".join(post.ranks) + "\n" + post.body() + closing + "\n\n"


def posts_table(posts: list[GeneratedPost]) -> pl.DataFrame:
    """The posts as a generic posts table: id, author, created_at, text."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return pl.DataFrame(
        {
            "id": [str(post.index + 1) for post in posts],
            "author": [post.author for post in posts],
            "created_at": [start + timedelta(minutes=7 * post.index) for post in posts],
            "text": [post.body() for post in posts],
        }
    )


def truth(posts: list[GeneratedPost]) -> list[dict[str, object]]:
    """The quotes each post was generated with: ids are 1-based positions."""
    return [
        {"post": post.index + 1, "source": source + 1, "passage": passage}
        for post in posts
        for source, passage in post.quotes
    ]


def write(posts: list[GeneratedPost], path: Path, *, layout: str) -> None:
    """Write the thread in a layout, plus `<path>.truth.json` with the generated quotes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout == "text":
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(copied_text(posts, title="A generated discussion of technology"))
    elif layout == "jsonl":
        posts_table(posts).with_columns(pl.col("created_at").dt.to_string("%Y-%m-%dT%H:%M:%SZ")).write_ndjson(
            path
        )
    elif layout == "parquet":
        posts_table(posts).write_parquet(path)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    Path(f"{path}.truth.json").write_text(json.dumps(truth(posts)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, help="stop at about this many MB of post text")
    parser.add_argument("--posts", type=int, help="stop at this many posts")
    parser.add_argument("--layout", choices=("text", "jsonl", "parquet"), default="text")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    if args.size_mb is None and args.posts is None:
        parser.error("give --size-mb or --posts")
    size = int(args.size_mb * 1_000_000) if args.size_mb else None
    posts = generate(posts=args.posts, size_bytes=size, seed=args.seed)
    write(posts, args.output, layout=args.layout)
    print(f"{args.output}: {len(posts):,} posts, {args.output.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
