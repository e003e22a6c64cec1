"""Token layout computed for many posts at once equals the layout of each post on its own."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threads import words as words_module
from threads.shared_grams import _word_numbers
from threads.words import PostWords

# Letters, digits, CJK, sentence and line breaks, the batch separator itself, other punctuation;
# numerals that are no decimal digit, a CJK-range character that is no letter, astral letters and
# symbols, a lone surrogate.
ALPHABET = "ab Zß9_ .!?\n\t,;'\"-中文。！？\x00é\u3042²½\u30a0\U0001d400\U0001f600\ud800"


def _layout(words: PostWords) -> tuple[list[str], list[int], list[int], bytes, bytes]:
    return (
        words.words,
        list(words.starts),
        list(words.ends),
        bytes(words.breaks_before(token) for token in range(-1, len(words.words) + 2)),
        bytes(words.line_breaks_before(token) for token in range(-1, len(words.words) + 2)),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=60), max_size=8))
def test_many_lays_out_each_text_as_of_does(texts: list[str]) -> None:
    assert [_layout(words) for words in PostWords.many(texts)] == [
        _layout(PostWords.of(text)) for text in texts
    ]


def test_many_works_in_batches() -> None:
    texts = [f"Post {number}. It says\nthings!" * 3000 for number in range(40)]
    assert [_layout(words) for words in PostWords.many(texts)] == [
        _layout(PostWords.of(text)) for text in texts
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=60), max_size=4))
def test_break_flags_are_the_breaks_before_each_token(texts: list[str]) -> None:
    for words in [*PostWords.many(texts), *map(PostWords.of, texts)]:
        sentence_breaks, line_breaks = words.break_flags()
        gaps = range(len(words.words) + 1)
        assert list(sentence_breaks) == [words.breaks_before(token) for token in gaps]
        assert list(line_breaks) == [words.line_breaks_before(token) for token in gaps]


def test_no_token_char_is_or_folds_to_white_space() -> None:
    # `PostWords.many` splits the casefolded token text on white space: exact only if no char of a
    # token (what `str.isalnum` holds for), nor its casefolded form, is white space.
    for code in range(0x110000):
        char = chr(code)
        if char.isalnum():
            assert not any(folded.isspace() for folded in char.casefold()), hex(code)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.booleans())
def test_line_ranges_are_the_token_ranges_of_the_lines(text: str, batch: bool) -> None:
    words = PostWords.many([text])[0] if batch else PostWords.of(text)
    ranges = [words.token_range(*line.span()) for line in re.finditer(r"[^\n]+", text)]
    assert words.line_ranges() == [(first, stop) for first, stop in ranges if stop > first]


@pytest.mark.parametrize("batch_chars", [1_000_000, 7])
@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=60), max_size=8))
def test_many_numbers_words_as_shared_grams_does(batch_chars: int, texts: list[str]) -> None:
    # A tiny batch size makes every text a batch of its own: the numbering carries across batches.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(words_module, "_BATCH_CHARS", batch_chars)
        thread = PostWords.many(texts)
    posts = [words.words for words in thread]
    flat = [word for words in posts for word in words]
    expected = _word_numbers(posts, total=len(flat))
    assert thread.numbers.dtype == expected.dtype
    assert thread.numbers.tolist() == expected.tolist()
    # Every occurrence of a word is one shared string object.
    first: dict[str, str] = {}
    assert all(first.setdefault(word, word) is word for word in flat)
