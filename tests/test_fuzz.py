"""Fuzzing: the atheris target runs for a bounded time; inputs it once crashed on stay fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FUZZ_SECONDS = int(os.environ.get("THREADLENS_FUZZ_SECONDS", "30"))


def test_fuzzer_finds_no_crash_in_bounded_time(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        (corpus / seed.name).write_bytes(seed.read_bytes()[:4000])
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_readers.py"),
            f"-max_total_time={FUZZ_SECONDS}",
            "-rss_limit_mb=2048",
            "-timeout=20",
            "-max_len=20000",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=FUZZ_SECONDS + 600,  # instrumenting the imports alone takes ~20 s of CPU, more under load
    )
    crashes = [
        path.name for path in tmp_path.iterdir() if path.name.startswith(("crash-", "timeout-", "oom-"))
    ]
    assert result.returncode == 0 and not crashes, result.stderr[-3000:]
