"""threads.assemble beyond what the reader tests cover: the C heap is trimmed after a thread is built,
the thread language is the same in every run."""

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


ENGLISH = "I think the council should publish the budget before the vote, not after it."
GERMAN = "Ich denke, dass der Rat den Haushalt vor der Abstimmung veröffentlichen sollte und nicht danach."


@pytest.mark.parametrize(("texts", "expected"), [((ENGLISH, GERMAN), "en"), ((GERMAN, ENGLISH), "de")])
def test_thread_language_on_a_tie_is_the_first_to_appear(texts: tuple[str, str], expected: str) -> None:
    # Both orders: a choice that depended on a set's order would give one language for both.
    draft = threads.ThreadDraft(
        format="json", posts=[threads.PostDraft(text=text, author=f"user{k}") for k, text in enumerate(texts)]
    )
    thread = threads.assemble(draft)
    assert [post.language for post in thread.posts] == [expected, "de" if expected == "en" else "en"]
    assert thread.language == expected
