"""`>` quote blocks: markers cut, spans valid, and a quote's source found among earlier posts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threads.sources.markdown_quotes import find_source, normalized, split_quotes

LINES = st.lists(
    st.one_of(
        st.text(alphabet="ab c*>\t", max_size=12),
        st.builds(lambda body: "> " + body, st.text(alphabet="ab c*", max_size=12)),
        st.just(">"),
        st.just(""),
    ),
    max_size=12,
)


@given(LINES)
def test_split_quotes_keeps_every_character_but_the_markers(lines: list[str]) -> None:
    markdown = "\n".join(lines)
    result = split_quotes(markdown)
    assert len(result.text) <= len(markdown)
    previous_end = 0
    for start, end in result.spans:
        assert previous_end <= start < end <= len(result.text)
        assert result.text[start:end] == result.text[start:end].strip()
        previous_end = end
    # Only `>` markers and the blank after them are cut.
    assert markdown.replace(">", "").replace(" ", "").replace("\t", "") == result.text.replace(
        ">", ""
    ).replace(" ", "").replace("\t", "")


@pytest.mark.parametrize(
    ("markdown", "text", "quoted"),
    [
        ("> a quoted line\n\nmy answer", "a quoted line\n\nmy answer", ["a quoted line"]),
        (">one\n>\n>two\nmine", "one\n\ntwo\nmine", ["one\n\ntwo"]),
        (">> nested\nmine", "nested\nmine", ["nested"]),
        ("a > b is not a quote", "a > b is not a quote", []),
    ],
)
def test_split_quotes_examples(markdown: str, text: str, quoted: list[str]) -> None:
    result = split_quotes(markdown)
    assert result.text == text
    assert [result.text[start:end] for start, end in result.spans] == quoted


def test_find_source_prefers_the_nearest_ancestor_with_the_passage_as_own_text() -> None:
    own = [normalized(text) for text in ["the *exact* words here", "unrelated", "the exact words here again"]]
    # Post 2 is the nearest ancestor that wrote the words; post 0 wrote them first, post 1 did not.
    assert find_source("the exact words here", ancestors=[2, 1, 0], earlier=range(3), own_texts=own) == 2
    assert find_source("the exact words here", ancestors=[1], earlier=range(3), own_texts=own) == 2
    assert find_source("the exact words here", ancestors=[1], earlier=range(2), own_texts=own) == 0
    assert find_source("short", ancestors=[0], earlier=range(3), own_texts=own) is None
