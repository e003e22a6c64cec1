"""The catalogue of hostile and broken inputs: each gets its documented behaviour within time and memory.

Every case runs the real command line (`python -m analysis parse ...`) in a child process, so a
crash, a hang or a memory blow-up is seen exactly as a user would see it. The child's peak RSS comes
from wait4(2) in a small launcher (tests/peak_rss_launcher.py), so pytest's own size is not counted
in; a case over its time bound is killed and fails. docs/robustness.md lists the cases.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from threads.errors import EXIT_FORMAT, EXIT_INPUT, EXIT_OK, EXIT_PARTIAL

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tests" / "peak_rss_launcher.py"
SEED = (ROOT / "seeds" / "000_db2827ac553fc2ae.txt").read_bytes()
READING_LINE = re.compile(r"\Athreadlens: reading \S+ \(\d+(\.\d)? MB\)\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(200)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def run_cli(*args: str, seconds: float, cwd: Path = ROOT) -> Outcome:
    """Run `threadlens` in a child process; kill it past `seconds`; report its own peak RSS.

    The child starts from `peak_rss_launcher.py`, not from this (large) pytest process, whose
    size Linux would otherwise count into the child's peak RSS.
    """
    with (
        open(os.devnull, "rb") as stdin,
        _temp_output() as stdout,
        _temp_output() as stderr,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "exit-and-peak-rss"
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(report), sys.executable, "-m", "analysis", *args],
            cwd=cwd,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            start_new_session=True,  # one process group: a kill reaches threadlens too
        )
        deadline = start + seconds
        while process.poll() is None:
            if time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                pytest.fail(f"threadlens {' '.join(args)[:200]} ran over its {seconds} s bound")
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        code, peak_kib = report.read_text(encoding="ascii").split()
        stdout.seek(0)
        stderr.seek(0)
        return Outcome(
            int(code),
            stdout.read().decode("utf-8", "replace"),
            stderr.read().decode("utf-8", "replace"),
            elapsed,
            int(peak_kib) / 1024,
        )


def _temp_output():  # type: ignore[no-untyped-def]
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


def _warned(phrase: str) -> Check:
    return lambda outcome: _assert_warned(outcome, phrase)


def _all(*checks: Check) -> Check:
    def check(outcome: Outcome) -> None:
        for each in checks:
            each(outcome)

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


def _archive(kind: str) -> Callable[[], bytes]:
    def make() -> bytes:
        import bz2
        import gzip
        import io
        import lzma
        import tarfile

        text = SEED * 10
        if kind == "tar":
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w") as archive:
                info = tarfile.TarInfo("thread.txt")
                info.size = len(text)
                archive.addfile(info, io.BytesIO(text))
            return buffer.getvalue()
        compress = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}[kind]
        return compress(text)

    return make


def _parquet_bomb() -> bytes:
    """Under a megabyte of Parquet that inflates to 4 GB of text: 2,000,000 rows of 2,000 characters."""
    import io

    import polars as pl

    rows = 2_000_000
    frame = pl.DataFrame(
        {
            "id": pl.int_range(0, rows, eager=True).cast(pl.String),
            "text": pl.repeat("x" * 2000, rows, eager=True),
        }
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def _deep_html(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>").encode()


def _discourse_page(bodies: list[tuple[str, str]]) -> bytes:
    """A saved Discourse page (its crawler view), one of the engines the HTML reader knows."""
    posts = "".join(
        f'<div id="post_{n}" itemprop="comment" class="topic-body crawler-post">'
        f'<div class="crawler-post-meta"><span class="creator" itemprop="author">'
        f'<a href="/u/{name}"><span itemprop="name">{name}</span></a></span>'
        f'<time itemprop="datePublished" datetime="2019-06-0{n}T10:00:00Z"></time></div>'
        f'<div class="post" itemprop="text">{body}</div></div>'
        for n, (name, body) in enumerate(bodies, start=1)
    )
    return f"<!DOCTYPE html><html><head><title>T</title></head><body>{posts}</body></html>".encode()


_WHOLE_PAGE = _discourse_page(
    [("ann", "<p>Cats are best, clearly.</p>"), ("bob", "<p>No, dogs are, and here is why they win</p>")]
)
TRUNCATED_HTML = _WHOLE_PAGE[: _WHOLE_PAGE.index(b"why they") + 4] + b'<a href="https://exa'
SCRIPTED_HTML = _discourse_page(
    [
        (
            "ann",
            "<p>Visible words here.</p><script>alert('owned')</script>"
            '<a href="javascript:alert(1)">click</a><img src=x onerror="alert(2)">'
            '<iframe src="javascript:alert(3)"></iframe><style>body{display:none}</style>',
        ),
        ("bob", "<p>A reply with <a href='https://ok.example/x'>a fine link</a>.</p>"),
    ]
)
CASES = [
    Case("empty file", _file("empty.txt", b""), (EXIT_INPUT,), "empty"),
    Case("whitespace only", _file("blank.txt", b" \n\t\r\n   \n"), (EXIT_INPUT,), "empty"),
    Case("image renamed .html", _file("photo.html", PNG), (EXIT_INPUT,), "binary"),
    Case("image renamed .txt", _file("photo.txt", PNG), (EXIT_INPUT,), "binary"),
    Case("zip archive", _lazy_file("thread.zip", _zip_bytes), (EXIT_INPUT,), "does not open archives"),
    *(
        Case(f"{kind} archive", _lazy_file(name, _archive(kind)), (EXIT_INPUT,), "does not open archives")
        for kind, name in (("gzip", "thread.txt.gz"), ("bzip2", "t.bz2"), ("xz", "t.xz"), ("tar", "t.tar"))
    ),
    Case(
        "Parquet decompression bomb",
        _lazy_file("bomb.parquet", _parquet_bomb),
        (EXIT_INPUT,),
        "once inflated",
        seconds=120,
        max_rss_mb=1536,
    ),
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
        (EXIT_INPUT,),
        "over the 2,000,000-line limit",
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
    Case(
        "HTML truncated mid-tag",
        _file("cut.html", TRUNCATED_HTML, "--json"),
        (EXIT_OK,),
        check=_all(_warned("truncated"), _has_words("Cats are best", "here is why")),
    ),
    Case(
        "HTML without a forum in it",
        _file("plain.html", b"<html><body><p>hi</p></body></html>"),
        (EXIT_FORMAT,),
        "no posts",
    ),
    Case(
        "HTML nested 10,000 deep",
        _lazy_file("deep.html", lambda: _deep_html(10_000)),
        (EXIT_INPUT,),
        "nested more than",
    ),
    Case(
        "HTML with scripts and javascript: links",
        _file("script.html", SCRIPTED_HTML, "--json"),
        (EXIT_OK,),
        check=_all(
            _has_words("Visible words here", "a fine link"),
            _lacks("alert(", "javascript:", "onerror", "display:none"),
        ),
    ),
    Case("JSON malformed", _file("bad.json", b'{"post_stream": {"posts": [{"id": 1,'), (EXIT_INPUT,), "JSON"),
    Case(
        "JSON deeply nested",
        _lazy_file("deep.json", lambda: b"[" * 200_000 + b"]" * 200_000),
        (EXIT_INPUT,),
        "nested too deeply",
    ),
    Case(
        "JSON with wrong types",
        _file("types.json", b'{"post_stream": {"posts": "not a list"}}'),
        (EXIT_INPUT,),
        "should be a JSON array",
    ),
    Case(
        "JSON with huge numbers",
        _file(
            "huge.jsonl", b'{"id": ' + b"9" * 5000 + b', "text": "a post", "created_at": 1e400}\n', "--json"
        ),
        (EXIT_OK,),
        check=_warned("unreadable created_at"),
    ),
    Case("empty JSON array", _file("empty.json", b"[]"), (EXIT_INPUT,), "empty"),
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
        # A large input's progress line comes first (analysis/progress.py); the error is one line.
        error = READING_LINE.sub("", outcome.stderr)
        assert error.count("\n") == 1, outcome.stderr  # one line, no traceback
        assert error.startswith("threadlens: error:"), outcome.stderr
        assert case.message.lower() in outcome.stderr.lower()
    assert outcome.peak_rss_mb < case.max_rss_mb, f"peak RSS {outcome.peak_rss_mb:.0f} MB"
    if case.check is not None and outcome.code == EXIT_OK:
        case.check(outcome)


# ---------------------------------------------------------------------------------------------
# The same inputs through every command that reads threads: a case that parses must also survive
# analysis, charts and writing; a refused one must give each command's one-line error and code.

PARSED = [
    case
    for case in CASES
    if case.codes == (EXIT_OK,) and case.name not in ("50 MB single line", "every post identical")
]
REFUSED = [
    case
    for case in CASES
    if case.name in ("empty file", "zip archive", "NUL bytes in text", "JSON malformed")
]
HEAVY = [case for case in CASES if case.name in ("50 MB single line", "every post identical")]


def _inputs(cases: list[Case], folder: Path) -> list[str]:
    """Each case's input file, written once under `folder/<n>/` (so equal file names stay apart)."""
    paths = []
    for number, case in enumerate(cases):
        sub = folder / f"{number:02d}"
        sub.mkdir(parents=True)
        arguments = case.build(sub)
        paths.append(arguments[-1])
    return paths


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The catalogue's inputs written once per session: parsed, refused and heavy ones."""
    root = tmp_path_factory.mktemp("hostile")
    return {
        "parsed": _inputs(PARSED, root / "parsed"),
        "refused": _inputs(REFUSED, root / "refused"),
        "heavy": _inputs(HEAVY, root / "heavy"),
    }


