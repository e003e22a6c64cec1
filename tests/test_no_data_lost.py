"""No data lost: report, export, analyze and batch under injected faults keep every previous good output.

Faults are injected where the operating system would raise them: a full disk in the writers
(matplotlib's savefig, polars' write_parquet pointed at /dev/full, Path.write_bytes/write_text),
permission denied where the temporary file or folder is created, and SIGKILL while a writer is
in the middle of a file. Each case asserts: one-line error, exit 5 (or 6 when other inputs
succeeded), previous outputs byte-identical, no temporary files left, and the next run succeeds.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from matplotlib.figure import Figure

from analysis.cli import main
from analysis.outputs import replacing_directory, sweep_leftovers
from tests.conftest import ROOT
from threads.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_PARTIAL, OutputError

THREAD = (
    "ann | 2024-01-01 10:00:00 UTC | #1\n\nThe first post says {topic} engines are great for research.\n\n"
    "-------------------------\n\n"
    'bob | 2024-01-01 11:00:00 UTC | #2\n\n[quote="ann, post:1"]\n'
    "The first post says {topic} engines are great for research.\n[/quote]\n\n"
    "I disagree, {topic} engines are terrible and slow.\n\n"
    "-------------------------\n\n"
    "cat | 2024-01-02 09:00:00 UTC | #3\n\nBoth of you miss the point about {topic}.\n"
)
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def write_thread(path: Path, topic: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(THREAD.format(topic=topic), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob(".*") if path.name.endswith((".tmp", ".old"))]


def assert_one_line_error(err: str, phrase: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("threadlens: error:")]
    assert lines, err
    assert "Traceback" not in err
    assert any(phrase in line for line in lines), err


# ---------------------------------------------------------------------------------------------
# Injected faults


class FailingWriters:
    """Make the `fail_at`-th write (of any writer) fail as a full disk would, after a partial write.

    Only writes to paths for which `when(path)` holds are counted (and can fail).
    """

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, *, fail_at: int, when: Callable[[Path], bool]
    ) -> None:
        self.calls = 0
        write_parquet = pl.DataFrame.write_parquet

        def failing(original: Callable[..., Any], *, on_path: bool) -> Callable[..., Any]:
            def writer(subject: Any, argument: Any, *args: Any, **kwargs: Any) -> Any:
                target = Path(subject) if on_path else Path(argument)
                if when(target):
                    self.calls += 1
                    if self.calls == fail_at:
                        with open(target, "wb") as partial:
                            partial.write(b"half a file")
                        if original is write_parquet and Path("/dev/full").exists():
                            return write_parquet(subject, "/dev/full")  # polars' own disk-full error
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
                return original(subject, argument, *args, **kwargs)

            return writer

        monkeypatch.setattr(Figure, "savefig", failing(Figure.savefig, on_path=False))
        monkeypatch.setattr(pl.DataFrame, "write_parquet", failing(write_parquet, on_path=False))
        monkeypatch.setattr(Path, "write_bytes", failing(Path.write_bytes, on_path=True))
        monkeypatch.setattr(Path, "write_text", failing(Path.write_text, on_path=True))


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FailingWriters]:
    def install(fail_at: int, when: Callable[[Path], bool] = lambda path: True) -> FailingWriters:
        return FailingWriters(monkeypatch, fail_at=fail_at, when=when)

    return install


@pytest.fixture
def permission_denied(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Creating a file or folder under `folder` fails as it does in a read-only folder."""

    def install(folder: Path) -> None:
        def refusing(original: Callable[..., Any]) -> Callable[..., Any]:
            def create(suffix: Any = None, prefix: Any = None, dir: Any = None, *rest: Any) -> Any:
                if dir is not None and Path(dir).is_relative_to(folder):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
                return original(suffix, prefix, dir, *rest)

            return create

        monkeypatch.setattr(tempfile, "mkstemp", refusing(tempfile.mkstemp))
        monkeypatch.setattr(tempfile, "mkdtemp", refusing(tempfile.mkdtemp))

    return install


