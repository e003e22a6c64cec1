"""Argumentative sentences (claims, premises) found by discourse markers, and argument chains across posts."""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import polars as pl

from analysis.schemas import ARGUMENTS_SCHEMA, CHAINS_SCHEMA, rows_frame
from analysis.sentences import sentence_spans
from threads.errors import InputError
from threads.model import Post, Thread

# Markers that introduce a reason or evidence: the sentence supports something else.
PREMISE_MARKERS = (
    "because", "since", "given that", "for example", "for instance", "e.g.", "due to", "owing to",
    "the reason is", "the reason why", "as a result of", "according to", "as shown by",
    "as evidenced by", "studies show", "research shows", "evidence", "after all", "considering",
    "in light of", "for one thing", "first of all", "firstly", "secondly", "moreover", "furthermore",
    "in addition", "not to mention",
)  # fmt: skip
# Markers that introduce a conclusion, a position or a demand: the sentence is what is argued for.
CLAIM_MARKERS = (
    "therefore", "thus", "hence", "consequently", "as a result", "which is why", "that's why",
    "that is why", "it follows that", "so it seems", "in conclusion", "to conclude", "in short",
    "that is to say", "in other words", "i think", "i believe", "i feel", "i guess", "i suspect",
    "i would argue", "i'd argue", "i argue", "in my opinion", "in my view", "imo", "imho",
    "in fact", "clearly", "obviously", "of course", "certainly", "surely", "undoubtedly",
    "the point is", "my point is", "i agree", "i disagree", "i don't think", "i do not think",
    "should", "shouldn't", "must", "ought to", "need to", "needs to", "have to", "has to",
)  # fmt: skip
# Markers that set one position against another: a counter-claim or a concession.
CONTRAST_MARKERS = (
    "however", "but", "although", "though", "even though", "even if", "despite", "in spite of",
    "nevertheless", "nonetheless", "on the other hand", "whereas", "yet", "instead", "rather than",
    "on the contrary", "regardless",
)  # fmt: skip

# Evaluation cues: generalization, negation, comparison, condition and modality. Without a
# discourse marker a sentence still argues when it asserts something debatable; these words (and
# TextBlob subjectivity) are the common surface signs of that (cf. claim-detection features in
# Stab & Gurevych 2014, Levy et al. 2014). They only ever make a sentence a claim, never a premise.
EVALUATION_CUES = (
    # generalization
    "always", "never", "ever", "all", "every", "everyone", "everybody", "everything", "anyone",
    "anybody", "nobody", "nothing", "no one", "none", "many", "most", "only",
    # comparison
    "more", "less", "better", "worse", "than", "too", "enough", "least", "same", "different",
    "another", "unlike", "similar",
    # condition
    "if", "unless", "otherwise",
    # modality and negation
    "can", "can't", "cannot", "could", "would", "will", "won't", "may", "might", "shall", "seem",
    "seems", "not", "no", "agree", "disagree",
)  # fmt: skip
MIN_CUE_WORDS = 4
# An answer needs no cue, but two words at least, and is not a greeting or thanks.
MIN_ANSWER_WORDS = 2
_SOCIAL = re.compile(
    r"\s*(?:hi|hello|hey|thanks|thank you|thx|cheers|welcome|congrats|congratulations|lol|haha\w*)\b",
    re.IGNORECASE,
)
# Sentences that point at something rather than assert it: "Here's a link", "Source: ...", a
# bare URL, a quote header left in the text ("Originally posted by ..."). They are not
# argumentative even with a marker ("Here's a version, but shorter.").
_META = re.compile(
    r"\s*(?:(?:here'?s|here is|see|source|sources|link|links)\b(?:\s+(?:a|an|the|my|some|this)\b|\s*:)"
    r"|(?:https?://|www\.)\S+\s*$"
    r"|(?:originally )?posted by\b|quote from\b)",
    re.IGNORECASE,
)