def _assert_error_lines(outcome: Outcome, count: int) -> None:
    lines = outcome.stderr.splitlines()
    errors = [line for line in lines if line.startswith("threadlens: error:")]
    assert len(errors) == count, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr


def test_report_on_hostile_inputs(hostile: dict[str, list[str]], tmp_path: Path) -> None:
    files = hostile["parsed"] + hostile["refused"]
    outcome = run_cli("report", "-o", str(tmp_path / "out"), "--", *files, seconds=900)
    assert outcome.code == EXIT_PARTIAL
    _assert_error_lines(outcome, len(hostile["refused"]))
    folders = [line for line in outcome.stdout.splitlines() if line.strip()]
    assert len(folders) == len(hostile["parsed"])
    for folder in map(Path, folders):
        assert folder.parent == tmp_path / "out" and (folder / "summary.md").is_file()
    assert outcome.peak_rss_mb < 1536


def test_export_on_hostile_inputs(hostile: dict[str, list[str]], tmp_path: Path) -> None:
    files = hostile["parsed"] + hostile["heavy"]
    outcome = run_cli("export", "--to", "parquet", "-o", str(tmp_path / "out"), "--", *files, seconds=600)
    assert outcome.code == EXIT_OK, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    assert outcome.peak_rss_mb < 2048
    for refused in hostile["refused"]:  # an export with a bad input writes nothing
        outcome = run_cli("export", "--to", "csv", "-o", str(tmp_path / "bad"), "--", refused, seconds=120)
        assert outcome.code == EXIT_INPUT
        _assert_error_lines(outcome, 1)
    assert not (tmp_path / "bad").exists()


