"""The read entry points pause the cycle collector during a parse and give the same thread as without."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import threads
from tests.conftest import SEEDS
from threads.errors import InputError

# `threads.read` is the function; the module is reached by its name.
read_module = importlib.import_module("threads.read")


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))[:2]


@pytest.mark.parametrize("path", _seed_paths(), ids=lambda path: path.name)
def test_a_parse_with_the_collector_paused_is_the_parse_with_it_running(
    path: Path, monkeypatch: pytest.MonkeyPatch, collector_enabled: None
) -> None:
    paused = threads.read(path)
    from_text = threads.parse(path.read_text(encoding="utf-8"))
    # The general path: the collector runs (and is made to run often) throughout.
    monkeypatch.setattr(read_module, "collector_paused", contextlib.nullcontext)
    thresholds = gc.get_threshold()
    gc.set_threshold(100, 2, 2)
    try:
        running = threads.read(path)
        running_from_text = threads.parse(path.read_text(encoding="utf-8"))
    finally:
        gc.set_threshold(*thresholds)
    assert paused == running
    assert from_text == running_from_text


def test_the_collector_is_restored_after_a_parse_and_after_a_failed_one(
    tmp_path: Path, collector_enabled: None
) -> None:
    threads.read(_seed_paths()[0])
    assert gc.isenabled()
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError):
        threads.read(empty)
    assert gc.isenabled()
    with pytest.raises(InputError):
        threads.parse_bytes(b"")
    assert gc.isenabled()


def test_a_paused_collector_stays_paused(collector_enabled: None) -> None:
    gc.disable()
    threads.read(_seed_paths()[0])
    threads.read_threads(_seed_paths()[:2])
    assert not gc.isenabled()


def test_thread_ids_hash_the_source_bytes_or_the_pages_digests() -> None:
    first, second = _seed_paths()[:2]
    assert threads.read(first).id == hashlib.sha256(first.read_bytes()).hexdigest()[:16]
    digests = b"".join(hashlib.sha256(path.read_bytes()).digest() for path in (first, second))
    assert threads.read([first, second]).id == hashlib.sha256(digests).hexdigest()[:16]
