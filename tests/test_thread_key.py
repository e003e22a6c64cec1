"""Thread keys of saved pages: the canonical URL without its page part, so pages group into a thread."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import threads
from tests.conftest import corpus_path
from threads.sources.thread_key import thread_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://f.example/threads/a-quest.10402/page-54", "https://f.example/threads/a-quest.10402"),
        ("https://f.example/threads/a-quest.10402/", "https://f.example/threads/a-quest.10402"),
        (
            "https://community.example/topic/13803/new-chat/6",
            "https://community.example/topic/13803/new-chat",
        ),
        ("https://community.example/topic/13803/new-chat", "https://community.example/topic/13803/new-chat"),
        ("https://d.example/t/removing-lua/7149/20", "https://d.example/t/removing-lua/7149"),
        ("https://d.example/t/removing-lua/7149", "https://d.example/t/removing-lua/7149"),
        ("https://b.example/viewtopic.php?f=2&t=77&start=25", "https://b.example/viewtopic.php?f=2&t=77"),
        ("https://v.example/showthread.php?t=9687&page=3", "https://v.example/showthread.php?t=9687"),
        ("https://v.example/showthread.php/9687-title/page2", "https://v.example/showthread.php/9687-title"),
        ("https://v.example/forum/2024/thread#post5", "https://v.example/forum/2024/thread"),
    ],
)
def test_thread_url_drops_the_page_part(url: str, expected: str) -> None:
    assert thread_url(url) == expected


@pytest.mark.corpus
def test_two_captures_of_a_saved_page_are_one_thread(tmp_path: Path) -> None:
    page = corpus_path("html", "RenascenceSV.html")
    copies = [tmp_path / "page54.html", tmp_path / "page54-again.html"]
    for copy in copies:
        shutil.copy(page, copy)
    (thread,) = threads.read_threads(copies)
    assert len(thread.posts) == len(threads.read(page).posts)
    assert any("already read from an earlier page" in warning for warning in thread.warnings)
