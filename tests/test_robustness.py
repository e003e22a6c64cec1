"""The catalogue of hostile and broken inputs: each gets its documented behaviour within time and memory.

Every case runs the real command line (`python -m analysis parse ...`) in a child process, so a
crash, a hang or a memory blow-up is seen exactly as a user would see it. The child's peak RSS comes
from wait4(2); a case over its time bound is killed and fails. docs/robustness.md lists the cases.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from threads.errors import EXIT_FORMAT, EXIT_INPUT, EXIT_OK

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "000_db2827ac553fc2ae.txt").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(200)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def run_cli(*args: str, seconds: float, cwd: Path = ROOT) -> Outcome:
    """Run `threadlens` in a child process; kill it past `seconds`; report its own peak RSS."""
    with open(os.devnull, "rb") as stdin, _temp_output() as stdout, _temp_output() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis", *args],
            cwd=cwd,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = start + seconds
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.send_signal(signal.SIGKILL)
                os.wait4(process.pid, 0)
                process.returncode = -9
                pytest.fail(f"threadlens {' '.join(args)[:200]} ran over its {seconds} s bound")
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        stdout.seek(0)
        stderr.seek(0)
        return Outcome(
            process.returncode,
            stdout.read().decode("utf-8", "replace"),
            stderr.read().decode("utf-8", "replace"),
            elapsed,
            usage.ru_maxrss / 1024,
        )


def _temp_output():  # type: ignore[no-untyped-def]
    import tempfile

    return tempfile.TemporaryFile()


# ---------------------------------------------------------------------------------------------
# The catalogue. `build` writes the input under a temporary folder and returns the CLI arguments.

Build = Callable[[Path], list[str]]
Check = Callable[[Outcome], None]


@dataclass(frozen=True)
class Case:
    name: str
    build: Build
    codes: tuple[int, ...]  # the documented exit codes for this input
    message: str = ""  # a phrase the one-line error must hold (when the code is not 0)
    seconds: float = 60.0
    max_rss_mb: float = 1024.0
    check: Check | None = None


def _file(name: str, data: bytes, *extra: str) -> Build:
    def build(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(data)
        return ["parse", *extra, "--", str(path)]

    return build


def _lazy_file(name: str, make: Callable[[], bytes], *extra: str) -> Build:
    def build(folder: Path) -> list[str]:
        return _file(name, make(), *extra)(folder)

    return build


def _json_of(outcome: Outcome) -> dict[str, object]:
    document = json.loads(outcome.stdout)
    assert isinstance(document, dict)
    return document


def _posts_of(outcome: Outcome) -> list[dict[str, object]]:
    posts = _json_of(outcome)["posts"]
    assert isinstance(posts, list)
    return posts


def _has_words(*words: str) -> Check:
    def check(outcome: Outcome) -> None:
        text = " ".join(str(post["text"]) for post in _posts_of(outcome))
        for word in words:
            assert word in text

    return check


def _lacks(*fragments: str) -> Check:
    def check(outcome: Outcome) -> None:
        for fragment in fragments:
            assert fragment not in outcome.stdout

    return check


def _forum_posts(count: int, body: Callable[[int], str]) -> bytes:
    parts = ["A thread\n\n"]
    parts += [f"\n\nRegistered Member\n{body(number)}\n" for number in range(count)]
    return "".join(parts).encode()


def _mixed_encodings() -> bytes:
    return (
        "Registered Member\nCafé crème, naïve résumé.\n\n\n".encode()
        + "Registered Member\nIt’s “quoted” – in cp1252.\n\n\n".encode("cp1252")
        + "Registered Member\n中文段落，另一段。\n".encode()
    )


def _nested_quotes(depth: int) -> bytes:
    opening = "".join(f'[quote="user{level}, post:1"]level {level} ' for level in range(depth))
    return (
        "user0 | 2024-01-01 10:00:00 UTC | #1\n\nThe first post says something long enough.\n\n"
        "-------------------------\n\n"
        f"user1 | 2024-01-01 11:00:00 UTC | #2\n\n{opening}{'[/quote]' * depth} and my reply.\n"
    ).encode()


def _self_quote() -> bytes:
    return (
        b"ann | 2024-01-01 10:00:00 UTC | #1\n\nOpening post about engines and research output.\n\n"
        b"-------------------------\n\n"
        b'bob | 2024-01-01 11:00:00 UTC | #2\n\n[quote="bob, post:2, topic:1"]\nI quote myself here.\n'
        b"[/quote]\n\nAnd answer myself.\n"
    )


def _zip_bytes() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("thread.txt", "0" * 50_000_000)  # a zip bomb in miniature: 50 MB inflated
    return buffer.getvalue()


def _deep_html(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>").encode()


TRUNCATED_HTML = (
    b'<html><head><title>Thread</title></head><body><article class="message" data-author="ann">'
    b'<div class="bbWrapper">A post cut off in the middle of a <a href="https://exa'
)
SCRIPTED_HTML = (
    b"<html><body><div class='post'><p>Visible words here.</p>"
    b"<script>alert('owned')</script><a href=\"javascript:alert(1)\">click</a>"
    b'<img src=x onerror="alert(2)"></div></body></html>'
)
CASES = [
    Case("empty file", _file("empty.txt", b""), (EXIT_INPUT,), "empty"),
    Case("whitespace only", _file("blank.txt", b" \n\t\r\n   \n"), (EXIT_INPUT,), "empty"),
    Case("image renamed .html", _file("photo.html", PNG), (EXIT_INPUT,), "binary"),
    Case("image renamed .txt", _file("photo.txt", PNG), (EXIT_INPUT,), "binary"),
    Case("zip archive", _lazy_file("thread.zip", _zip_bytes), (EXIT_INPUT,), "binary"),
    Case("NUL bytes in text", _file("nul.txt", SEED[:3000] + b"\0\0" + SEED[3000:]), (EXIT_INPUT,), "NUL"),
    Case("PDF renamed .json", _file("paper.json", b"%PDF-1.7\n" + bytes(300)), (EXIT_INPUT,), "PDF"),
    Case(
        "invalid UTF-8",
        _file("bad.txt", SEED[:5000] + b"\xff\xfe\xc3(" + SEED[5000:], "--json"),
        (EXIT_OK,),
        check=_has_words("ASPI", "mindful"),
    ),
    Case(
        "mixed encodings in one file",
        _lazy_file("mixed.txt", _mixed_encodings, "--json"),
        (EXIT_OK,),
        check=_has_words("crème", "“quoted”", "中文段落"),
    ),
    Case(
        "UTF-16 without BOM",
        _file("utf16.txt", SEED.decode().encode("utf-16-le"), "--json"),
        (EXIT_OK,),
        check=_has_words("Critical Technology Tracker"),
    ),
    Case(
        "50 MB single line",
        _lazy_file("line.txt", lambda: b"word " * 10_000_000, "--json"),
        (EXIT_OK,),
        seconds=60,
        max_rss_mb=1024,
        check=lambda outcome: _assert_warned(outcome, "over_limit"),
    ),
    Case(
        "1,000,000 tiny posts",
        _lazy_file("tiny.txt", lambda: _forum_posts(1_000_000, lambda n: f"post {n}")),
        (EXIT_OK, EXIT_INPUT),
        seconds=300,
        max_rss_mb=2048,
    ),
    Case(
        "every post identical",
        _lazy_file(
            "same.txt",
            lambda: _forum_posts(5_000, lambda n: "The same sentence said again and again by everyone here."),
        ),
        (EXIT_OK,),
        seconds=60,
    ),
    Case(
        "quotes nested 500 deep", _lazy_file("nested.md", lambda: _nested_quotes(500), "--json"), (EXIT_OK,)
    ),
    Case(
        "a post that quotes itself",
        _lazy_file("self.md", _self_quote, "--json"),
        (EXIT_OK,),
        check=lambda outcome: _assert_no_self_quote(outcome),
    ),
    Case("HTML truncated mid-tag", _file("cut.html", TRUNCATED_HTML), (EXIT_OK, EXIT_INPUT, EXIT_FORMAT)),
    Case(
        "HTML nested 10,000 deep",
        _lazy_file("deep.html", lambda: _deep_html(10_000)),
        (EXIT_OK, EXIT_INPUT, EXIT_FORMAT),
    ),
    Case(
        "HTML with scripts and javascript: links",
        _file("script.html", SCRIPTED_HTML, "--json"),
        (EXIT_OK, EXIT_FORMAT),
        check=lambda outcome: (
            _lacks("alert(", "javascript:", "onerror")(outcome) if outcome.code == 0 else None
        ),
    ),
    Case("JSON malformed", _file("bad.json", b'{"post_stream": {"posts": [{"id": 1,'), (EXIT_INPUT,), "JSON"),
    Case(
        "JSON deeply nested",
        _lazy_file("deep.json", lambda: b"[" * 200_000 + b"]" * 200_000),
        (EXIT_INPUT, EXIT_FORMAT),
    ),
    Case(
        "JSON with wrong types",
        _file("types.json", b'{"post_stream": {"posts": "not a list"}}'),
        (EXIT_INPUT, EXIT_FORMAT),
    ),
    Case(
        "JSON with huge numbers",
        _file("huge.jsonl", b'{"id": ' + b"9" * 5000 + b', "text": "a post", "created_at": 1e400}\n'),
        (EXIT_OK, EXIT_INPUT),
    ),
    Case("empty JSON array", _file("empty.json", b"[]"), (EXIT_INPUT, EXIT_FORMAT)),
    Case(
        "CSV with ragged rows",
        _file("ragged.csv", b"id,author,text\n1,ann,first post\n2,bob,second,extra,cells\n3\n", "--json"),
        (EXIT_OK,),
        check=_has_words("first post"),
    ),
    Case(
        "dates in the future, far past, unparseable",
        _file(
            "dates.jsonl",
            b'{"id": "1", "text": "one", "created_at": "9999-12-31T23:59:59Z"}\n'
            b'{"id": "2", "text": "two", "created_at": "0001-01-01T00:00:00Z"}\n'
            b'{"id": "3", "text": "three", "created_at": "yesterday-ish"}\n'
            b'{"id": "4", "text": "four", "created_at": -99999999999999}\n',
            "--json",
        ),
        (EXIT_OK,),
        check=_has_words("one", "four"),
    ),
    Case("file name with spaces and unicode", _file("my thread – 中文.txt", SEED), (EXIT_OK,)),
    Case("file name with a leading dash", _file("-thread.txt", SEED), (EXIT_OK,)),
]


def _assert_warned(outcome: Outcome, phrase: str) -> None:
    warnings = _json_of(outcome)["thread"]
    assert isinstance(warnings, dict)
    assert any(phrase in warning for warning in warnings["warnings"])


def _assert_no_self_quote(outcome: Outcome) -> None:
    document = _json_of(outcome)
    quotes = document["quotes"]
    assert isinstance(quotes, list)
    assert all(quote["source_post_id"] != quote["post_id"] for quote in quotes)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_documented_behaviour(case: Case, tmp_path: Path) -> None:
    outcome = run_cli(*case.build(tmp_path), seconds=case.seconds)
    assert outcome.code in case.codes, outcome.stderr[-500:]
    assert "Traceback" not in outcome.stderr
    if outcome.code != EXIT_OK:
        assert outcome.stderr.count("\n") == 1, outcome.stderr  # one line, no traceback
        assert outcome.stderr.startswith("threadlens: error:"), outcome.stderr
        assert case.message.lower() in outcome.stderr.lower()
    assert outcome.peak_rss_mb < case.max_rss_mb, f"peak RSS {outcome.peak_rss_mb:.0f} MB"
    if case.check is not None and outcome.code == EXIT_OK:
        case.check(outcome)
