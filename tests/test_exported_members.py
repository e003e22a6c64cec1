"""Each package's __all__ is sorted and equals its public names."""

from __future__ import annotations

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
