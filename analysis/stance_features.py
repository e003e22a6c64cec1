"""Named features of a (quote, response) pair for stance: lexicons, negation, contrast, questions, tone."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from analysis.sentences import sentence_spans, suffix_spans
from analysis.tone import english_scores

# Phrases that state agreement or disagreement with the other post. A phrase negated within the
# three words before it counts for the other side ("I don't agree", "not wrong").
AGREE_PHRASES = (
    r"i (?:totally |completely |fully |absolutely |100% |strongly )?agree",
    r"agreed",
    r"agree with (?:you|this|that)",
    r"couldn'?t agree more",
    r"exactly",
    r"absolutely",
    r"precisely",
    r"(?:you'?re|you are|that'?s|that is|this is) (?:so |totally |exactly )?(?:right|correct|true)",
    r"so true",
    r"very true",
    r"(?:good|great|fair|excellent|valid) point",
    r"fair enough",
    r"well said",
    r"spot on",
    r"same here",
    r"same",
    r"me too",
    r"likewise",
    r"yes+",
    r"yeah",
    r"yep",
    r"indeed",
    r"definitely",
    r"of course",
    r"makes (?:so much |total |perfect )?sense",
    r"\+1",
    r"100%",
    r"good (?:idea|advice|call)",
    r"i think so too",
    r"agree[sd]?",
    # Reddit's "This." as the whole answer or its opening sentence; "... on this." at the end of
    # a longer answer is not agreement.
    r"^this(?:[.!]+|\W*$)",
)
DISAGREE_PHRASES = (
    r"i (?:totally |completely |strongly |respectfully )?disagree",
    r"disagree",
    r"(?:totally |completely |simply |just |dead |plain |so |very |all )?wrong",
    r"not (?:true|correct|right|accurate|the case|how it works|what i said)",
    r"untrue",
    r"false",
    r"incorrect",
    r"nonsense",
    r"bull ?shit",
    r"bs",
    r"lies",
    r"lying",
    r"liar",
    r"misleading",
    r"misinformation",
    r"propaganda",
    r"ridiculous",
    r"absurd",
    r"stupid",
    r"idiot\w*",
    r"dumb",
    r"nope",
    r"nah",
    r"no(?=\s*[,.!])",
    r"doesn'?t mean",
    r"does not mean",
    r"that'?s not",
    r"that is not",
    r"makes no sense",
    r"doesn'?t make (?:any )?sense",
    r"you (?:have no idea|don'?t understand|clearly|obviously)",
    r"citation needed",
    r"source\?",
    r"prove it",
    r"irrelevant",
    r"conspiracy",
    r"fear ?mongering",
    r"ignorant",
    r"gtfo",
    r"shut up",
    r"debunked",
    r"myth",
    r"doubtful",
    r"not at all",
    r"actually",
    r"what are you talking about",
    r"are you (?:serious|kidding)",
)
HEDGES = (
    r"maybe",
    r"perhaps",
    r"i think",
    r"i guess",
    r"i believe",
    r"(?:i'?m |i am )?not sure",
    r"might",
    r"possibly",
    r"probably",
    r"seems?",
    r"kind of",
    r"sort of",
    r"idk",
    r"i don'?t know",
    r"could be",
)
CONTRAST = (r"but", r"however", r"although", r"though", r"yet", r"that said", r"on the other hand", r"except")
THANKS = (r"thanks?(?: you)?", r"thx", r"appreciate(?:d)?", r"ty")
NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "don't",
        "dont",
        "doesn't",
        "doesnt",
        "isn't",
        "isnt",
        "can't",
        "cant",
        "cannot",
        "won't",
        "wont",
    ]
)

# A phrase that opens with a choice, "(?:a|b)rest" or "(?:a|b)?rest", as its choices.
_LEADING_CHOICE = re.compile(r"\(\?:([^()]*)\)(\??)")
_QUANTIFIERS = ("?", "*", "+", "{")


def _first_character_branches(phrases: Sequence[str]) -> str:
    """The alternation `"|".join(phrases)`, the phrases that open with the same character under it.

    At every word boundary the engine tries each branch of an alternation in turn: with the phrases
    grouped under their first character ("a(?:gree|bsolutely)|d(?:isagree)"), it compares a couple
    dozen characters instead of trying every phrase (twice as fast on forum posts). The match is
    the same: phrases with different first characters never match at the same place, and those
    under one character keep their order. A leading choice is spelled out first ("(?:good|fair)
    point" is "good point|fair point", "(?:so )?true" is "so true|true"), which tries the same
    texts in the same order; a phrase that opens otherwise (an anchor, a class, a quantified
    character) stays a branch of its own, in its place: the groups before it are closed.
    """
    spelled_out: list[str] = []
    for phrase in phrases:
        choice = _LEADING_CHOICE.match(phrase)
        if choice is None or phrase[choice.end() : choice.end() + 1] in _QUANTIFIERS:
            spelled_out.append(phrase)
            continue
        rest = phrase[choice.end() :]
        spelled_out += [option + rest for option in choice.group(1).split("|")]
        if choice.group(2):
            spelled_out.append(rest)
    branches: list[str] = []
    groups: dict[str, list[str]] = {}  # first character -> the rest of each phrase, in order
    for phrase in spelled_out:
        escaped = phrase[:1] == "\\" and not phrase[1:2].isalnum()  # "\+", not "\w"
        first = phrase[:2] if escaped else phrase[:1]
        literal = escaped or first.isalnum() or first in " '%"
        if literal and phrase[len(first) : len(first) + 1] not in _QUANTIFIERS:
            groups.setdefault(first, []).append(phrase[len(first) :])
            continue
        branches += [f"{start}(?:{'|'.join(rests)})" for start, rests in groups.items()]
        groups.clear()
        branches.append(phrase)
    branches += [f"{start}(?:{'|'.join(rests)})" for start, rests in groups.items()]
    return "|".join(branches)


# Patterns are lower-case and run on lower-cased text: re.IGNORECASE made them four times slower.
_AGREE = re.compile(r"\b(?:" + _first_character_branches(AGREE_PHRASES) + r")(?!\w)")
_DISAGREE = re.compile(r"\b(?:" + _first_character_branches(DISAGREE_PHRASES) + r")(?!\w)")
_HEDGE = re.compile(r"\b(?:" + _first_character_branches(HEDGES) + r")\b")
_CONTRAST = re.compile(r"\b(?:" + "|".join(CONTRAST) + r")\b")
_THANKS = re.compile(r"\b(?:" + "|".join(THANKS) + r")\b")
_TOKEN = re.compile(r"[\w']+|[?!]")
_WORD = re.compile(r"[a-z']+|[?!]")
# `_TOKEN` and `_WORD` tokens split apart in C: each byte that cannot be part of a token becomes a
# space, "?" and "!" are spaced out (each is a token of its own), and `str.split` cuts the rest,
# several times faster than the patterns' scans. Exact where the text's word characters are all
# ASCII (for `_TOKEN`), and always for `_WORD`, whose letters are ASCII: a multi-byte UTF-8
# character is only bytes from 0x80 up, all spaces here.
_NON_ASCII_WORD_CHARACTER = re.compile(r"[^\W\x00-\x7f]")
_TOKEN_BYTES_OR_SPACE = bytes(
    code if code < 128 and (chr(code).isalnum() or chr(code) in "_'?!") else ord(" ") for code in range(256)
)
_WORD_BYTES_OR_SPACE = bytes(
    code if chr(code) in "abcdefghijklmnopqrstuvwxyz'?!" else ord(" ") for code in range(256)
)
# Counted by deleting the rest (in C) rather than listing every letter.
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_UPPER = re.compile(r"[^A-ZÀ-ÞА-Я]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_NOT_LETTER = bytes(code for code in range(128) if not chr(code).isalpha())
_ASCII_NOT_UPPER = bytes(code for code in range(128) if not chr(code).isupper())
# Second and first person words in one pass, a group each. Every match is a whole run of word
# characters ("you're" matches "you": the apostrophe ends the word), and no run is of both kinds,
# so each group counts what its pattern alone would: r"\b(?:you|your|you'?re|yours|u|ur)\b",
# r"\b(?:i|my|me|i'?m|i'?ve|mine)\b".
_PERSONS = re.compile(r"\b(?:(you|your|you'?re|yours|u|ur)|(i|my|me|i'?m|i'?ve|mine))\b")
_PROFANITY = re.compile(r"\b(?:fuck\w*|shit\w*|damn|crap|wtf|stfu)\b")
_LAUGH = re.compile(r"\b(?:lol|lmao|haha\w*|rofl)\b")
# Words that every match of the pattern contains: text with none of them (most posts) is not
# scanned, a substring search being many times faster than the pattern's scan.
_REQUIRED_WORDS = {
    _PROFANITY: ("fuck", "shit", "damn", "crap", "wtf", "stfu"),
    _LAUGH: ("lol", "lmao", "haha", "rofl"),
}
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "my",
        "your",
        "our",
        "their",
        "them",
        "his",
        "her",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "so",
        "just",
        "very",
        "can",
        "will",
        "would",
        "should",
        "could",
        "there",
        "here",
        "what",
        "which",
        "who",
        "how",
        "why",
        "when",
        "about",
        "than",
        "then",
        "get",
        "got",
        "just",
        "also",
        "all",
        "any",
        "some",
        "more",
        "most",
    ]
)

FEATURES = (
    "agree_lexicon",
    "disagree_lexicon",
    "agree_opening",
    "disagree_opening",
    "agree_then_contrast",
    "contrast",
    "hedges",
    "thanks",
    "question_marks",
    "opens_with_question",
    "quote_is_question",
    "second_person",
    "first_person",
    "profanity",
    "laughter",
    "exclamations",
    "shouting",
    "response_polarity",
    "response_subjectivity",
    "opening_polarity",
    "after_contrast_polarity",
    "quote_polarity",
    "quote_subjectivity",
    "polarity_agreement",
    "overlap",
    "response_words",
    "quote_words",
)


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """The named features of one pair and the evidence behind each.

    `values[i]` is `FEATURES[i]`; `words` holds the response's lower-cased words and word pairs
    ("good", "good point"), from which a fitted model picks its `word:` features.
    """

    values: tuple[float, ...]
    evidence: dict[str, tuple[str, ...]]
    words: frozenset[str]


def pair_features(quote_text: str, response_text: str) -> PairFeatures:
    """Compute the stance features of a response to a quoted text.

    Lexicon hits in the response's first sentence also count as `*_opening`; after a contrast
    marker ("good point, but ...") the polarity of what follows is its own feature, and agreement
    before the marker is `agree_then_contrast`. TextBlob scores only English sentences.

    Args:
        quote_text: the text responded to (quoted passage or parent post).
        response_text: the response's own text.

    Returns:
        The feature values in `FEATURES` order with evidence strings (cues) per feature.
    """
    response = _response_features(response_text)
    values = dict.fromkeys(FEATURES, 0.0) | dict(response.values)
    evidence = {feature: list(cues) for feature, cues in response.evidence}
    quote = _quote_features(quote_text)
    if quote.question:
        values["quote_is_question"] += 1.0
        evidence.setdefault("quote_is_question", []).append("quote:question")
    quote_tone = quote.tone
    response_polarity = response.tone[0]
    values["quote_polarity"], values["quote_subjectivity"] = quote_tone
    values["polarity_agreement"] = response_polarity * quote_tone[0]
    if values["polarity_agreement"]:
        evidence["polarity_agreement"] = [
            f"polarity:quote {quote_tone[0]:+.2f} vs response {response_polarity:+.2f}"
        ]
    values["overlap"] = _overlap(quote.content_words, response.content_words)
    values["quote_words"] = math.log1p(quote.tokens)
    return PairFeatures(
        values=tuple(values[name] for name in FEATURES),
        evidence={name: tuple(cues) for name, cues in evidence.items()},
        words=response.words,
    )


@dataclass(frozen=True, slots=True)
class _QuoteFeatures:
    """What the features take from the text responded to: a question?, its words, its tone."""

    question: bool
    tokens: int
    content_words: frozenset[str]
    tone: tuple[float, float]


# Bounded cache: a post answered by several posts (or quoted alike) is the quote of several edges.
@functools.lru_cache(maxsize=1024)
def _quote_features(quote_text: str) -> _QuoteFeatures:
    tokens = _tokens(quote_text.lower())
    return _QuoteFeatures(
        question=quote_text.rstrip().endswith("?"),
        tokens=len(tokens),
        content_words=_content_words(tokens),
        tone=_tone(quote_text, sentence_spans(quote_text)),
    )


@dataclass(frozen=True, slots=True)
class _ResponseFeatures:
    """The features that depend on the response alone, with their evidence, content words and tone."""

    values: tuple[tuple[str, float], ...]
    evidence: tuple[tuple[str, tuple[str, ...]], ...]
    content_words: frozenset[str]
    tone: tuple[float, float]
    words: frozenset[str]


# Bounded cache: a post that quotes or answers several posts is the response of several edges.
@functools.lru_cache(maxsize=1024)
def _response_features(response_text: str) -> _ResponseFeatures:
    values: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}

    def note(feature: str, cue: str, amount: float = 1.0) -> None:
        values[feature] = values.get(feature, 0.0) + amount
        evidence.setdefault(feature, []).append(cue)

    response = response_text.strip()
    response_spans = sentence_spans(response)
    opening_end = response_spans[0][1] if response_spans else len(response)
    lowered = _lower(response)
    contrast = _CONTRAST.search(lowered)
    contrast_at = contrast.start() if contrast else len(response)
    if contrast:
        note("contrast", f"contrast:{contrast.group(0).lower()}")
    covered: list[tuple[int, int]] = []  # lexicon hits, kept out of the word features
    for pattern, phrase_side in ((_AGREE, "agree"), (_DISAGREE, "disagree")):
        for match in pattern.finditer(lowered):
            phrase, side = match.group(0).lower(), phrase_side
            cue = f"lexicon:{phrase}"
            negator = _negator_start(response, match.start())
            covered.append((match.start() if negator < 0 else negator, match.end()))
            if negator >= 0 and not phrase.startswith(("not", "no")):
                # Negation flips the phrase; counting it for the other side lets the model learn
                # from the many plain hits instead of the few negated ones.
                cue = f"negation:not {phrase}"
                side = "disagree" if side == "agree" else "agree"
            # "Good point, but ..." : what precedes a contrast marker counts half.
            weight = 0.5 if match.start() < contrast_at else 1.0
            note(f"{side}_lexicon", cue, weight)
            if match.start() < opening_end:
                note(f"{side}_opening", cue, weight)
            if side == "agree" and match.start() < contrast_at and contrast:
                note("agree_then_contrast", f"contrast:{phrase} … {contrast.group(0).lower()}")
    for match in _HEDGE.finditer(lowered):
        note("hedges", f"hedge:{match.group(0).lower()}")
    for match in _THANKS.finditer(lowered):
        note("thanks", f"thanks:{match.group(0).lower()}")
    questions = response.count("?")
    if questions:
        note("question_marks", "question", float(min(questions, 3)))
    if response_spans and response[response_spans[0][0] : response_spans[0][1]].endswith("?"):
        note("opens_with_question", "question:opening")
    tokens = _tokens(lowered)
    words = max(1, len(tokens) - tokens.count("?") - tokens.count("!"))
    persons = _PERSONS.findall(lowered)
    second_person = sum(1 for second, _ in persons if second)
    values["second_person"] = min(1.0, 5 * second_person / words)
    values["first_person"] = min(1.0, 5 * (len(persons) - second_person) / words)
    for pattern, feature in ((_PROFANITY, "profanity"), (_LAUGH, "laughter")):
        for match in _matches(pattern, lowered):
            note(feature, f"{feature}:{match.group(0).lower()}")
    values["exclamations"] = float(min(response.count("!"), 3))
    letters, capitals = _letters_and_capitals(response)
    if letters >= 12:
        values["shouting"] = capitals / letters
    response_tone = _tone(response, response_spans)
    opening_tone = _tone(response, response_spans[:1])
    after_tone = (
        _tone(response[contrast.end() :], suffix_spans(response, contrast.end())) if contrast else (0.0, 0.0)
    )
    values["response_polarity"], values["response_subjectivity"] = response_tone
    values["opening_polarity"] = opening_tone[0]
    values["after_contrast_polarity"] = after_tone[0]
    if response_tone[0]:
        evidence["response_polarity"] = [f"polarity:response {response_tone[0]:+.2f}"]
    if opening_tone[0]:
        evidence["opening_polarity"] = [f"polarity:opening {opening_tone[0]:+.2f}"]
    if after_tone[0]:
        evidence["after_contrast_polarity"] = [f"polarity:after contrast {after_tone[0]:+.2f}"]
    values["response_words"] = math.log1p(words)
    return _ResponseFeatures(
        values=tuple(values.items()),
        evidence=tuple((feature, tuple(cues)) for feature, cues in evidence.items()),
        content_words=_content_words(tokens),
        tone=response_tone,
        words=_words(_outside(response, covered)),
    )


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, not scanning text that holds none of `_REQUIRED_WORDS[pattern]`."""
    if any(word in text for word in _REQUIRED_WORDS[pattern]):
        yield from pattern.finditer(text)


def _letters_and_capitals(text: str) -> tuple[int, int]:
    """How many letters `text` has, and how many of them are capitals (Latin, Cyrillic)."""
    # The ASCII characters are counted by byte deletion, ten times faster than the patterns, which
    # count only the others (both counts are sums over characters, so the parts add up).
    ascii_part = text.encode("ascii", "ignore")
    letters = len(ascii_part.translate(None, _ASCII_NOT_LETTER))
    capitals = len(ascii_part.translate(None, _ASCII_NOT_UPPER))
    if len(ascii_part) < len(text):
        others = "".join(_NON_ASCII.findall(text))
        letters += len(_NOT_LETTER.sub("", others))
        capitals += len(_NOT_UPPER.sub("", others))
    return letters, capitals


def _lower(text: str) -> str:
    """`text` lower-cased with its length kept, so offsets found in it index `text` too."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def _tokens(text: str) -> list[str]:
    """`_TOKEN.findall(text)`: the runs of word characters and apostrophes, and each "?" and "!"."""
    if _NON_ASCII_WORD_CHARACTER.search(text) is not None:
        return _TOKEN.findall(text)
    return _split_bytes(text.encode(), _TOKEN_BYTES_OR_SPACE)


def _split_bytes(encoded: bytes, kept_or_space: bytes) -> list[str]:
    spaced = encoded.translate(kept_or_space).replace(b"?", b" ? ").replace(b"!", b" ! ")
    return spaced.decode("ascii").split()


def _words(pieces: list[str]) -> frozenset[str]:
    words: set[str] = set()
    for piece in pieces:
        tokens = _split_bytes(piece.lower().encode(), _WORD_BYTES_OR_SPACE)  # _WORD.findall(piece.lower())
        words.update(tokens)
        words.update(map(" ".join, itertools.pairwise(tokens)))
    return frozenset(words)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The pieces of `text` outside the spans, so the spans' words and word pairs vanish.

    The lexicon features already count these phrases with negation handled; as plain words
    ("not", "wrong") they would undo the flip of "you're not wrong".
    """
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start > cursor:
            pieces.append(text[cursor:start])
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    return pieces


def _negator_start(text: str, index: int) -> int:
    """Where a negator among the three words before `index` starts, or -1 when there is none."""
    window_start = max(0, index - 40)
    tokens = list(_TOKEN.finditer(text, window_start, index))[-3:]
    for token in tokens:
        word = token.group(0).lower()
        if word in NEGATORS or word.endswith("n't"):
            return token.start()
    return -1


def _tone(text: str, spans: Sequence[tuple[int, int]] | None) -> tuple[float, float]:
    """Mean polarity and subjectivity of the English sentences; (0, 0) when there are none."""
    spans = sentence_spans(text) if spans is None else spans
    scores = [found for start, end in spans if (found := english_scores(text[start:end])) is not None]
    if not scores:
        return 0.0, 0.0
    return (
        sum(polarity for polarity, _ in scores) / len(scores),
        sum(subjectivity for _, subjectivity in scores) / len(scores),
    )


def _content_words(tokens: Sequence[str]) -> frozenset[str]:
    """The content words of a lower-cased token list: no stopwords, longer than two letters."""
    return frozenset(word for word in frozenset(tokens) - _STOPWORDS if len(word) > 2)


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard overlap of two sets of content words."""
    return len(first & second) / len(first | second) if first and second else 0.0
