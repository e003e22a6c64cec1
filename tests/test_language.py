"""Language detection by script and stopwords: words, not letters, are compared across scripts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS
from threads import language
from threads.language import detect_languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The tracker measures research output, not deployed capability.", ("en",)),
        ("中国科学家发现,化疗可能会加速癌症的扩散。", ("zh",)),
        # Latin letters outnumber Han characters here, yet the text is Chinese.
        ("Nvidia首席执行官黄仁勋在访华期间,积极寻求与中国建立更紧密的联系。OpenAI和DeepSeek也是。", ("zh",)),
        ("中国 authorities 最近加强了对稀有矿产走私的打击力度,承诺实施更加严格的出口管控。", ("zh",)),
        ("이메일 주소는 공개되지 않습니다. 필수 필드는 표시됩니다", ("ko",)),
        ("東京で新しい研究が発表されました。とても面白いです。", ("ja",)),
        ("Le gouvernement a annoncé que les mesures sont dans la loi pour les citoyens.", ("fr",)),
        ("Die Regierung hat gesagt, dass die Maßnahmen nicht mit dem Gesetz vereinbar sind.", ("de",)),
        ("El gobierno dijo que las medidas son para los ciudadanos y que no se cambian.", ("es",)),
        (
            "Scientists from Fujian University published a paper on Cell for having identified the ACE2 "
            "protein as an antiviral target and developed the dual-functional antiviral for prevention. "
            "复旦大学上海医学院陆路研究员团队合作在《细胞》杂志在线发表了研究论文。",
            ("en", "zh"),
        ),
        (
            "2025年1月30日,复旦大学上海医学院陆路研究员、孙蕾研究员、姜世勃教授团队合作在《细胞》杂志以"
            "Research Article的形式在线发表了题为“Early fusion intermediate of ACE2-using coronavirus"
            " spike acting as antiviral target”的研究论文。"
            "该研究发现了ACE2受体诱导的冠状病毒刺突蛋白早期融合中间态构象。",
            ("zh", "en"),
        ),
        ("12345 --- !!!", ()),
        ("", ()),
    ],
)
def test_detect_languages(text: str, expected: tuple[str, ...]) -> None:
    assert detect_languages(text) == expected


def test_a_few_names_in_parentheses_do_not_make_a_text_bilingual() -> None:
    # Seed 004 is English with eight Chinese company names in parentheses.
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    assert "(京东方)" in text
    assert detect_languages(text) == ("en",)


def _by_latin_words(text: str) -> tuple[str, ...]:
    """What `detect_languages` gives for text without Han, kana or Hangul, by its general path."""
    words = language._LATIN_WORD.findall(text)
    return (language._latin_language(words),) if words else ()


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["la", "Die", "NO", "y", "the", "and", "l'", "'", "s", " ", ".", "\n", "7", "_"]),
        max_size=40,
    ).map("".join)
)
def test_ascii_text_gets_the_languages_of_the_general_path(text: str) -> None:
    assert detect_languages(text) == _by_latin_words(text)


def test_ascii_text_past_the_lookup_limit_gets_the_languages_of_the_general_path() -> None:
    for text in ("the cat " * 300, "the cat sat " * 300 + "la", "la casa y el perro " * 100, "9 - !" * 50):
        assert detect_languages(text) == _by_latin_words(text)


# ASCII and other stopwords, words that only start like one, apostrophes, non-letters, other scripts.
_PIECES = ["la", "Die", "NO", "y", "the", "and", "l'", "'", "s", " ", ".", "\n", "7", "_", "werden"]
_PIECES += ["Werdens", "été", "für", "中文", "\x00", "aber", "nicht", "cette", "z", "é"]


@pytest.mark.parametrize("batch_chars", [1_000_000, 5])
@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), max_size=6))
def test_languages_of_many_texts_are_those_of_each(texts: list[str], batch_chars: int) -> None:
    # A tiny batch size makes each ASCII text a batch of its own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(language, "_BATCH_CHARS", batch_chars)
        assert language.detect_languages_of(texts) == [detect_languages(text) for text in texts]


def test_languages_of_long_texts_are_those_of_each() -> None:
    # Longer than a sample: the sample is what both look at.
    texts = ["the cat sat " * 30_000, "the cat sat " * 30_000 + " la casa", "el perro " * 40_000, ""]
    assert language.detect_languages_of(texts) == [detect_languages(text) for text in texts]


def test_slot_count_is_the_fewest_that_separates_the_stopwords() -> None:
    from threads.language import _ASCII_STOPWORDS, _SLOTS, _fewest_distinct_slots, _packed

    codes = [_packed(word) for word in _ASCII_STOPWORDS]
    fewest = next(
        slots for slots in range(len(codes), 1 << 16) if len({c % slots for c in codes}) == len(codes)
    )
    # 1,423 slots for 133 stopwords: the answer lies several batches of 256 candidates in.
    assert fewest == _SLOTS == _fewest_distinct_slots(np.array(codes, dtype=np.int64))
