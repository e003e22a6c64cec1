"""Shared fixtures: paths to the seeds and to the development corpus beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI every run explores the same examples (derandomized, no saved database), so main's
# verdict cannot flip between two runs of the same commit; local runs keep exploring at random
# and are where new cases are found.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = Path(os.environ.get("THREADLENS_CORPUS", ROOT.parent / "shared" / "corpus"))


def corpus_path(*parts: str) -> Path:
    """A file of ../shared/corpus; skips the test on a user's clone without it, fails under CI.

    CI=true makes a missing corpus an error, so a wrong path can never turn the real-data tests
    into silent skips.
    """
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        message = f"corpus file {path} is absent"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}, and CI=true requires it")
        pytest.skip(f"{message} (a user's clone has no ../shared/corpus)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.json from the current parser output instead of comparing",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))
