"""atheris fuzz target: any bytes, through every reader, give a valid Thread or threadlens's own error.

Run for a bounded time (the test suite does this for 30 s over every family):
    python fuzz/fuzz_readers.py -max_total_time=60 -artifact_prefix=/tmp/threadlens-fuzz- seeds/
THREADLENS_FUZZ_FAMILY=text|html|json|table keeps to one family's readers (default: all of them).
A crash writes the input to the artifact prefix; once fixed, keep a small version of it as a
regression test in tests/test_fuzz.py (generated in the test, not committed as a file).
"""

from __future__ import annotations

import itertools
import os
import sys

import atheris

with atheris.instrument_imports():
    import threads
    from threads.errors import ThreadlensError

from tests.thread_invariants import check_thread  # run with PYTHONPATH=<the repository>

# Prefixes that steer the sniffer to each reader, so every reader gets fuzzed, not only "text".
FAMILIES: dict[str, tuple[bytes, ...]] = {
    "text": (
        b"",
        b"A thread\n\nRegistered Member\n",
        b"ann | 2024-01-01 10:00:00 UTC | #1\n\n",
        b'ann | 2024-01-01 10:00:00 UTC | #1\n\nFirst post.\n\n---\n\nbob | #2\n\n[quote="ann, post:1"]',
        b"Alice said:\n",
    ),
    "html": (
        b"<html><body><article class='message' data-author='ann'><div class='bbWrapper'>",
        b"<html><body><div class='post' id='p1'><blockquote><cite>ann wrote:</cite>",
        b"<html><body><div class='post'><div class='content'>",
        b"<!DOCTYPE html><html><head><title>T</title></head><body><div class='postbody'>",
    ),
    "json": (
        b'{"post_stream": {"posts": [{"post_number": 1, "cooked": "',
        b'[{"kind": "Listing", "data": {"children": [',
        b'{"id": "1", "author": "ann", "text": "',
        b'{"format_version": "xenforo-2-thread", "posts": [{"content": "',
        b'[{"id": "u1", "speaker": "ann", "conversation_id": "u1", "text": "',
    ),
    "table": (
        b"id,author,text\n1,ann,",
        b"id,author,text,reply_to,created_at\n1,ann,hello,,2024-01-01\n2,bob,",
        b"PAR1",
    ),
}
NAMES = ("thread.txt", "page.html", "export.json", "posts.jsonl", "posts.csv", "table.parquet")
_FAMILY = os.environ.get("THREADLENS_FUZZ_FAMILY", "all")
PREFIXES = tuple(itertools.chain.from_iterable(FAMILIES.values())) if _FAMILY == "all" else FAMILIES[_FAMILY]


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    prefix = PREFIXES[provider.ConsumeIntInRange(0, len(PREFIXES) - 1)]
    name = NAMES[provider.ConsumeIntInRange(0, len(NAMES) - 1)]
    payload = prefix + provider.ConsumeBytes(provider.remaining_bytes())
    # A documented, one-line error is the right answer to garbage; anything else is a crash.
    try:
        thread = threads.parse_bytes(payload, source=name)
    except ThreadlensError:
        return
    check_thread(thread)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