_ROLE_OF = (
    {marker: "premise" for marker in PREMISE_MARKERS}
    | {marker: "claim" for marker in CLAIM_MARKERS}
    | {marker: "contrast" for marker in CONTRAST_MARKERS}
)


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """A regex matching any of the phrases, as a character trie: one pass, longest phrase preferred.

    A plain alternation of ~150 phrases tries each at every position; the trie branches on the
    next character instead, which makes marker search several times faster.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [
            ("['’]" if char == "'" else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional: "as a result of" is tried before "as a result".
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_MARKER_PATTERN = rf"(?<![\w'’])(?:{_phrase_pattern(_ROLE_OF)})(?![\w'’])"
_NEGATION = r"\w+n['’]t"
_CUE_PATTERN = rf"(?<![\w'’])(?:{_phrase_pattern(EVALUATION_CUES)}|{_NEGATION})(?![\w'’])"
_MARKER = re.compile(_MARKER_PATTERN, re.IGNORECASE)
_CUE = re.compile(_CUE_PATTERN, re.IGNORECASE)
# The same patterns, case-sensitive, for lower-cased text: about twice as fast. They find exactly
# what the IGNORECASE ones find in the original text unless it holds one of `_CASE_FOLDS_APART`:
# the only characters IGNORECASE matches to an ASCII letter that `str.lower` leaves apart ("ı",
# "ſ"), or lowers to two characters, shifting offsets ("İ"); lowering keeps what is a word
# character (both checked over every code point when this was written).
_MARKER_LOWER = re.compile(_MARKER_PATTERN)
_CUE_LOWER = re.compile(_CUE_PATTERN)
_CASE_FOLDS_APART = ("İ", "ı", "ſ")
# The lower-case cue pattern without the "-n't" negation, for text where no "n't" can match: the
# negation is tried at every word start where no cue word matched, scanning the word again.
_CUE_LOWER_WITHOUT_NEGATION = re.compile(_CUE_PATTERN.replace(f"|{_NEGATION})", ")"))
_WORD = re.compile(r"\w+")
# In ASCII text the word characters are the letters, digits and "_": every other byte becomes a
# space and the words are what `bytes.split` leaves, counted in C (`_WORD.findall` built a list).
_ASCII_WORD_BYTES_OR_SPACE = bytes(
    code if chr(code).isalnum() or code == ord("_") else ord(" ") for code in range(256)
)
# "since 2010", "since then": time, not a reason.
_TEMPORAL_SINCE = re.compile(
    r"\s+(?:\d|then\b|last\b|yesterday\b|the (?:start|beginning|day)\b)", re.IGNORECASE
)
EXCERPT_CHARS = 160
CHAIN_KINDS = ("quote", "reply")


@dataclass(frozen=True, slots=True)
class ArgumentSentence:
    """One sentence of a post's own text, with the discourse markers it contains.

    `role` and `markers` are `classify_sentence`'s verdict; role None means the sentence does not argue.
    """

    index: int
    text: str
    role: str | None
    markers: tuple[str, ...]


# Bounded cache: argument_chains classifies again the sentences of every post it summarizes.
@functools.lru_cache(maxsize=8192)
def classify_sentence(text: str, *, answers: bool = False) -> tuple[str | None, tuple[str, ...]]:
    """The argumentative role of one sentence and the markers and cues that decided it.

    Three tiers, checked in order:
    1. Discourse markers: any phrase of `PREMISE_MARKERS`, `CLAIM_MARKERS` or `CONTRAST_MARKERS`
       (whole words, case-insensitive, straight or curly apostrophes; "since" followed by a number,
       "then", "last", "yesterday" or "the start/beginning/day" is temporal, not a marker). It is a
       "premise" when all its markers are premise markers, else a "claim" (a contrast marker opens
       a counter-claim; a conclusion marker beside a reason still makes it the point argued).
    2. Evaluation cues, for sentences of at least `MIN_CUE_WORDS` words without a marker: a word of
       `EVALUATION_CUES` or any "-n't" negation ("cue:<word>"), or, failing those, a word that
       TextBlob's sentiment lexicon rates subjective in some sense ("cue:subjective"; looked up
       directly: running TextBlob on every sentence was the slowest step). It is a "claim".
    3. Position: a sentence that `answers` (the first sentence of a reply, or the first after a
       quoted passage) responds to what it follows, so it argues whatever its words ("So did
       they.", "Well we have the benefit of history."): a "claim" with "cue:answers", when it
       has `MIN_ANSWER_WORDS` words and is not a greeting or thanks.
    Anything else is not argumentative, and so is a meta sentence whatever its markers: one that
    presents something ("Here's a ...", "See the ...", "Source: ..."), is a bare URL or a quote
    header left in the text ("Originally posted by ...").

    Args:
        text: one sentence.
        answers: the sentence opens a reply or follows a quoted passage.

    Returns:
        (role, markers): role is "claim", "premise" or None; markers are lower-cased discourse
        markers, or "cue:..." entries, in order of appearance, without repeats.
    """
    if _META.match(text):
        return None, ()
    if text.isascii() or not any(char in text for char in _CASE_FOLDS_APART):
        searched, marker_pattern, cue_pattern = text.lower(), _MARKER_LOWER, _CUE_LOWER
        if "n'" not in searched and "n’" not in searched:
            cue_pattern = _CUE_LOWER_WITHOUT_NEGATION
    else:
        searched, marker_pattern, cue_pattern = text, _MARKER, _CUE
    found = marker_pattern.findall(searched)
    if any(marker.lower() == "since" for marker in found):
        found = [
            match.group(0)
            for match in marker_pattern.finditer(searched)
            if not (match.group(0).lower() == "since" and _TEMPORAL_SINCE.match(text, match.end()))
        ]
    markers = _unique(found)
    if markers:
        roles = {_ROLE_OF[marker] for marker in markers}
        return ("premise" if roles == {"premise"} else "claim"), markers
    words = _word_count(text)
    cues: tuple[str, ...] = ()
    if words >= MIN_CUE_WORDS:
        cues = _unique(["cue:" + cue for cue in cue_pattern.findall(searched)])
        if not cues and not _subjective_words().isdisjoint(map(str.lower, _WORD.findall(text))):
            cues = ("cue:subjective",)
    # An answer ending in ":" introduces what follows (a quote, a list) rather than answering.
    introduces = text.rstrip().endswith(":")
    if not cues and answers and words >= MIN_ANSWER_WORDS and not introduces and not _SOCIAL.match(text):
        cues = ("cue:answers",)
    return ("claim", cues) if cues else (None, ())


@functools.cache
def _subjective_words() -> frozenset[str]:
    """Words of TextBlob's bundled sentiment lexicon with a subjectivity above 0 in some sense."""
    lexicon = importlib.resources.files("textblob.en").joinpath("en-sentiment.xml")
    root = ElementTree.fromstring(lexicon.read_bytes())
    return frozenset(
        word.attrib["form"].lower()
        for word in root.iter("word")
        if float(word.attrib.get("subjectivity", "0") or 0) > 0
    )


def _word_count(text: str) -> int:
    """`len(_WORD.findall(text))`: how many runs of word characters `text` has."""
    if text.isascii():
        return len(text.encode("ascii").translate(_ASCII_WORD_BYTES_OR_SPACE).split())
    return len(_WORD.findall(text))


def _unique(found: Sequence[str]) -> tuple[str, ...]:
    if not found:  # most sentences: no generator and dict built for nothing
        return ()
    return tuple(dict.fromkeys(item.lower().replace("’", "'") for item in found))


def post_sentences(
    post: Post, *, quote_spans: Sequence[tuple[int, int]] = (), replies: bool = False
) -> list[ArgumentSentence]:
    """Every sentence of a post's own text, classified by `classify_sentence` (argumentative or not).

    Args:
        post: the post; its `own_text` is split with `sentence_spans`.
        quote_spans: (start, end) of the quoted passages in `post.text`: the first own sentence
            after each one answers it.
        replies: the post answers another post (a quote or reply link), so its first sentence
            answers too.

    Returns:
        One `ArgumentSentence` per sentence, in order; `index` counts from 0.
    """
    return [ArgumentSentence(*fields) for fields in _classified(post, quote_spans, replies)]


def _classified(
    post: Post, quote_spans: Sequence[tuple[int, int]], replies: bool
) -> Iterator[tuple[int, str, str | None, tuple[str, ...]]]:
    """The fields of each `ArgumentSentence` of `post_sentences`, in order, as tuples.

    `argument_sentences` only reads the fields: building the frozen records cost it a tenth of its time.
    """
    answer_starts = ([0] if replies else []) + _answer_offsets(post, quote_spans)
    pending = 0  # index into answer_starts of the next answer not yet given to a sentence
    for index, (start, end) in enumerate(sentence_spans(post.own_text)):
        answers = False
        while pending < len(answer_starts) and answer_starts[pending] <= start:
            answers, pending = True, pending + 1
        text = post.own_text[start:end]
        yield (index, text, *classify_sentence(text, answers=answers))


def _answer_offsets(post: Post, quote_spans: Sequence[tuple[int, int]]) -> list[int]:
    """Where in `own_text` each piece that follows a quoted passage starts (see `threads.assemble.own_text`).

    `own_text` is `text` with the quotes cut and the remaining pieces stripped and joined by
    newlines; when the pieces rebuilt here do not give `own_text` back, nothing is claimed.
    """
    pieces: list[tuple[str, bool]] = []  # (stripped piece, a quote came before it)
    cursor, quoted_before = 0, False
    for start, end in sorted(quote_spans):
        if post.text[cursor:start].strip():
            pieces.append((post.text[cursor:start].strip(), quoted_before))
        quoted_before = True
        cursor = max(cursor, end)
    if post.text[cursor:].strip():
        pieces.append((post.text[cursor:].strip(), quoted_before))
    if "\n".join(piece for piece, _ in pieces) != post.own_text:
        return []
    offsets, position = [], 0
    for piece, follows_quote in pieces:
        if follows_quote:
            offsets.append(position)
        position += len(piece) + 1
    return offsets


def argument_sentences(thread: Thread) -> pl.DataFrame:
    """The claims and premises of every post's own text, found by discourse markers.

    Sentences come from `sentence_spans` over `own_text` (quoted text is not the author's argument);
    each is classified by `classify_sentence`, which counts the first sentence of a post with a
    quote or reply link, and the first after each of its quotes, as answers. Posts whose detected
    language is not English are skipped: the markers are English words.

    Args:
        thread: the thread.

    Returns:
        One row per argumentative sentence, in thread and sentence order, with `ARGUMENTS_SCHEMA`;
        `sentence` is the 0-based index among all sentences of the post's own text.
    """
    quote_spans: dict[str, list[tuple[int, int]]] = {}
    for quote in thread.quotes:
        quote_spans.setdefault(quote.post_id, []).append((quote.start, quote.end))
    replying = {edge.src for edge in thread.edges if edge.kind in CHAIN_KINDS}
    rows = [
        (post.id, index, text, role, markers)
        for post in thread.posts
        if _is_english(post)
        for index, text, role, markers in _classified(post, quote_spans.get(post.id, ()), post.id in replying)
        if role is not None
    ]
    return rows_frame(rows, ARGUMENTS_SCHEMA)


def main_sentence(post: Post, *, limit: int = EXCERPT_CHARS) -> str:
    """The post's main argumentative sentence, shortened to `limit` characters with an ellipsis.

    The main sentence has the most markers (claims before premises on ties, then the earliest);
    a post with no argumentative sentence gives its first sentence, a post with no text "".

    Args:
        post: the post (its own text is used; non-English posts give their first sentence).
        limit: the longest excerpt, in characters, ellipsis included.

    Returns:
        The sentence with white space runs collapsed, cut to `limit` characters.
    """
    sentences = post_sentences(post) if _is_english(post) else []
    if not sentences:
        spans = sentence_spans(post.own_text)
        sentences = [ArgumentSentence(0, post.own_text[slice(*spans[0])], None, ())] if spans else []
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: (len(s.markers), s.role == "claim", -s.index))
    text = " ".join(best.text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def argument_chains(
    thread: Thread,
    stance: pl.DataFrame,
    *,
    max_chains: int = 20,
    min_length: int = 2,
    kinds: Sequence[str] = CHAIN_KINDS,
) -> pl.DataFrame:
    """Argument chains: paths along quote/reply links, claim -> rebuttal -> counter-rebuttal.

    For every post, dynamic programming in thread order keeps the best path ending there: the one
    with the most posts, then the most `disagree` steps (the stance of each link, looked up in
    `stance` by (src, dst)), then through the latest parent. One chain is taken per leaf (a post
    no later post links to, over the selected kinds), so enumeration is linear in posts plus edges,
    never all paths. Chains are ranked by length, then disagree steps, then the earlier leaf.

    Args:
        thread: the thread.
        stance: a frame with at least columns `src`, `dst`, `stance` (`STANCE_SCHEMA`); a link
            missing from it gets a null stance.
        max_chains: most chains returned.
        min_length: fewest posts in a chain.
        kinds: edge kinds followed (default quote and reply; `inferred` links are guesses).

    Returns:
        One row per step of each chain, with `CHAINS_SCHEMA`: chain 1 ranks first, step 0 is the
        opening post (null stance), each later step's stance is toward the previous step, and the
        excerpt is its `main_sentence`.

    Raises:
        InputError: `stance` lacks a required column.
        ValueError: `max_chains` < 0, `min_length` < 1, or an unknown kind.
    """
    missing = [name for name in ("src", "dst", "stance") if name not in stance.columns]
    if missing:
        raise InputError(f"stance frame has no {', '.join(missing)} column (see STANCE_SCHEMA)")
    if max_chains < 0 or min_length < 1:
        raise ValueError(f"max_chains must be >= 0 and min_length >= 1, got {max_chains}, {min_length}")
    unknown = set(kinds) - {"quote", "reply", "inferred"}
    if unknown:
        raise ValueError(f"unknown edge kind {sorted(unknown)[0]!r}; choose from quote, reply, inferred")
    stance_of: dict[tuple[str, str], str] = {}
    # Columns read as lists: a select and row iteration cost a polars query per call.
    for src, dst, label in zip(
        *(stance.get_column(name).to_list() for name in ("src", "dst", "stance")), strict=True
    ):
        if label is not None:
            stance_of.setdefault((src, dst), label)
    index = {post.id: position for position, post in enumerate(thread.posts)}
    parents: list[set[int]] = [set() for _ in thread.posts]
    has_child = [False] * len(thread.posts)
    for edge in thread.edges:
        src, dst = index.get(edge.src), index.get(edge.dst)
        if edge.kind in kinds and src is not None and dst is not None and dst < src:
            parents[src].add(dst)
            has_child[dst] = True
    ids = [post.id for post in thread.posts]
    # best[v] = (posts on the best path ending at v, disagree steps on it); previous[v] its parent.
    best: list[tuple[int, int]] = []
    previous: list[int | None] = []
    for post, linked in enumerate(parents):
        choice: tuple[tuple[int, int], int] | None = None
        for parent in linked:
            step = 1 if stance_of.get((ids[post], ids[parent])) == "disagree" else 0
            score = (best[parent][0] + 1, best[parent][1] + step)
            if choice is None or (score, parent) > (choice[0], choice[1]):
                choice = (score, parent)
        best.append(choice[0] if choice else (1, 0))
        previous.append(choice[1] if choice else None)
    leaves = [post for post in range(len(parents)) if not has_child[post] and best[post][0] >= min_length]
    leaves.sort(key=lambda post: (-best[post][0], -best[post][1], post))
    rows = []
    excerpts: dict[int, str] = {}  # chains share their openings: each post is summarized once
    for rank, leaf in enumerate(leaves[:max_chains], start=1):
        path = [leaf]
        while (back := previous[path[-1]]) is not None:
            path.append(back)
        path.reverse()
        for step, post in enumerate(path):
            record = thread.posts[post]
            label = stance_of.get((ids[post], ids[path[step - 1]])) if step else None
            if post not in excerpts:
                excerpts[post] = main_sentence(record)
            rows.append((rank, step, record.id, record.author, label, excerpts[post]))
    return pl.DataFrame(rows, schema=CHAINS_SCHEMA, orient="row")


def _is_english(post: Post) -> bool:
    return post.language in (None, "en")
