"""Language of a text from its scripts and stopwords, with no model or download."""

from __future__ import annotations

import re
from collections import Counter

# Comparable units: a Latin or Cyrillic word against about one and a half Han characters (the
# mean length of a Chinese word), or a Korean word (a space-separated run of Hangul). Counting
# letters instead would call Chinese text with a few English names "en", since one English
# word has several letters where Chinese spends one or two characters.
_HAN_CHARS_PER_WORD = 1.5
_KANA_CHARS_PER_WORD = 2.0
# A language is listed when it holds this share of the text's words: a few foreign names in
# parentheses do not make a post bilingual, a paragraph does.
_MIN_SHARE = 0.05
# Script classes as regular expressions, so that counting runs in C rather than per character.
_LATIN_LETTERS = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
# A Latin word glued to CJK characters ("OpenAI和DeepSeek") is a name inside CJK text, not English.
# The lookbehind follows the first letter (so it spans two characters): the scan then jumps from
# letter to letter instead of trying the lookbehind at every position.
_LATIN_WORD = re.compile(
    f"[{_LATIN_LETTERS}](?<![{_LATIN_LETTERS}{_CJK_LETTERS}].)[{_LATIN_LETTERS}]*"
    f"(?:['’][{_LATIN_LETTERS}]+)?(?![{_LATIN_LETTERS}{_CJK_LETTERS}])"
)
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d"
_HAN = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002fa1f"
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_KANA_RUN = re.compile(f"[{_KANA}]+")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HANGUL_RUN = re.compile(f"[{_HANGUL}]+")
_KANA_HAN_OR_HANGUL = re.compile(f"[{_KANA}{_HAN}{_HANGUL}]")
_SAMPLE_CHARS = 200_000
_SAMPLE_PIECES = 50


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_STOPWORDS: dict[str, frozenset[str]] = {  # a few dozen of the most frequent words each
    "en": _words(
        "the of and to in is that it for was on are with as this be by have not but you they at from "
        "or an which we he his her their has had been were will would there what all if can so"
    ),
    "fr": _words(
        "le la les des du de un une et est que qui dans pour pas sur au aux ce cette il elle ils sont "
        "avec ne se plus par mais ont été être nous vous leur"
    ),
    "de": _words(
        "der die das und ist nicht ein eine zu den mit sich des auf für von dem im auch es sie wir "
        "ich er wird sind noch aber wie oder nur bei werden hat"
    ),
    "es": _words(
        "el la los las de del que y en un una es por con para no se lo como más pero sus al está "
        "son fue ha muy también este esta ser"
    ),
}

# Each stopword's languages ("la" is French and Spanish), for looking words up one by one.
_STOPWORD_LANGUAGES: dict[str, tuple[str, ...]] = {
    word: tuple(language for language, stop in _STOPWORDS.items() if word in stop)
    for word in frozenset().union(*_STOPWORDS.values())
}
# Stopwords that count for another language than English ("la", "die", "no").
_NOT_ONLY_ENGLISH = frozenset(word for word, languages in _STOPWORD_LANGUAGES.items() if languages != ("en",))
# ASCII letters casefolded (for ASCII, casefolding is lower-casing), every other byte a space.
_ASCII_LETTER_RUNS = bytes(
    code | 0x20 if chr(code).isascii() and chr(code).isalpha() else ord(" ") for code in range(256)
)
# `_LATIN_WORD` in lower-cased ASCII text, where no lookaround can fail (see `_ascii_languages`).
_ASCII_WORD = re.compile("[a-z]+(?:'[a-z]+)?")
# Up to this many words, looking each up beats counting them first.
_LOOKUP_WORDS = 200


