"""The command line: one-line errors with documented exit codes, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from threads.errors import EXIT_FORMAT, EXIT_INPUT


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


def test_unknown_format_option_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse", "x.txt", "--format", "nope"])
    assert exit_info.value.code == 2


def test_missing_file_is_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/nonexistent/thread.txt"]) == EXIT_INPUT
    assert "no such file" in capsys.readouterr().err


def test_exit_code_constants_are_distinct() -> None:
    assert EXIT_INPUT != EXIT_FORMAT