# A child process whose `HOOK_CALL`-th write stops half-way (after writing part of the file) and
# signals the test through `HOOK_MARKER`, so the SIGKILL lands in the middle of a write, every time.
SLOW_WRITER = """
import os, sys, time
from pathlib import Path
import polars as pl
from matplotlib.figure import Figure

calls = 0

def stalling(original, on_path):
    def writer(subject, argument, *args, **kwargs):
        global calls
        calls += 1
        if calls == int(os.environ["HOOK_CALL"]):
            with open(subject if on_path else argument, "wb") as partial:
                partial.write(b"half a file")
            open(os.environ["HOOK_MARKER"], "w").close()
            time.sleep(600)
        return original(subject, argument, *args, **kwargs)
    return writer

Figure.savefig = stalling(Figure.savefig, False)
pl.DataFrame.write_parquet = stalling(pl.DataFrame.write_parquet, False)
Path.write_bytes = stalling(Path.write_bytes, True)
Path.write_text = stalling(Path.write_text, True)
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def kill_mid_write(tmp_path: Path, *args: str, call: int) -> None:
    """Run `threadlens ARGS` with its `call`-th write stalled half-way, and SIGKILL it there."""
    marker = tmp_path / "writing"
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HOOK_CALL": str(call), "HOOK_MARKER": str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            if process.poll() is not None:
                assert process.stderr is not None
                pytest.fail(f"ended before the stalled write: {process.stderr.read().decode()[-2000:]}")
            assert time.monotonic() < deadline, "the stalled write never came"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()


# ---------------------------------------------------------------------------------------------
# report


@pytest.fixture(scope="module")
def first_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reports of two small threads (a.md, b.md), made once; tests copy the folder."""
    root = tmp_path_factory.mktemp("report")
    inputs = [write_thread(root / "in" / "a.md", "steam"), write_thread(root / "in" / "b.md", "diesel")]
    assert main(["report", *map(str, inputs), "-o", str(root / "out")]) == EXIT_OK
    return root


@pytest.fixture
def report_copy(first_report: Path, tmp_path: Path) -> Path:
    shutil.copytree(first_report, tmp_path, dirs_exist_ok=True)
    for name, topic in (("a.md", "rocket"), ("b.md", "jet")):  # new content: the new report would differ
        write_thread(tmp_path / "in" / name, topic)
    return tmp_path


@pytest.mark.parametrize("fail_at", [1, 5, 9], ids=["first chart", "a middle chart", "summary.md"])
def test_report_disk_full_keeps_the_previous_report(
    report_copy: Path,
    disk_full: Callable[..., FailingWriters],
    capsys: pytest.CaptureFixture[str],
    fail_at: int,
) -> None:
    out = report_copy / "out"
    before = snapshot(out)
    disk_full(fail_at)
    assert main(["report", str(report_copy / "in" / "a.md"), "-o", str(out)]) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "No space left on device")
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_report_permission_denied_keeps_the_previous_report(
    report_copy: Path, permission_denied: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    out = report_copy / "out"
    before = snapshot(out)
    permission_denied(out)
    assert main(["report", str(report_copy / "in" / "a.md"), "-o", str(out)]) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "Permission denied")
    assert snapshot(out) == before


