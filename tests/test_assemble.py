"""threads.assemble beyond what the reader tests cover: the C heap is trimmed after a thread is built."""

from __future__ import annotations

import importlib
import platform

import pytest

import threads

# The module: `threads.assemble` is the function it exports.
assemble = importlib.import_module("threads.assemble")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is a glibc function")
def test_malloc_trim_is_found_on_glibc() -> None:
    trim = assemble._malloc_trim()
    assert trim is not None
    assert trim(0) in (0, 1)  # 1 when memory was released, 0 when there was none to release


def test_assemble_trims_the_heap_once_per_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(assemble, "_malloc_trim", lambda: calls.append)
    thread = threads.parse("First post here.\n", format="text")
    assert thread.posts and calls == [0]
