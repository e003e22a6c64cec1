"""Language of a text from its scripts and stopwords, with no model or download."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

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


def detect_languages_of(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """`detect_languages` of each text: the same answers, for a thread's posts at once.

    Most posts are ASCII text, whose language follows from how many stopwords of each language
    its words hold (`_ascii_languages`): for those the words are found and counted by array passes
    over all of them together, instead of making a string of every word of every post. Other
    posts go through `detect_languages` one by one.

    Args:
        texts: any texts.

    Returns:
        One tuple of language codes per text, as `detect_languages` gives it.
    """
    samples = [_sample(text) for text in texts]
    result: list[tuple[str, ...] | None] = [None] * len(samples)
    batch: list[int] = []
    size = 0
    for index, sample in enumerate(samples):
        if sample.isascii():
            batch.append(index)
            size += len(sample) + 1
            if size >= _BATCH_CHARS:
                _ascii_languages_of(samples, batch, result)
                batch, size = [], 0
    if batch:
        _ascii_languages_of(samples, batch, result)
    return [
        languages if languages is not None else detect_languages(sample)
        for sample, languages in zip(samples, result, strict=True)
    ]


_BATCH_CHARS = 1_000_000
_LETTER_BITS = 5  # "a" to "z" as 1 to 26


def _packed(word: str) -> int:
    """An ASCII word of lower-case letters as one number: letter k (1 to 26) at bits 5k. No letter
    is 0, so two words pack alike exactly when they are equal."""
    return sum((ord(letter) - 96) << (_LETTER_BITS * position) for position, letter in enumerate(word))


_ASCII_STOPWORDS = [word for word in _STOPWORD_LANGUAGES if word.isascii()]
_STOPWORD_MAX_LETTERS = max(map(len, _ASCII_STOPWORDS))
# Every ASCII byte as a letter number: "a" to "z" and "A" to "Z" as 1 to 26, anything else 0.
_LETTER_NUMBERS = bytes(
    (code | 0x20) - 96 if chr(code).isascii() and chr(code).isalpha() else 0 for code in range(256)
)


def _fewest_distinct_slots(codes: npt.NDArray[np.int64]) -> int:
    """The fewest slots under which no two of `codes` share a remainder.

    Every process that imports this module searches (batch workers, each CLI run): 256 candidate
    counts are tried per array pass, which takes a few milliseconds where trying one at a time in
    Python took about 0.2 s.
    """
    for low in range(len(codes), 1 << 16, 256):
        candidates = np.arange(low, min(low + 256, 1 << 16), dtype=np.int64)
        remainders = np.sort(codes[None, :] % candidates[:, None], axis=1)
        distinct = (np.diff(remainders, axis=1) != 0).all(axis=1)
        if distinct.any():
            return int(candidates[distinct.argmax()])
    raise AssertionError("no slot count below 65,536 separates the stopwords")


# The packed stopwords by slot: a packed run's slot is its remainder by `_SLOTS`, under which no
# two stopwords fall together, and the slot's stopword (or -1, which no run packs to) is compared.
_PACKED_STOPWORDS = np.array([_packed(word) for word in _ASCII_STOPWORDS], dtype=np.int64)
_SLOTS = _fewest_distinct_slots(_PACKED_STOPWORDS)
_SLOT_CODES = np.full(_SLOTS, -1, dtype=np.int64)
_SLOT_CODES[_PACKED_STOPWORDS % _SLOTS] = _PACKED_STOPWORDS
_LANGUAGE_ORDER = tuple(_STOPWORDS)  # the order `_language_of_folded` breaks ties in
# Per slot, one bit per language of `_LANGUAGE_ORDER` that has the slot's stopword.
_SLOT_LANGUAGES = np.zeros(_SLOTS, dtype=np.int64)
for _word in _ASCII_STOPWORDS:
    _SLOT_LANGUAGES[_packed(_word) % _SLOTS] = sum(
        1 << order for order, language in enumerate(_LANGUAGE_ORDER) if _word in _STOPWORDS[language]
    )
# A run of k letters packs to at most 5k bits: the rest of what is read after it is masked off.
_LENGTH_MASKS = np.array(
    [(1 << (_LETTER_BITS * length)) - 1 for length in range(_STOPWORD_MAX_LETTERS + 1)], dtype=np.int64
)
_APOSTROPHE = ord("'")


def _ascii_languages_of(samples: list[str], batch: list[int], result: list[tuple[str, ...] | None]) -> None:
    """Fill in `result` for the ASCII samples of `batch`: `_ascii_languages` of each, by arrays.

    The words of `_ascii_languages` are the runs of letters, where two runs with one apostrophe
    between them are one word (taken left to right, as the word pattern takes them); a word with
    an apostrophe is no stopword. A text's languages follow from its stopword counts alone (see
    `_language_of_folded`), () for a text without a letter.
    """
    joined = " ".join([samples[index] for index in batch]).encode("ascii")
    raw = np.frombuffer(joined, dtype=np.uint8)
    # Padded, so that the letters after a run's start can be read without testing where it ends.
    numbers = np.frombuffer(joined.translate(_LETTER_NUMBERS) + bytes(_STOPWORD_MAX_LETTERS), dtype=np.uint8)
    # Runs of letters, as `str.split` finds them in the text with every non-letter made a space.
    is_letter = (numbers[: len(raw)] != 0).view(np.int8)
    edges = np.flatnonzero(np.diff(is_letter, prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]
    sample_lengths = np.fromiter((len(samples[index]) for index in batch), dtype=np.int64, count=len(batch))
    sample_starts = np.zeros(len(batch), dtype=np.int64)
    np.cumsum(sample_lengths[:-1] + 1, out=sample_starts[1:])
    runs = np.diff(np.searchsorted(starts, sample_starts), append=len(starts))
    # Run k is joined to run k + 1 when one apostrophe alone lies between them. In a chain of
    # joined runs the first and second make a word, the third and fourth, ...: a run stands alone
    # unless it is at an odd place in its chain or at an even place and joined to the next.
    # (Every run but the last ends before the text does, so `raw[end]` is the char after it.)
    joined_next = np.zeros(len(starts), dtype=np.bool_)
    joined_next[:-1] = (starts[1:] == ends[:-1] + 1) & (raw[ends[:-1]] == _APOSTROPHE)
    if joined_next.any():
        chain_first = np.ones(len(starts), dtype=np.bool_)
        chain_first[1:] = ~joined_next[:-1]
        run_index = np.arange(len(starts))
        place = run_index - np.maximum.accumulate(np.where(chain_first, run_index, 0))
        alone = ((place & 1) == 0) & ~joined_next
    else:
        alone = np.ones(len(starts), dtype=np.bool_)
    lengths = ends - starts
    short = np.flatnonzero(alone & (lengths <= _STOPWORD_MAX_LETTERS))
    first = starts[short]
    codes = numbers[first].astype(np.int64)
    for position in range(1, _STOPWORD_MAX_LETTERS):
        codes |= numbers[first + position].astype(np.int64) << (_LETTER_BITS * position)
    codes &= _LENGTH_MASKS[lengths[short]]
    slots = codes % _SLOTS
    is_stopword = _SLOT_CODES[slots] == codes
    languages = _SLOT_LANGUAGES[slots[is_stopword]]
    owner = np.searchsorted(sample_starts, first[is_stopword], side="right") - 1
    # Each language's stopword count per text; ties go to English, then to the first language.
    hits = np.stack(
        [
            np.bincount(owner[(languages >> order) & 1 == 1], minlength=len(batch))
            for order in range(len(_LANGUAGE_ORDER))
        ]
    )
    tie_break = np.array([[language == "en"] for language in _LANGUAGE_ORDER], dtype=np.int64)
    best = np.argmax(2 * hits + tie_break, axis=0)
    best_hits = hits[best, np.arange(len(batch))]
    for index, run_count, language, count in zip(
        batch, runs.tolist(), best.tolist(), best_hits.tolist(), strict=True
    ):
        if not run_count:
            result[index] = ()
        else:
            result[index] = (_LANGUAGE_ORDER[language] if count > 0 else "en",)


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
        # Most words are no stopword: `filter` passes over them in C.
        for word in filter(_STOPWORD_LANGUAGES.__contains__, folded):
            for language in _STOPWORD_LANGUAGES[word]:
                hits[language] += 1
    else:
        counts = Counter(folded)
        for language, stop in _STOPWORDS.items():
            hits[language] = sum(counts[word] for word in stop & counts.keys())
    best = max(hits, key=lambda language: (hits[language], language == "en"))
    return best if hits[best] > 0 else "en"
