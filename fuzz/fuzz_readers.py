"""atheris fuzz target: any bytes, through every reader, raise nothing but threadlens's own errors.

Run for a bounded time (the test suite does this for 30 s):
    python fuzz/fuzz_readers.py -max_total_time=60 -artifact_prefix=/tmp/threadlens-fuzz- seeds/
A crash writes the input to the artifact prefix; add it to tests/fuzz_regressions/ once fixed.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    import threads
    from threads.errors import ThreadlensError

# Prefixes that steer the sniffer to each reader, so every reader gets fuzzed, not only "text".
PREFIXES = (
    b"",
    b"A thread\n\nRegistered Member\n",
    b"ann | 2024-01-01 10:00:00 UTC | #1\n\n",
    b"<html><body><article class='message' data-author='ann'><div class='bbWrapper'>",
    b"<html><body><div class='post' id='p1'><blockquote><cite>ann wrote:</cite>",
    b'{"post_stream": {"posts": [{"post_number": 1, "cooked": "',
    b'[{"kind": "Listing", "data": {"children": [',
    b'{"id": "1", "author": "ann", "text": "',
    b"id,author,text\n1,ann,",
)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    prefix = PREFIXES[provider.ConsumeIntInRange(0, len(PREFIXES) - 1)]
    name = ("thread.txt", "page.html", "export.json", "posts.jsonl", "posts.csv")[
        provider.ConsumeIntInRange(0, 4)
    ]
    payload = prefix + provider.ConsumeBytes(provider.remaining_bytes())
    # A documented, one-line error is the right answer to garbage; anything else is a crash.
    with contextlib.suppress(ThreadlensError):
        threads.parse_bytes(payload, source=name)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
