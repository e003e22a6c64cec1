"""Safe output: nothing from a thread becomes live markup or a path outside the output folder.

summary.md is rendered with a real Markdown renderer (mistune, which Jupyter's nbconvert uses) and
the HTML it gives is checked for tags, links and images: only the ones threadlens itself writes
(its charts) may appear. The notebook views of a Thread and an Analysis are checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import analysis
import threads
from analysis import report
from analysis.export import write_export
from threads.errors import OutputError
from threads.model import Thread

# Every way a post, a name or a title could try to become markup, a link or an image.
HOSTILE = [
    "<script>alert('s')</script>",
    "<img src=x onerror=alert('i')>",
    "<a href=\"javascript:alert('a')\">link</a>",
    "[x](javascript:alert('m'))",
    "![pixel](https://tracker.example/p.png)",
    "`code` and ```fenced```",
    "<iframe src=https://evil.example></iframe>",
    "[ref]: https://evil.example",
    "<https://auto.example/link>",
    "# heading | table | cell",
    "&lt;script&gt; already escaped",
]
HOSTILE_TEXT = " ".join(HOSTILE)


def hostile_thread() -> Thread:
    """A thread whose title, authors, posts and source all hold every hostile string."""
    body = "\n\n-------------------------\n\n".join(
        f"{author} | 2024-01-0{day} 10:00:00 UTC | #{day}\n\n{HOSTILE_TEXT} Steam engines matter, post {day}."
        for day, author in enumerate(["<b>ann</b>", "[bob](javascript:x)", "![c](x.png)"], start=1)
    )
    parsed = threads.parse(f"{body}\n", format="text", source="<script>x</script>.md")
    assert len(parsed.posts) == 3 and parsed.posts[0].author == "<b>ann</b>"
    return replace(parsed, title=HOSTILE_TEXT, warnings=(*parsed.warnings, HOSTILE_TEXT))


LIVE_TAG = re.compile(r"<(?:script|img|iframe|a|object|embed|svg|style|link|b|code|h\d)\b[^>]*>", re.I)


def test_summary_md_renders_no_markup_from_the_thread() -> None:
    mistune = pytest.importorskip("mistune")
    result = analysis.analyze(hostile_thread(), targets=HOSTILE[:4])
    summary = report.summary_markdown(result)
    rendered = mistune.html(summary)
    assert isinstance(rendered, str)
    tags = set(LIVE_TAG.findall(rendered))
    own = {f'<a href="{name}">' for name in report.CHARTS} | {'<img src="report.png" alt="overview" />'}
    own |= {"<h1>", "<h2>"}  # the title's heading, the sections'
    assert tags <= own, tags - own
    assert rendered.count("<h1>") == 1  # a title or post holding "# heading" added none
    assert "javascript:" not in rendered.replace("javascript:alert", "")  # only as escaped text
    # the hostile strings are still there, as text
    assert "&lt;script&gt;alert(" in rendered and "onerror=alert(" in rendered


@pytest.mark.parametrize("shown", ["thread", "analysis"])
def test_notebook_views_escape_thread_text(shown: str) -> None:
    thread = hostile_thread()
    view = thread._repr_html_() if shown == "thread" else analysis.analyze(thread)._repr_html_()
    tags = [tag for tag in LIVE_TAG.findall(view) if tag not in ("<h4>", "<style>")]  # the view's own
    assert tags == ["<b>"]  # the view's bold heading; none from the thread
    assert "&lt;script&gt;" in view and "&lt;b&gt;ann&lt;/b&gt;" in view


@pytest.mark.parametrize(
    ("source", "title", "expected"),
    [
        ("/etc/passwd", None, "passwd"),
        ("../../../../tmp/x.txt", None, "x"),
        ("..", "..", "thread-abc123"),
        (None, "../../outside", "outside"),
        (None, "/absolute/path", "absolute-path"),
        (None, "C:\\Windows\\system32", "C-Windows-system32"),
        (None, "\\\\server\\share", "server-share"),
        ("aux.html", None, "thread-aux"),
        ("LPT1.txt", None, "thread-LPT1"),
        (None, "com9.tar.gz", "thread-com9.tar.gz"),
        ("thread. .txt", None, "thread"),
        (None, "-rf --no-preserve-root", "rf---no-preserve-root"),
        (None, "a\x00b\nc", "a-b-c"),
        (None, "y" * 10_000, "y" * 80),
    ],
)
def test_names_from_titles_and_sources_stay_in_the_output_folder(
    source: str | None, title: str | None, expected: str, tmp_path: Path
) -> None:
    thread = Thread(id="abc123", title=title, source=source, format="text", language=None, posts=())
    name = report.report_name(thread)
    assert name == expected
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()
    assert not name.startswith((".", "-"))


def test_names_differing_only_in_case_get_distinct_folders() -> None:
    found = [
        Thread(id=f"{index:016x}", title=None, source=source, format="text", language=None, posts=())
        for index, source in enumerate(["in/Thread.md", "other/thread.md", "x/THREAD.txt", "y/thread.md"])
    ]
    names = report.unique_report_names(found)
    assert names[0] == "Thread"
    assert len({name.casefold() for name in names}) == len(names)


def test_json_export_refuses_ids_that_would_leave_the_folder(tmp_path: Path) -> None:
    thread = replace(threads.parse("hello there"), id="../../escape")
    with pytest.raises(OutputError, match="cannot name a file"):
        write_export([thread], tmp_path / "out", to="json")
    assert not (tmp_path / "escape.json").exists()
