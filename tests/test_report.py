"""Reports: one safe folder per thread with valid PNGs and an inert summary.md, swapped in atomically."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.text import Text

import analysis
import threads
from analysis import charts, report
from analysis.cli import main
from threads.errors import EXIT_INPUT, EXIT_PARTIAL, OutputError
from threads.plural import counted

SEED_000 = "000_db2827ac553fc2ae.txt"
EXPECTED_FILES = {*report.CHARTS, "summary.md"}
STANCES = ("agree", "disagree", "neutral")


def assert_valid_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path.name} is not a PNG"
    assert len(data) > 5_000, f"{path.name} is only {len(data)} bytes"
    image = imread(io.BytesIO(data))
    assert image.ndim == 3 and min(image.shape[:2]) >= 300
    assert float(np.std(image[..., :3])) > 0.02, f"{path.name} is a single colour"


def drawn_text(figure: Figure) -> str:
    figure.canvas.draw()
    return " ".join(text.get_text().replace("\n", " ") for text in figure.findobj(Text))


def test_seed_report_has_every_chart_as_a_valid_png(tmp_path: Path, seeds_dir: Path) -> None:
    folder = report.write_report(threads.read(seeds_dir / SEED_000), tmp_path)
    assert folder == tmp_path / "000_db2827ac553fc2ae"
    assert {path.name for path in folder.iterdir()} == EXPECTED_FILES
    for name in report.CHARTS:
        assert_valid_png(folder / name)
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# News on China's scientific and technological development.\n")
    assert all(f"]({name})" in summary for name in report.CHARTS)
    assert [path.name for path in tmp_path.iterdir()] == ["000_db2827ac553fc2ae"]  # no temporary left


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Only one post here, with no answer at all.", "no quotes or replies in this thread"),
        ("这是一个只有中文的帖子。没有人回复。", "no quotes or replies in this thread"),
    ],
)
def test_tiny_and_chinese_only_threads_still_get_a_sensible_report(
    tmp_path: Path, text: str, reason: str
) -> None:
    thread = threads.parse(text, source="tiny.txt")
    folder = report.write_report(thread, tmp_path)
    assert {path.name for path in folder.iterdir()} == EXPECTED_FILES
    for name in report.CHARTS:
        assert_valid_png(folder / name)
    figures = report.build_figures(analysis.analyze(thread))
    assert reason in drawn_text(figures["thread_arcs.png"]())
    assert "a single post: nothing quotes or answers it" in drawn_text(figures["reply_tree.png"]())
    assert "no quotes or replies in this thread" in drawn_text(figures["agreement_matrix.png"]())
    assert "no argument chains" in drawn_text(figures["argument_chains.png"]())
    assert "no post is quoted by another post" in drawn_text(figures["structure_profile.png"]())
    tone = drawn_text(figures["tone_along_thread.png"]())
    assert ("no English text to score" in tone) == text.startswith("这")


@pytest.mark.parametrize(
    ("source", "title", "expected"),
    [
        ("seeds/000_db2827ac553fc2ae.txt", None, "000_db2827ac553fc2ae"),
        ("../../etc/passwd", None, "passwd"),
        ("C:\\Users\\x\\..\\thread page.html", None, "thread-page"),
        (None, "What is China’s leading technology?", "What-is-Chinas-leading-technology"),
        (None, "CON", "thread-CON"),
        ("nul.txt", None, "thread-nul"),
        (None, "....", "thread-abc123"),
        (None, "真相集中营", "thread-abc123"),
        (None, "x" * 300, "x" * 80),
    ],
)
def test_report_folder_names_are_safe(source: str | None, title: str | None, expected: str) -> None:
    thread = threads.Thread(id="abc123", title=title, source=source, format="text", language=None, posts=())
    assert report.report_name(thread) == expected


def test_unsafe_explicit_name_is_refused(tmp_path: Path, seeds_dir: Path) -> None:
    with pytest.raises(ValueError, match="unsafe report folder name"):
        report.write_report(threads.read(seeds_dir / SEED_000), tmp_path, name="../outside")


def test_failed_report_keeps_the_previous_one(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = threads.parse("A short thread that will be reported twice.", source="twice.txt")
    folder = report.write_report(thread, tmp_path)
    before = (folder / "report.png").read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(charts, "reply_tree", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        report.write_report(thread, tmp_path)
    assert (folder / "report.png").read_bytes() == before
    assert {path.name for path in folder.iterdir()} == EXPECTED_FILES
    assert [path.name for path in tmp_path.iterdir()] == ["twice"]


def test_summary_escapes_thread_text() -> None:
    title = "<script>alert(1)</script> [click](http://evil.example) ![img](x.png) # not a heading | cell"
    thread = threads.parse(f"{title}\n\nbody text", source="evil.txt")
    summary = report.summary_markdown(analysis.analyze(thread))
    first = summary.splitlines()[0]
    assert "<script>" not in summary and "&lt;script&gt;" in first
    assert "](http" not in summary and "\\[click\\]\\(http" in first
    assert "\\| cell" in first and "\\# not" in first


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a_b*c", "a\\_b\\*c"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("line one\n# two", "line one \\# two"),
        ("see https://x.example or www.y.example", "see https:\\/\\/x.example or www\\.y.example"),
        (None, ""),
    ],
)
def test_markdown_escape(raw: str | None, escaped: str) -> None:
    assert report.markdown_escape(raw) == escaped


def test_cli_reports_several_files_and_isolates_a_failing_one(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "reports"
    code = main(["report", str(seeds_dir / SEED_000), str(empty), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == EXIT_PARTIAL
    assert (out / "000_db2827ac553fc2ae" / "report.png").exists()
    errors = [line for line in captured.err.splitlines() if "error" in line]
    assert len(errors) == 1 and "input is empty" in errors[0] and "Traceback" not in captured.err
    assert str(empty) in errors[0]  # with several inputs every error line names its input
    assert f"threadlens: [2/2] {seeds_dir / SEED_000}" in captured.err  # progress of a run of several files
    assert captured.out.strip() == str(out / "000_db2827ac553fc2ae")


def test_cli_exit_code_is_the_failure_when_every_input_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out")]) == EXIT_INPUT
    assert capsys.readouterr().err.count("\n") == 1


PLURAL_SLIP = re.compile(
    r"(?<![\d.,])1 (posts|links|quotes|roots|steps|authors|named authors|chains|targets)\b"
)


def test_headline_counts_stance_on_quote_and_reply_links_only(seeds_dir: Path) -> None:
    result = analysis.analyze(threads.read(seeds_dir / SEED_000))
    declared = result.stance.filter(pl.col("kind") != "inferred")
    inferred = result.stance.filter(pl.col("kind") == "inferred")
    assert declared.height and inferred.height, "seed 000 has both quote links and inferred ones"
    agree, disagree, neutral = (declared["stance"].to_list().count(value) for value in STANCES)
    summary = report.summary_markdown(result)
    assert (
        f"| stance on quote/reply links | {agree} agree, {disagree} disagree, {neutral} neutral "
        f"({declared.height} quote/reply links) |" in summary
    )
    guessed = [inferred["stance"].to_list().count(value) for value in STANCES]
    assert (
        f"{guessed[0]} agree, {guessed[1]} disagree, {guessed[2]} neutral ({inferred.height} inferred"
        in summary
    )
    figures = report.build_figures(result)
    assert f"on quote/reply links {agree} agree / {disagree} disagree" in drawn_text(figures["report.png"]())
    matrix = drawn_text(figures["agreement_matrix.png"]())
    assert (
        f"{declared.height} quote/reply links" in matrix
        and f"{inferred.height} inferred links not counted" in matrix
    )


def test_one_post_report_says_one_post_not_one_posts() -> None:
    result = analysis.analyze(threads.parse("Only one post here, with no answer at all.", source="one.txt"))
    summary = report.summary_markdown(result)
    drawn = []
    for build in report.build_figures(result).values():
        figure = build()
        figure.canvas.draw()
        drawn += [text.get_text().replace("\n", " ") for text in figure.findobj(Text)]
    assert any("1 post ·" in text for text in drawn) and "over 1 of 1 post (English)" in summary
    slips = [text for text in [summary, *drawn] if PLURAL_SLIP.search(text)]
    assert not slips, slips


@pytest.mark.parametrize(
    ("count", "noun", "plural", "expected"),
    [(0, "post", None, "0 posts"), (1, "post", None, "1 post"), (2, "reply", "replies", "2 replies")],
)
def test_counted(count: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(count, noun, plural) == expected


def test_counts_read_by_people_separate_thousands() -> None:
    assert counted(131_802, "link") == "131,802 links"
    assert counted(1, "reply", "replies") == "1 reply"
    assert counted(1_000, "reply", "replies") == "1,000 replies"
