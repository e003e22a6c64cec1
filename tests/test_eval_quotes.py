"""The quote evaluation: IAC gold spans read and scored, thresholds met on the real thread."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import threads
from analysis.cli import main
from analysis.eval_quotes import GoldSpan, evaluate_iac, read_iac_quotes, score_quotes
from tests.conftest import corpus_path
from threads.errors import EXIT_FORMAT, EXIT_INPUT, InputError

SENTENCE = "Evolution is a change in the frequency of alleles in a population over time."


@pytest.mark.corpus
def test_iac_255_meets_the_quote_targets() -> None:
    scores = evaluate_iac(
        corpus_path("iac-4forums", "discussion_255.json"), corpus_path("iac-4forums", "quotes_255.json")
    )
    assert (scores.posts, scores.gold_spans, scores.excluded_spans) == (47, 55, 9)
    assert scores.f1 >= 0.95, scores
    assert scores.source_accuracy >= 0.97, scores


@pytest.mark.corpus
def test_cli_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    discussion = corpus_path("iac-4forums", "discussion_255.json")
    quotes = corpus_path("iac-4forums", "quotes_255.json")
    assert main(["eval", "quotes", "--discussion", str(discussion), "--quotes", str(quotes)]) == 0
    out = capsys.readouterr().out
    for measure in ("char precision", "char recall", "char F1", "source accuracy", "left out of both sides"):
        assert measure in out


def test_scores_count_non_space_chars_and_leave_unsourced_gold_out() -> None:
    reply = "No, that is the textbook definition and it has not changed."
    text = f"{SENTENCE}\n\n{reply}\n\nUnattributed words from somewhere."
    thread = _thread(SENTENCE, text)
    unsourced_start = text.index("Unattributed")
    gold = [
        GoldSpan("2", 0, len(SENTENCE) + 1, "1"),
        GoldSpan("2", unsourced_start, len(text), None),
    ]
    scores = score_quotes(thread, gold)
    assert scores.recall == 1.0 and scores.precision == 1.0
    assert scores.excluded_chars == sum(not c.isspace() for c in text[unsourced_start:])
    assert (scores.source_correct, scores.source_missed) == (1, 0)


def test_a_missed_gold_span_counts_against_recall_and_sources() -> None:
    thread = _thread(SENTENCE, "Something else entirely, written fresh for this reply.")
    scores = score_quotes(thread, [GoldSpan("2", 0, 10, "1")])
    assert scores.recall == 0.0 and scores.source_missed == 1 and scores.source_accuracy == 0.0


def _thread(first: str, second: str) -> threads.Thread:
    return threads.from_frame(pl.DataFrame({"id": ["1", "2"], "text": [first, second]}))


@pytest.mark.parametrize(
    ("option", "content", "message", "code"),
    [
        ("--discussion", None, "no such file (pass --discussion FILE)", EXIT_INPUT),
        ("--quotes", None, "no such file (pass --quotes FILE)", EXIT_INPUT),
        ("--discussion", "{not json", "malformed JSON", EXIT_INPUT),
        (
            "--discussion",
            json.dumps([{"text": "a"}]),
            "not an IAC discussion (it reads as table)",
            EXIT_FORMAT,
        ),
        ("--discussion", json.dumps([[[1, None, "a"]]]), "post 1 should be an array", EXIT_INPUT),
        ("--quotes", json.dumps([[1, [0]]]), "entry 1 is not", EXIT_INPUT),
    ],
)
def test_bad_files_are_one_line_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    content: str | None,
    message: str,
    code: int,
) -> None:
    discussion = tmp_path / "discussion.json"
    quotes = tmp_path / "quotes.json"
    discussion.write_text(json.dumps([[[1, None, "a", SENTENCE, {}, None, None, 0.0]], {}, {}]))
    quotes.write_text("[]")
    target = discussion if option == "--discussion" else quotes
    if content is None:
        target.unlink()
    else:
        target.write_text(content)
    assert main(["eval", "quotes", "--discussion", str(discussion), "--quotes", str(quotes)]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_gold_span_outside_the_text_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "quotes.json"
    path.write_text(json.dumps([[2, [0, 999, {"quote_id": 1}]]]))
    with pytest.raises(InputError, match="outside its text"):
        score_quotes(_thread(SENTENCE, "short"), read_iac_quotes(path))
