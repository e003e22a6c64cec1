"""Language of a text from its scripts and stopwords, with no model or download."""

from __future__ import annotations

import re
import unicodedata
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
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


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
    scripts = Counter(_script(char) for char in text if char.isalpha())
    words: Counter[str] = Counter()
    if scripts["latin"]:
        latin_words = [
            word.casefold()
            for word in _LATIN_WORD.findall(text)
            if all(_script(char) == "latin" for char in word)
        ]
        if latin_words:
            words[_latin_language(latin_words)] += len(latin_words)
    if scripts["hangul"]:
        words["ko"] += len(re.findall(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+", text))
    kana = scripts["kana"]
    han = scripts["han"]
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


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
        return "kana"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F:
        return "han"
    if 0xF900 <= code <= 0xFAFF:
        return "han"
    name = unicodedata.name(char, "")
    return "latin" if name.startswith("LATIN") else "other"


def _latin_language(words: list[str]) -> str:
    hits = {language: sum(word in stop for word in words) for language, stop in _STOPWORDS.items()}
    best = max(hits, key=lambda language: (hits[language], language == "en"))
    return best if hits[best] > 0 else "en"
