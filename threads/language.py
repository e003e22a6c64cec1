"""Language of a text from its Unicode scripts, with no model or download."""

from __future__ import annotations

import unicodedata
from collections import Counter

_SCRIPT_LANGUAGE = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh", "LATIN": "en"}


def detect_languages(text: str) -> tuple[str, ...]:
    """Return the languages found in `text`, the one with most letters first; () for no letters."""
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        script = name.split(" ", 1)[0]
        language = _SCRIPT_LANGUAGE.get(script)
        if language:
            counts[language] += 1
    if counts["ja"] and counts["zh"]:
        counts["ja"] += counts.pop("zh")  # kanji inside kana text is Japanese
    return tuple(language for language, _ in counts.most_common())
