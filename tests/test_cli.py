"""The command line: one-line errors with documented exit codes, JSON output."""

from __future__ import annotations

import importlib
import io
import json
import re
import sys
from pathlib import Path

import pytest

from analysis import progress
from analysis.cli import main
from threads.errors import EXIT_FORMAT, EXIT_INPUT, EXIT_INTERNAL, EXIT_PARTIAL

# `analysis.analyze` is the function; the module is reached by its name.
analyze_module = importlib.import_module("analysis.analyze")


def test_parse_json_has_thread_posts_quotes_edges(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(seeds_dir / "000_db2827ac553fc2ae.txt"), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"thread", "posts", "quotes", "edges"}


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", EXIT_INPUT, "input is empty"),
        (b"  \n\t\n", EXIT_INPUT, "input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", EXIT_INPUT, "binary"),
    ],
)
def test_bad_input_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: int, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "input is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "input looks binary"),
        ("cut.json", b'{"posts": [{"id": 1, "text": "a', "malformed JSON"),
    ],
)
def test_a_bad_file_in_a_folder_of_inputs_is_named_in_its_error(
    seeds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "000.txt").write_bytes((seeds_dir / "000_db2827ac553fc2ae.txt").read_bytes())
    (folder / name).write_bytes(content)
    for command in (["parse"], ["analyze"], ["export", "--to", "jsonl", "-o", str(tmp_path / "out")]):
        assert main([*command, str(folder)]) == EXIT_INPUT
        err = capsys.readouterr().err
        assert err.startswith(f"threadlens: error: {folder / name}: {message}") and err.count("\n") == 1


def test_a_report_error_names_its_input_once(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cut.json").write_bytes(b'{"posts": [')
    seed = str(seeds_dir / "000_db2827ac553fc2ae.txt")
    assert main(["report", "./cut.json", seed, "-o", "out"]) == EXIT_PARTIAL
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("threadlens: error:")]
    assert len(errors) == 1 and errors[0].count("cut.json") == 1 and "malformed JSON" in errors[0]