def test_analyze_on_hostile_inputs(hostile: dict[str, list[str]], tmp_path: Path) -> None:
    outcome = run_cli("analyze", "-o", str(tmp_path / "out"), "--", *hostile["heavy"], seconds=900)
    assert outcome.code == EXIT_OK, outcome.stderr[-2000:]
    assert outcome.peak_rss_mb < 2048
    outcome = run_cli("analyze", "--", *hostile["parsed"], seconds=600)
    assert outcome.code == EXIT_OK, outcome.stderr[-2000:]
    outcome = run_cli("analyze", "--", hostile["refused"][0], seconds=120)
    assert outcome.code == EXIT_INPUT
    _assert_error_lines(outcome, 1)


def test_batch_on_hostile_inputs(hostile: dict[str, list[str]], tmp_path: Path) -> None:
    files = hostile["parsed"] + hostile["refused"]
    listing = tmp_path / "inputs.list"
    listing.write_text("\n".join(files) + "\n")
    outcome = run_cli("batch", f"@{listing}", "-o", str(tmp_path / "out"), seconds=900)
    assert outcome.code == EXIT_PARTIAL, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    failed = [line for line in outcome.stderr.splitlines() if line.startswith("threadlens: failed:")]
    assert len(failed) == len(hostile["refused"])
    summary = f"{len(files)} threads: {len(hostile['parsed'])} processed"
    assert summary in outcome.stdout
    assert outcome.peak_rss_mb < 1536


def test_corpus_chart_leaves_out_dates_no_forum_has(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    import polars as pl

    from analysis.batch_work import THREADS_TABLE_SCHEMA
    from analysis.corpus_charts import corpus_figure

    moments = [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(2024, 5, 1, tzinfo=UTC),
    ]
    rows = [
        {
            "thread_id": str(n),
            "input": f"{n}.txt",
            "title": "t",
            "posts": 2,
            "authors": 1,
            "first_post_at": moment,
        }
        for n, moment in enumerate([*moments, None])
    ]
    figure = corpus_figure(pl.DataFrame(rows, schema={name: THREADS_TABLE_SCHEMA[name] for name in rows[0]}))
    figure.savefig(tmp_path / "corpus.png")  # year 1 once made matplotlib raise here
    titles = [axes.get_title() for axes in figure.axes]
    assert any("1 undated, 2 dated before 1970 or in the future" in title for title in titles), titles
