"""Stance against hand-labelled Reddit pairs (Lei & Huang 2022): cross-validated macro-F1 vs baselines."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.stance_eval import evaluate, folds_of, read_pairs, score
from tests.conftest import corpus_path
from threads.errors import EXIT_INPUT, InputError


def _pairs_path() -> Path:
    return corpus_path("subreddit-agreement", "SubReddit-CovidVaccine.csv")


@pytest.mark.corpus
def test_cross_validated_macro_f1_beats_target_and_baselines() -> None:
    pairs = read_pairs(_pairs_path())
    assert len(pairs) == 1400
    results = {result.system: result for result in evaluate(pairs)}
    model = results["threadlens (5-fold CV)"].macro_f1
    assert model >= 0.55
    assert results["majority class"].macro_f1 < 0.25
    assert results["TextBlob polarity"].macro_f1 < 0.40
    assert sum(map(sum, results["threadlens (5-fold CV)"].confusion)) == 1400


@pytest.mark.corpus
def test_pairs_file_is_read_despite_cp1252_bytes() -> None:
    pairs = read_pairs(_pairs_path())
    assert {pair.label for pair in pairs} == {0, 1, 2}
    text = "".join(pair.quote_text + pair.response_text for pair in pairs)
    assert "\ufffd" not in text and text.count("\u2019") > 1000  # cp1252 0x92, the apostrophe


def test_score_macro_f1_and_confusion() -> None:
    result = score("x", [0, 0, 1, 2], [0, 1, 1, 2])
    assert result.confusion == ((1, 1, 0), (0, 1, 0), (0, 0, 1))
    assert result.f1 == pytest.approx({"disagree": 2 / 3, "neutral": 2 / 3, "agree": 1.0})
    assert result.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_folds_are_stratified() -> None:
    assert folds_of([0, 0, 1, 0, 1], folds=2) == [0, 1, 0, 0, 1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"quote_text,response_text\na,b\n", "no relation column"),
        (b"quote_text,response_text,relation\na,b,7\n", "relation must be 0, 1 or 2"),
        (b"quote_text,response_text,relation\n", "no labelled pairs"),
    ],
)
def test_bad_pairs_file_is_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_pairs(path)


def test_eval_stance_cli_reports_every_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [("You are right.", "I agree, exactly.", 2), ("Masks work.", "That’s totally wrong.", 0)] * 5
    rows += [("Any side effects?", "Sore arm for a day.", 1)] * 5
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows([("quote_text", "response_text", "relation"), *rows])
    assert main(["eval", "stance", "--pairs", str(path)]) == 0
    out = capsys.readouterr().out
    for system in ("threadlens (5-fold CV)", "majority class", "TextBlob polarity"):
        assert f"{system}: macro-F1" in out
    assert "pred disagree" in out and "true agree" in out


def test_eval_stance_missing_file_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "stance", "--pairs", "/nonexistent/pairs.csv"]) == EXIT_INPUT
    assert capsys.readouterr().err.count("\n") == 1