def test_a_bad_file_in_a_folder_costs_the_report_of_no_other_file(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "000.txt").write_bytes((seeds_dir / "000_db2827ac553fc2ae.txt").read_bytes())
    (folder / "cut.json").write_bytes(b'{"posts": [')
    (folder / "z.bin").write_bytes(b"\x00\x01 binary")
    assert main(["report", str(folder), "-o", str(tmp_path / "out")]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    assert captured.out.split() == [str(tmp_path / "out" / "000")]
    errors = [line for line in captured.err.splitlines() if line.startswith("threadlens: error:")]
    assert errors == [
        f"threadlens: error: {folder / 'cut.json'}: malformed JSON: Expecting value: line 1 column 12",
        f"threadlens: error: {folder / 'z.bin'}: input looks binary (it contains NUL bytes), not a thread",
    ]


def test_unknown_format_option_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse", "x.txt", "--format", "nope"])
    assert exit_info.value.code == 2


def test_missing_file_is_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/nonexistent/thread.txt"]) == EXIT_INPUT
    assert "no such file" in capsys.readouterr().err


def test_exit_code_constants_are_distinct() -> None:
    assert EXIT_INPUT != EXIT_FORMAT


# Progress on stderr (analysis/progress.py): stage lines for large inputs, nothing for the seeds.
SEED = "000_db2827ac553fc2ae.txt"
README = Path(__file__).parent.parent / "README.md"


def _readme_output(command: str) -> list[str]:
    """The lines README's session shows after `$ threadlens COMMAND`, up to the next command."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"$ threadlens {command}") + 1
    end = next(index for index in range(start, len(lines)) if lines[index].startswith(("$ ", "```")))
    return lines[start:end]


@pytest.mark.parametrize(
    "command",
    [
        ["parse", "seeds/*"],
        ["analyze", f"seeds/{SEED}"],
        ["report", f"seeds/{SEED}", "-o", "{out}"],
        ["export", f"seeds/{SEED}", "--to", "csv", "-o", "{out}"],
    ],
    ids=lambda command: command[0],
)
def test_seeds_print_no_progress(
    command: list[str],
    seeds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(seeds_dir.parent)  # the paths README shows
    seeds = [f"seeds/{path.name}" for path in sorted(seeds_dir.iterdir())] if command[1] == "seeds/*" else []
    arguments = [
        *([command[0], *seeds] if seeds else command[:2]),
        *(part.replace("{out}", str(tmp_path / "out")) for part in command[2:]),
    ]
    assert main(arguments) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    if command[0] in ("parse", "analyze"):  # README's session shows this output
        assert captured.out.splitlines() == _readme_output(" ".join(command))


def test_large_input_off_a_terminal_gets_stage_lines_on_stderr_only(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert main(["report", str(seeds_dir / SEED), "-o", str(out)]) == 0
    quiet = capsys.readouterr()
    # The seed taken for a large thread: the lines the 100,000-post thread gets.
    monkeypatch.setattr(progress, "LARGE_INPUT_BYTES", 1_000)
    monkeypatch.setattr(progress, "LARGE_THREAD_POSTS", 5)
    assert main(["report", str(seeds_dir / SEED), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == quiet.out == f"{out / SEED.removesuffix('.txt')}\n"
    seconds = r"in \d+(\.\d)? s"
    expected = [
        rf"threadlens: reading {SEED} \(0\.0 MB\)",
        rf"threadlens: read {SEED} {seconds}",
        r"threadlens: analyzing 9 posts",
        rf"threadlens: analyzed 9 posts {seconds}",
        r"threadlens: drawing 8 charts",
        rf"threadlens: drew 8 charts {seconds}",
    ]
    lines = captured.err.splitlines()
    assert len(lines) == len(expected) and all(map(re.fullmatch, expected, lines)), lines


def test_large_file_to_parse_gets_read_lines_with_the_default_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.jsonl"
    words = "the engines are still better than the ones we had before " * 16
    rows = [json.dumps({"id": str(n), "author": f"a{n % 50}", "text": f"{n} {words}"}) for n in range(2_200)]
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert big.stat().st_size > progress.LARGE_INPUT_BYTES
    assert main(["parse", str(big)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == "threadlens: reading big.jsonl (2.1 MB)" and len(lines) == 2
    assert re.fullmatch(r"threadlens: read big\.jsonl in \d+(\.\d)? s", lines[1])
    assert captured.out.splitlines()[1].split()[2] == "2200"  # the posts column of the table


def test_bad_large_input_error_follows_the_progress_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "LARGE_INPUT_BYTES", 10)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 4)
    assert main(["parse", str(bad)]) == EXIT_INPUT
    assert main(["analyze", str(bad)]) == EXIT_INPUT
    lines = capsys.readouterr().err.splitlines()
    assert lines[0::2] == ["threadlens: reading bad.txt (0.0 MB)"] * 2
    assert all(line.startswith("threadlens: error: ") and "binary" in line for line in lines[1::2])
    assert len(lines) == 4


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_failure_mid_analysis_on_a_terminal_ends_the_live_line_first(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "LARGE_THREAD_POSTS", 5)

    def broken(thread: object) -> None:
        raise RuntimeError("broken analysis")

    monkeypatch.setattr(analyze_module, "argument_sentences", broken)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["report", str(seeds_dir / SEED), "-o", str(tmp_path / "out")]) == EXIT_INTERNAL
    screen = [line.split("\r")[-1] for line in terminal.getvalue().replace("\x1b[K", "").split("\n")]
    assert re.fullmatch(r"analyzing \[#*\.*\] 4/5 arguments, \d+\.\d s", screen[0]), screen
    assert screen[1].startswith("threadlens: internal error: ") and "broken analysis" in screen[1]
    assert screen[2:] == [""]
