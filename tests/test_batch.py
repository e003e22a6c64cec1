"""Batch runs: failures isolated, incremental re-runs, kill safety, the lock, identical parallel outputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.batch import run_batch
from analysis.batch_inputs import find_inputs, page_key
from analysis.batch_state import holding_lock
from analysis.batch_store import is_complete, partition_path, process_and_write
from analysis.batch_work import ThreadTask
from analysis.cli import main
from analysis.corpus_charts import corpus_figure
from tests.conftest import ROOT, corpus_path
from threads.errors import EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

BROKEN = {
    "empty.txt": b"",
    "binary.dat": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "malformed.json": b'{"post_stream": {"posts": [{"id": 1, "cooked": "<p>unfinished',
}
CORPUS_FILES = [
    ("discourse", "removing-lua-bindings.7149.raw.md"),
    ("discourse", "removing-lua-bindings.7149.json"),
    ("html", "vBulletin4.html"),
    ("iac-4forums", "discussion_255.json"),
]


def tables(out: Path) -> dict[str, pl.DataFrame]:
    """Every corpus-wide table of a batch output, read lazily as users do, in a stable row order."""
    root = out / "tables"
    return {
        table.name: pl.scan_parquet(table / "**" / "*.parquet").collect().sort(pl.all())
        for table in sorted(root.iterdir())
    }


def last_summary(out: Path) -> dict[str, object]:
    runs = sorted((out / "runs").glob("*.json"))
    return dict(json.loads(runs[-1].read_text()))


def assert_consistent(out: Path) -> None:
    """One threads row per thread id, every table's rows belong to such a thread, posts add up."""
    frames = tables(out)
    ids = frames["threads"].get_column("thread_id")
    assert ids.n_unique() == len(ids)
    for name, frame in frames.items():
        assert set(frame.get_column("thread_id").unique()) <= set(ids), name
    counted = frames["posts"].group_by("thread_id").len().rename({"len": "posts"})
    expected = frames["threads"].select("thread_id", pl.col("posts").cast(pl.UInt32))
    assert_frame_equal(counted.sort("thread_id"), expected.sort("thread_id"), check_dtypes=False)
    assert not [path for path in out.rglob("*") if path.name.endswith((".tmp", ".old"))]


