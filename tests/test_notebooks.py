"""Notebooks: stored without outputs, thin (public names, no logic), and each one runs top to bottom."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT, corpus_path

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_explore_a_thread.ipynb", "02_stance_and_arguments.ipynb", "03_batch_results.ipynb"]
# Notebooks that read the development corpus follow its rule: skip on a user's clone, fail under CI.
CORPUS_FILES = {"02_stance_and_arguments.ipynb": ("discourse", "removing-lua-bindings.7149.json")}
ALLOWED_MODULES = {"threads", "analysis", "polars", "pathlib", "tempfile"}
IMPORT = re.compile(
    r"^\s*(?:from\s+(?P<module>[\w.]+)\s+import\s+(?P<names>.+)|import\s+(?P<plain>[\w., ]+))$"
)


def code_cells(name: str) -> list[nbformat.NotebookNode]:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [cell for cell in book.cells if cell.cell_type == "code"]


def test_the_notebooks_are_there() -> None:
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs(name: str) -> None:
    for cell in code_cells(name):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", NAMES)
def test_thin_public_names_only_no_logic(name: str) -> None:
    for cell in code_cells(name):
        for line in cell.source.splitlines():
            assert not re.match(r"\s*(def|class|for|while|if|with|try)\b", line), f"logic in {name}: {line}"
            found = IMPORT.match(line)
            if not found:
                continue
            plain = [part.split()[0] for part in (found["plain"] or "").split(",") if part.strip()]
            modules = [found["module"]] if found["module"] else plain
            names = [part.split()[0] for part in found["names"].split(",")] if found["names"] else []
            for module in modules:
                assert module.split(".")[0] in ALLOWED_MODULES, f"{name} imports {module}"
                assert not any(part.startswith("_") for part in module.split(".")), line
            assert not any(imported.startswith("_") for imported in names), line


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # A kernelspec for this very interpreter in a temporary Jupyter path: nothing is installed for
    # the user, nothing is downloaded, and the kernel imports the same threadlens as the tests.
    spec = tmp_path / "jupyter" / "kernels" / "threadlens-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "threadlens", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns about its old paths otherwise
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return "threadlens-test"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_draws(name: str, kernel: str) -> None:
    if name in CORPUS_FILES:
        corpus_path(*CORPUS_FILES[name])
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        book, kernel_name=kernel, timeout=600, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    outputs = [output for cell in book.cells if cell.cell_type == "code" for output in cell.outputs]
    chart_cells = sum("charts." in cell.source for cell in book.cells if cell.cell_type == "code")
    images = sum("image/png" in output.get("data", {}) for output in outputs)
    assert images == chart_cells
    tables = sum("text/html" in output.get("data", {}) for output in outputs)
    assert tables >= 3  # threads, analyses and frames show as HTML tables