def test_report_failing_thread_keeps_its_previous_report(
    report_copy: Path, disk_full: Callable[..., FailingWriters], capsys: pytest.CaptureFixture[str]
) -> None:
    out = report_copy / "out"
    before = snapshot(out)
    disk_full(1, when=lambda path: path.parent.name.startswith(".b."))  # only b's report fails
    inputs = [str(report_copy / "in" / name) for name in ("a.md", "b.md")]
    assert main(["report", *inputs, "-o", str(out)]) == EXIT_PARTIAL
    assert_one_line_error(capsys.readouterr().err, "No space left on device")
    after = snapshot(out)
    assert {name: data for name, data in after.items() if name.startswith("b/")} == {
        name: data for name, data in before.items() if name.startswith("b/")
    }
    assert after["a/summary.md"] != before["a/summary.md"]  # a's new report is in
    # b's input turns unreadable: its previous report still stays
    (report_copy / "in" / "b.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert main(["report", *inputs, "-o", str(out)]) == EXIT_PARTIAL
    assert snapshot(out)["b/summary.md"] == before["b/summary.md"]
    assert leftovers(out) == []


def test_report_killed_mid_write_keeps_the_previous_report(report_copy: Path) -> None:
    out = report_copy / "out"
    before = snapshot(out)
    kill_mid_write(report_copy, "report", str(report_copy / "in" / "a.md"), "-o", str(out), call=4)
    visible = {name: data for name, data in snapshot(out).items() if not name.startswith(".")}
    assert visible == before  # the killed run's half-written folder is hidden beside it
    assert main(["report", str(report_copy / "in" / "a.md"), "-o", str(out)]) == EXIT_OK
    assert snapshot(out)["a/summary.md"] != before["a/summary.md"]
    assert leftovers(out) == []  # the next run swept the killed run's temporary folder


# ---------------------------------------------------------------------------------------------
# export


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export per format of two small threads, made once; tests copy the folder."""
    root = tmp_path_factory.mktemp("export")
    inputs = [write_thread(root / "in" / "a.md", "steam"), write_thread(root / "in" / "b.md", "diesel")]
    for to in ("parquet", "csv", "jsonl", "json", "convokit"):
        assert main(["export", *map(str, inputs), "--to", to, "-o", str(root / to)]) == EXIT_OK
    return root


@pytest.fixture
def export_copy(exports: Path, tmp_path: Path) -> Path:
    shutil.copytree(exports, tmp_path, dirs_exist_ok=True)
    for name, topic in (("a.md", "rocket"), ("b.md", "jet")):
        write_thread(tmp_path / "in" / name, topic)
    return tmp_path


def _export(root: Path, to: str) -> int:
    inputs = [str(root / "in" / name) for name in ("a.md", "b.md")]
    return main(["export", *inputs, "--to", to, "-o", str(root / to)])


@pytest.mark.parametrize(
    ("to", "fail_at"),
    [("parquet", 1), ("parquet", 3), ("csv", 4), ("jsonl", 2), ("json", 2), ("convokit", 3)],
)
def test_export_disk_full_keeps_the_previous_export(
    export_copy: Path,
    disk_full: Callable[..., FailingWriters],
    capsys: pytest.CaptureFixture[str],
    to: str,
    fail_at: int,
) -> None:
    before = snapshot(export_copy / to)
    disk_full(fail_at)
    assert _export(export_copy, to) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "No space left on device")
    after = snapshot(export_copy / to)
    if to == "json":  # a file per thread id (new content, new id): the first new file is in, all old stay
        assert {name: after[name] for name in before} == before
        assert len(after) == len(before) + 1
    else:
        assert after == before
    assert leftovers(export_copy) == []


@pytest.mark.parametrize("to", ["parquet", "convokit"])
def test_export_permission_denied_keeps_the_previous_export(
    export_copy: Path, permission_denied: Callable[[Path], None], capsys: pytest.CaptureFixture[str], to: str
) -> None:
    before = snapshot(export_copy / to)
    permission_denied(export_copy)
    assert _export(export_copy, to) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "Permission denied")
    assert snapshot(export_copy / to) == before


def test_export_with_an_unreadable_input_keeps_the_previous_export(
    export_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(export_copy / "parquet")
    (export_copy / "in" / "b.md").write_bytes(b"")
    assert _export(export_copy, "parquet") == EXIT_INPUT
    assert_one_line_error(capsys.readouterr().err, "empty")
    assert snapshot(export_copy / "parquet") == before


@pytest.mark.parametrize("to", ["parquet", "convokit"])
def test_export_killed_mid_write_keeps_the_previous_export(export_copy: Path, to: str) -> None:
    before = snapshot(export_copy / to)
    inputs = [str(export_copy / "in" / name) for name in ("a.md", "b.md")]
    command = ["export", *inputs, "--to", to, "-o", str(export_copy / to)]
    kill_mid_write(export_copy, *command, call=3)  # the third of four tables, of five corpus files
    visible = {name: data for name, data in snapshot(export_copy / to).items() if "/." not in f"/{name}"}
    assert visible == before
    assert main(command) == EXIT_OK
    assert snapshot(export_copy / to) != before
    assert leftovers(export_copy) == []


# ---------------------------------------------------------------------------------------------
# analyze -o


def test_analyze_disk_full_keeps_the_previous_tables(
    tmp_path: Path, disk_full: Callable[..., FailingWriters], capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_thread(tmp_path / "in" / "a.md", "steam")
    assert main(["analyze", str(source), "-o", str(tmp_path / "out")]) == EXIT_OK
    before = snapshot(tmp_path / "out")
    write_thread(source, "rocket")
    disk_full(4)
    assert main(["analyze", str(source), "-o", str(tmp_path / "out")]) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "No space left on device")
    assert snapshot(tmp_path / "out") == before
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------------------------
# batch


def _outputs(out: Path) -> dict[str, bytes]:
    """A batch folder's outputs (tables, reports, corpus chart), without its run records and state."""
    return {
        name: data
        for name, data in snapshot(out).items()
        if name.startswith(("tables/", "threads/")) or name == "corpus.png"
    }


@pytest.fixture(scope="module")
def first_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch over three small threads, with reports, made once; tests copy the folder."""
    root = tmp_path_factory.mktemp("batch")
    for name, topic in (("a.md", "steam"), ("b.md", "diesel"), ("c.md", "solar")):
        write_thread(root / "in" / name, topic)
    assert main(["batch", str(root / "in"), "-o", str(root / "out")]) == EXIT_OK
    return root


@pytest.fixture
def batch_copy(first_batch: Path, tmp_path: Path) -> Path:
    shutil.copytree(first_batch, tmp_path, dirs_exist_ok=True)
    # inputs are remembered by absolute path: the copy's state names the copied inputs
    state = tmp_path / "out" / "state.json"
    state.write_text(state.read_text().replace(str(first_batch), str(tmp_path)))
    write_thread(tmp_path / "in" / "b.md", "jet")  # one changed input
    return tmp_path


@pytest.mark.parametrize("fail_at", [1, 8, 20], ids=["first table", "a middle table", "a report file"])
def test_batch_disk_full_keeps_the_previous_outputs(
    batch_copy: Path,
    disk_full: Callable[..., FailingWriters],
    capsys: pytest.CaptureFixture[str],
    fail_at: int,
) -> None:
    out = batch_copy / "out"
    before = _outputs(out)
    # writes into OUT: the changed thread's 14 tables, its 9 report files, corpus.png
    disk_full(fail_at, when=lambda path: path.is_relative_to(out))
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "No space left on device")
    assert _outputs(out) == before
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_OK
    assert _outputs(out) != before
    assert leftovers(out) == []


def test_batch_permission_denied_keeps_the_previous_outputs(
    batch_copy: Path, permission_denied: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    out = batch_copy / "out"
    before = _outputs(out)
    permission_denied(out / "tables")
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_OUTPUT
    assert_one_line_error(capsys.readouterr().err, "Permission denied")
    assert _outputs(out) == before


def test_batch_killed_mid_write_keeps_the_previous_outputs(batch_copy: Path) -> None:
    out = batch_copy / "out"
    before = _outputs(out)
    # writes of the changed thread: its report's charts are drawn in the worker (8 PNGs), then
    # its tables are written by the parent: stall in the third table
    kill_mid_write(batch_copy, "batch", str(batch_copy / "in"), "-o", str(out), call=11)
    visible = {name: data for name, data in _outputs(out).items() if "/." not in f"/{name}"}
    assert visible == before
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_OK
    assert _outputs(out) != before
    assert leftovers(out) == []


def test_batch_failing_thread_keeps_its_previous_outputs(
    batch_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = batch_copy / "out"
    write_thread(batch_copy / "in" / "b.md", "diesel")  # back to the first run's content
    before = _outputs(out)
    (batch_copy / "in" / "b.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # now it fails
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_PARTIAL
    assert "binary" in capsys.readouterr().err
    assert _outputs(out) == before
    assert (
        main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_PARTIAL
    )  # still failing, still kept
    assert _outputs(out) == before
    (batch_copy / "in" / "b.md").unlink()  # removed: now its outputs go
    assert main(["batch", str(batch_copy / "in"), "-o", str(out)]) == EXIT_OK
    assert len({name.split("/")[1] for name in _outputs(out) if name.startswith("threads/")}) == 2


# ---------------------------------------------------------------------------------------------
# outputs.py itself


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied"), replacing_directory(tmp_path / "report"):
            pass
    finally:
        tmp_path.chmod(0o755)


def test_a_folder_moved_aside_by_a_killed_writer_is_put_back(tmp_path: Path) -> None:
    # the two-step swap (no renameat2): a kill between its renames leaves only `.name.<owner>.old`
    aside = tmp_path / ".report.host~999999999.old"
    aside.mkdir()
    (aside / "summary.md").write_text("previous")
    sweep_leftovers(tmp_path, any_owner=True)
    assert (tmp_path / "report" / "summary.md").read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_only_leftovers_of_dead_writers_are_swept(tmp_path: Path) -> None:
    with replacing_directory(tmp_path / "report") as folder:
        (folder / "a.txt").write_text("one")
        sweep_leftovers(tmp_path)  # the live writer's temporary folder stays
        assert folder.exists()
    assert (tmp_path / "report" / "a.txt").read_text() == "one"


def test_outputs_get_the_usual_mode_not_a_private_one(tmp_path: Path) -> None:
    with replacing_directory(tmp_path / "report") as folder:
        (folder / "a.txt").write_text("one")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "report").stat().st_mode & 0o777 == 0o777 & ~umask