def detect_languages(text: str) -> tuple[str, ...]:
    """Return the languages of `text`, the one with most words first; () when it has no words.

    Han, kana and Hangul decide zh, ja and ko (Han with enough kana is Japanese); Latin words
    are English unless French, German or Spanish stopwords outnumber English ones. Words, not
    letters, are compared across scripts, so Chinese text quoting a few English names stays
    "zh" and a mixed post lists both languages.

    Args:
        text: any text.

    Returns:
        Language codes ("en", "zh", "ko", "ja", "fr", "de", "es"), dominant first.
    """
    sample = _sample(text)
    if sample.isascii():
        return _ascii_languages(sample)
    latin_words = _LATIN_WORD.findall(sample)
    if _KANA_HAN_OR_HANGUL.search(sample) is None:
        # No Han, kana or Hangul: skip their scans (analysis asks this of every sentence, many of
        # them Latin text with a curly quote or a dash).
        return (_latin_language(latin_words),) if latin_words else ()
    words: Counter[str] = Counter()
    if latin_words:
        words[_latin_language(latin_words)] += len(latin_words)
    hangul_words = len(_HANGUL_RUN.findall(sample))
    if hangul_words:
        words["ko"] += hangul_words
    kana = _count_chars(_KANA_RUN, sample)
    han = _count_chars(_HAN_RUN, sample)
    if kana and kana >= 0.1 * (kana + han):
        words["ja"] += round((kana + han) / _KANA_CHARS_PER_WORD) or 1
    elif han:
        words["zh"] += round(han / _HAN_CHARS_PER_WORD) or 1
        if kana:
            words["ja"] += round(kana / _KANA_CHARS_PER_WORD) or 1
    total = sum(words.values())
    if not total:
        return ()
    ranked = sorted(words.items(), key=lambda item: (-item[1], item[0]))
    dominant = ranked[0][0]
    return tuple(
        language for language, count in ranked if language == dominant or count >= _MIN_SHARE * total
    )


def _ascii_languages(text: str) -> tuple[str, ...]:
    """`detect_languages` of an ASCII text, at a fraction of the general path's cost.

    In ASCII text every letter begins or continues a Latin word (no other script can occur), and
    a word is a run of letters or two runs joined by one apostrophe. A stopword has no apostrophe,
    so a word that is a stopword is a run: with no run a French, German or Spanish stopword, those
    languages count 0 and the text is English, however many words it has. Byte translation and
    splitting are C loops, several times cheaper than the word pattern; the pattern runs only on
    text with such a run and an apostrophe, and then without its lookarounds, which ASCII text
    never needs (checked against the general path in tests/test_language.py).
    """
    runs = text.encode("ascii").translate(_ASCII_LETTER_RUNS).decode("ascii").split()
    if not runs:
        return ()
    if _NOT_ONLY_ENGLISH.isdisjoint(runs):
        return ("en",)
    return (_language_of_folded(_ASCII_WORD.findall(text.lower()) if "'" in text else runs),)


def _sample(text: str) -> str:
    """The text itself, or for a very long text evenly spaced pieces of it.

    Shares of words are all that is compared, and a few hundred thousand characters taken from
    across the text estimate them well; this keeps a 50 MB post from costing seconds here.
    """
    if len(text) <= _SAMPLE_CHARS:
        return text
    step = len(text) // _SAMPLE_PIECES
    return "\n".join(
        text[offset : offset + _SAMPLE_CHARS // _SAMPLE_PIECES] for offset in range(0, len(text), step)
    )


def _count_chars(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def _latin_language(words: list[str]) -> str:
    # One casefold of the joined words is much cheaper than one per word, and the newline never
    # occurs inside a word. A sentence's few words are looked up one by one; a long text's are
    # first counted (in C) so that only the few dozen stopwords are looked up, not every word.
    return _language_of_folded("\n".join(words).casefold().split("\n"))


def _language_of_folded(folded: list[str]) -> str:
    if len(folded) <= _LOOKUP_WORDS and _NOT_ONLY_ENGLISH.isdisjoint(folded):
        return "en"  # English stopwords only, or none: English either way, nothing to count
    hits = dict.fromkeys(_STOPWORDS, 0)
    if len(folded) <= _LOOKUP_WORDS:
        for word in folded:
            for language in _STOPWORD_LANGUAGES.get(word, ()):
                hits[language] += 1
    else:
        counts = Counter(folded)
        for language, stop in _STOPWORDS.items():
            hits[language] = sum(counts[word] for word in stop & counts.keys())
    best = max(hits, key=lambda language: (hits[language], language == "en"))
    return best if hits[best] > 0 else "en"
