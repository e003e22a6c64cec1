"""Atomic writes: a failure leaves the previous output whole and no temporary files behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.outputs import replacing_directory, replacing_file, write_text_atomic


def test_failed_file_write_keeps_previous_content(tmp_path: Path) -> None:
    target = write_text_atomic(tmp_path / "out.json", "old")
    with pytest.raises(RuntimeError), replacing_file(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


def test_failed_directory_write_keeps_previous_folder(tmp_path: Path) -> None:
    target = tmp_path / "report"
    with replacing_directory(target) as folder:
        (folder / "a.png").write_bytes(b"one")
    with pytest.raises(RuntimeError), replacing_directory(target) as folder:
        (folder / "a.png").write_bytes(b"two")
        raise RuntimeError("killed")
    assert (target / "a.png").read_bytes() == b"one"
    assert [path.name for path in tmp_path.iterdir()] == ["report"]
