"""The parse benchmark's stage table times the functions `threads.read` really calls."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT, SEEDS


def _bench_parse() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "benchmarks" / "bench_parse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_parse"] = module
    spec.loader.exec_module(module)
    return module


def test_every_stage_is_found_and_timed_once() -> None:
    # A stage renamed by a refactoring must show up as missing here, not as 0.00 s in the table.
    seed = Path(SEEDS / "000_db2827ac553fc2ae.txt")
    bench = _bench_parse()
    result = bench.measure_stages(seed)
    spent = result["spent"]
    assert result["missing"] == []
    labels = [label for label, _, _ in bench._STAGES]
    assert set(labels) <= set(spent)
    # Attribution holds the word-offset and n-gram stages; the others are disjoint from each other.
    disjoint = [labels[0], labels[3], labels[4]]
    assert sum(spent[label] for label in disjoint) <= spent["total"]
    assert spent[labels[1]] + spent[labels[2]] <= spent[labels[3]]
