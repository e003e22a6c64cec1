"""Each package's __all__ is sorted and equals its public names."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import analysis
import threads


@pytest.mark.parametrize("package", [threads, analysis])
def test_all_is_sorted_and_matches_public_names(package: types.ModuleType) -> None:
    public = {
        name
        for name, value in vars(package).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "logging"
    }
    assert package.__all__ == sorted(package.__all__)
    assert set(package.__all__) == public


def test_importing_the_packages_leaves_matplotlib_to_the_charts() -> None:
    # A batch worker imports `analysis` to parse and analyze; matplotlib costs it over half a
    # second of start-up, so only drawing a chart may import it.
    code = "import sys, analysis, analysis.batch_work; print('matplotlib' in sys.modules)"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert printed.stdout.strip() == "False"