@pytest.fixture
def inbox(tmp_path: Path, seeds_dir: Path) -> Path:
    """Seed copies, broken files, and a list file naming corpus files in place."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in sorted(seeds_dir.iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())
    for name, data in BROKEN.items():
        (folder / name).write_bytes(data)
    html = corpus_path("html", "vBulletin4.html").read_bytes()
    (folder / "truncated.html").write_bytes(html[: len(html) // 3])
    listed = [str(corpus_path(*parts)) for parts in CORPUS_FILES]
    (tmp_path / "corpus.list").write_text("# corpus files, read in place\n" + "\n".join(listed) + "\n")
    return folder


def run(inbox: Path, out: Path, *extra: str) -> int:
    """A batch over the inbox and the listed corpus files; reports off (they have a test of their own)."""
    listed = f"@{inbox.parent / 'corpus.list'}"
    return main(["batch", str(inbox), listed, "-o", str(out), "--no-reports", *extra])


def test_batch_isolates_failures_and_exits_partial(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == EXIT_PARTIAL
    summary = last_summary(out)
    failures = {Path(str(f["input"])).name: str(f["error"]) for f in summary["failures"]}  # type: ignore[attr-defined]
    assert "input is empty" in failures["empty.txt"]
    assert "binary" in failures["binary.dat"]
    assert "malformed.json" in failures
    assert all("\n" not in reason for reason in failures.values())
    assert not {path.name for path in inbox.glob("0*.txt")} & set(failures)  # every seed processed
    assert summary["seen"] == 5 + len(BROKEN) + 1 + len(CORPUS_FILES)
    assert summary["processed"] + summary["failed"] == summary["seen"]  # type: ignore[operator]
    frames = tables(out)
    assert frames["threads"].height == summary["processed"]
    assert {"posts", "quotes", "edges", "stance", "chains", "metrics", "tone_posts", "threads"} <= set(frames)
    assert_consistent(out)
    assert (out / "corpus.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len((out / "runs.log").read_text().splitlines()) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "failed: " in err


def test_unchanged_rerun_parses_nothing_and_keeps_tables(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(inbox, out)
    before = tables(out)
    assert run(inbox, out) == EXIT_PARTIAL  # the broken files still fail, unchanged
    summary = last_summary(out)
    assert (summary["processed"], summary["failed"]) == (0, 0)
    assert summary["skipped"] == summary["seen"]
    assert all(failure["unchanged"] for failure in summary["failures"])  # type: ignore[attr-defined]
    after = tables(out)
    for name, frame in before.items():
        assert_frame_equal(after[name], frame)
    assert len((out / "runs.log").read_text().splitlines()) == 2


def test_changed_file_recomputes_only_its_thread(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(inbox, out)
    seed = inbox / "002_75872068ec0201a3.txt"
    old_id = tables(out)["threads"].filter(pl.col("input") == str(seed)).get_column("thread_id").item()
    seed.write_bytes(seed.read_bytes() + b"\n\nA late reply that changes the file.\n")
    run(inbox, out)
    summary = last_summary(out)
    assert summary["processed"] == 1
    assert [row["input"] for row in summary["threads"]] == [str(seed)]  # type: ignore[attr-defined]
    frames = tables(out)
    assert old_id not in set(frames["posts"].get_column("thread_id"))
    assert frames["threads"].filter(pl.col("input") == str(seed)).height == 1
    assert_consistent(out)


def test_deleted_input_loses_its_rows_and_force_recomputes_all(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(inbox, out)
    gone = inbox / "003_ac9209e5bc8b5437.txt"
    gone.unlink()
    run(inbox, out)
    summary = last_summary(out)
    assert (summary["removed"], summary["processed"]) == (1, 0)
    assert str(gone) not in set(tables(out)["threads"].get_column("input"))
    assert_consistent(out)
    run(inbox, out, "--force")
    summary = last_summary(out)
    assert summary["skipped"] == 0 and summary["processed"] == tables(out)["threads"].height


def test_touched_but_identical_file_is_not_recomputed(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(inbox, out)
    seed = inbox / "000_db2827ac553fc2ae.txt"
    os.utime(seed, ns=(1, 1))
    run(inbox, out)
    assert last_summary(out)["processed"] == 0


@pytest.mark.parametrize(
    ("name", "key", "page"),
    [
        ("/f/thread.html", "/f/thread.html", 1),
        ("/f/thread.page2.html", "/f/thread.html", 2),
        ("/f/thread.page10.html", "/f/thread.html", 10),
        ("/f/thread.page0.html", "/f/thread.page0.html", 1),
        ("/f/a.b.page3.json", "/f/a.b.json", 3),
        ("/f/notes.page2", "/f/notes", 2),
    ],
)
def test_page_naming_rule(name: str, key: str, page: int) -> None:
    assert page_key(name) == (key, page)


def test_pages_of_one_thread_are_grouped_in_order(tmp_path: Path) -> None:
    for name in ["t.page10.html", "t.html", "t.page2.html", "u.html", ".hidden.html"]:
        (tmp_path / name).write_text("x")
    groups = find_inputs([str(tmp_path)])
    assert [(Path(g.key).name, [Path(p).name for p in g.pages]) for g in groups] == [
        ("t.html", ["t.html", "t.page2.html", "t.page10.html"]),
        ("u.html", ["u.html"]),
    ]


def test_output_folder_inside_input_is_not_read(inbox: Path) -> None:
    out = inbox / "out"
    run(inbox, out)
    run(inbox, out)
    assert not any("/out/" in str(row) for row in tables(out)["threads"].get_column("input"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batch", "/nonexistent/inbox", "-o", "{out}"], "no such file or folder"),
        (["batch", "{seeds}", "-o", "{out}", "--jobs", "0"], "--jobs must be at least 1"),
        (["batch", "@/nonexistent.list", "-o", "{out}"], "list file"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], message: str, tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = [arg.format(out=tmp_path / "out", seeds=seeds_dir) for arg in argv]
    assert main(filled) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def many_threads(folder: Path, seeds_dir: Path, copies: int) -> Path:
    """Distinct real threads: each seed with a numbered closing line, so every file has its own id."""
    folder.mkdir(parents=True)
    for number in range(copies):
        for seed in sorted(seeds_dir.iterdir()):
            text = seed.read_bytes() + f"\n\nCopy {number} of this page.\n".encode()
            (folder / f"{seed.stem}-{number:03d}.txt").write_bytes(text)
    return folder


@pytest.fixture
def batch_process(tmp_path: Path, seeds_dir: Path) -> Iterator[tuple[Path, Path, subprocess.Popen[str]]]:
    inputs = many_threads(tmp_path / "many", seeds_dir, copies=4)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis", "batch", str(inputs), "-o", str(out), "--no-reports"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    yield inputs, out, process
    if process.poll() is None:
        process.kill()
    process.wait()
    assert process.stderr is not None
    process.stderr.close()


def wait_for_line(process: subprocess.Popen[str], fragment: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if fragment in line:
            return
    pytest.fail(f"the batch ended before printing {fragment!r}")


def test_killed_run_leaves_whole_outputs_and_next_run_completes(
    batch_process: tuple[Path, Path, subprocess.Popen[str]],
) -> None:
    inputs, out, process = batch_process
    wait_for_line(process, "[3/20]")
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = tables(out)["threads"].height
    assert 3 <= partial < 20
    assert run_batch([str(inputs)], out, reports=False).exit_code == EXIT_OK
    summary = last_summary(out)
    assert summary["processed"] == 20 - partial  # the killed run's finished threads are kept
    assert tables(out)["threads"].height == 20
    assert_consistent(out)


def test_overlapping_run_exits_locked(
    batch_process: tuple[Path, Path, subprocess.Popen[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, out, process = batch_process
    wait_for_line(process, "threads to compute")
    process.send_signal(signal.SIGSTOP)  # it holds the lock, paused: the overlap is certain
    try:
        assert main(["batch", str(inputs), "-o", str(out), "--no-reports"]) == EXIT_LOCKED
    finally:
        process.send_signal(signal.SIGCONT)
    err = capsys.readouterr().err
    assert f"pid {process.pid}" in err and err.count("\n") == 1
    assert process.wait(timeout=300) == EXIT_OK
    assert tables(out)["threads"].height == 20


def test_lock_is_released_when_the_holder_exits(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    with holding_lock(out):
        assert main(["batch", str(seeds_dir), "-o", str(out), "--no-reports"]) == EXIT_LOCKED
    assert main(["batch", str(seeds_dir), "-o", str(out), "--no-reports"]) == EXIT_OK


def test_each_thread_gets_its_report_folder(tmp_path: Path, seeds_dir: Path) -> None:
    seed = tmp_path / "inbox" / "004.txt"
    seed.parent.mkdir()
    seed.write_bytes((seeds_dir / "004_c402b04ebbbbf3d8.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["batch", str(seed.parent), "-o", str(out)]) == EXIT_OK
    thread_id = tables(out)["threads"].get_column("thread_id").item()
    report = out / "threads" / thread_id
    assert (report / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (report / "summary.md").stat().st_size > 0
    seed.unlink()
    assert main(["batch", str(seed.parent), "-o", str(out)]) == EXIT_OK
    assert not report.exists() and last_summary(out)["removed"] == 1


def test_local_processes_and_dask_write_identical_tables(tmp_path: Path, seeds_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    inputs = many_threads(tmp_path / "many", seeds_dir, copies=1)
    (inputs / "empty.txt").write_bytes(b"")
    # The same bytes twice are one thread id: the parent writes those, never two workers at once.
    first = sorted(inputs.glob("0*.txt"))[0]
    (inputs / "repeated.txt").write_bytes(first.read_bytes())
    inline, pool, dask = tmp_path / "inline", tmp_path / "pool", tmp_path / "dask"
    assert run_batch([str(inputs)], inline, reports=False).exit_code == EXIT_PARTIAL
    assert run_batch([str(inputs)], pool, jobs=2, reports=False).exit_code == EXIT_PARTIAL
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert run_batch([str(inputs)], dask, scheduler=address, reports=False).exit_code == EXIT_PARTIAL
    expected = tables(inline)
    assert expected["threads"].height == 5
    for other in (pool, dask):
        frames = tables(other)
        assert frames.keys() == expected.keys()
        for name, frame in expected.items():
            assert_frame_equal(frames[name], frame)
        assert last_summary(other)["failures"] == last_summary(inline)["failures"]


def test_a_worker_writes_its_thread_and_returns_only_the_outcome(tmp_path: Path, seeds_dir: Path) -> None:
    seed = seeds_dir / "004_c402b04ebbbbf3d8.txt"
    task = ThreadTask(key=str(seed), pages=(str(seed),), data=seed.read_bytes(), report=False)
    out = tmp_path / "out"
    kept = process_and_write(task, str(out))
    assert kept.thread_id is not None and kept.tables and not kept.written
    assert not is_complete(out, kept.thread_id)  # without worker_writes the parent writes it
    written = process_and_write(replace(task, worker_writes=True), str(out))
    assert (written.thread_id, written.written, written.tables) == (kept.thread_id, True, {})
    assert is_complete(out, kept.thread_id)
    on_disk = pl.read_parquet(partition_path(out, "stance", kept.thread_id))
    assert_frame_equal(on_disk, kept.tables["stance"])
    (tmp_path / "blocked").write_text("a file where the output folder should be")
    failed = process_and_write(replace(task, worker_writes=True), str(tmp_path / "blocked"))
    assert failed.write_error is not None and "cannot write" in failed.write_error and not failed.written


def test_corpus_figure_has_its_three_panels_and_rejects_a_bad_table(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(inbox, out)
    figure = corpus_figure(tables(out)["threads"])
    titles = [axes.get_title() for axes in figure.axes if axes.get_title()]
    assert titles[0].startswith("Threads started per")
    assert titles[1:] == ["Tone and agreement by thread", "Largest discussions (top 12 by posts)"]
    assert figure.axes[1].collections  # the tone/agreement scatter has points
    with pytest.raises(ValueError, match="lacks column"):
        corpus_figure(pl.DataFrame({"thread_id": ["x"]}))
