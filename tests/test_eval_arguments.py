"""The argument evaluation: brat reading, hand-checked scores, and the CMV thread beside its baselines."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analysis.cli import main
from analysis.eval_arguments import evaluate_arguments, read_brat
from tests.conftest import corpus_path
from threads.errors import EXIT_INPUT, InputError

TEXT = (
    "Taxes must rise.\n"
    "Roads decay because nobody pays.\nHello from me.\n"
    "&gt; Roads decay\nThat is wrong and you know it.\nI agree with the title fully.\n"
)


def _brat(folder: Path) -> Path:
    prefix = folder / "tiny"
    reply_start = TEXT.index("&gt;")
    spans = {
        "T1": ("main_claim", "Taxes must rise."),
        "T2": ("premise", "Roads decay because nobody pays"),
        "T3": ("claim", "That is wrong and you know it"),
        "T4": ("claim", "I agree with the title fully"),
    }
    lines = []
    for name, (kind, passage) in spans.items():
        start = TEXT.index(passage, reply_start if name in ("T3", "T4") else 0)
        lines.append(f"{name}\t{kind} {start} {start + len(passage)}\t{passage}")
    lines += [
        "R1\tsupport Arg1:T2 Arg2:T1",  # inside the opening turn: not cross-turn
        "R2\trebuttal Arg1:T3 Arg2:T2",
        "R3\tagreement Arg1:T4 Arg2:T1",
    ]
    (prefix.with_suffix(".txt")).write_text(TEXT, encoding="utf-8")
    (prefix.with_suffix(".ann")).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (prefix.with_suffix(".metadata")).write_text(
        f"Title 0 16 \nContent a1 ann 16 {reply_start}\nContent b1 bob {reply_start} {len(TEXT)}\n",
        encoding="utf-8",
    )
    return prefix


def test_scores_on_a_hand_checked_document(tmp_path: Path) -> None:
    frame = evaluate_arguments(_brat(tmp_path))
    rows = frame.rows(named=True)
    figures = {row["method"]: row for row in rows}
    ours = rows[0]
    # sentences: 4 annotated of 6; the quoted line and "Hello from me." are not argumentative
    assert (ours["items"], ours["precision"], ours["recall"]) == (6, 1.0, 1.0)
    assert figures["baseline: every sentence argumentative"]["precision"] == pytest.approx(4 / 6)
    assert figures["baseline: every own-text sentence argumentative"]["precision"] == pytest.approx(4 / 5)
    # relations: the rebuttal and the agreement cross turns; the support stays inside the first turn
    polarity = [row for row in rows if row["task"] == "relation_polarity"]
    assert [row["items"] for row in polarity] == [2, 2]
    assert polarity[0]["accuracy"] == 1.0 and polarity[1]["accuracy"] == 0.5


def test_read_brat_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_brat(tmp_path / "absent")
    prefix = _brat(tmp_path)
    prefix.with_suffix(".ann").write_text("T1\tclaim zero 5\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tiny.ann:1: malformed brat line"):
        read_brat(prefix)


@pytest.fixture
def cmv_prefix() -> Path:
    return corpus_path("cmv-modes", "positive_95.txt").with_suffix("")


def test_cmv_thread_beats_the_baselines(cmv_prefix: Path) -> None:
    frame = evaluate_arguments(cmv_prefix)
    sentences = {row["method"]: row for row in frame.rows(named=True) if row["task"] == "sentences"}
    ours = sentences["threadlens: discourse markers, evaluation cues, answers on own text"]
    everything = sentences["baseline: every sentence argumentative"]
    assert ours["items"] == 85
    assert ours["f1"] > everything["f1"] and ours["precision"] > everything["precision"]
    polarity = frame.filter(frame["task"] == "relation_polarity").rows(named=True)
    assert polarity[0]["items"] == 37
    assert polarity[0]["macro_f1"] > polarity[1]["macro_f1"]


def test_cmv_polarity_accuracy_beats_the_majority(cmv_prefix: Path) -> None:
    polarity = evaluate_arguments(cmv_prefix).filter(pl.col("task") == "relation_polarity").rows(named=True)
    assert polarity[0]["accuracy"] > polarity[1]["accuracy"]


def test_cmv_sentences_beat_every_own_text_sentence(cmv_prefix: Path) -> None:
    # 68 of the 73 own-text sentences argue in this thread, so this baseline is strong (F1 0.965)
    rows = evaluate_arguments(cmv_prefix).rows(named=True)
    assert rows[0]["f1"] > rows[2]["f1"]


def test_cli_prints_the_table(cmv_prefix: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "arguments", "--cmv", str(cmv_prefix)]) == 0
    out = capsys.readouterr().out
    assert "baseline: majority polarity" in out and "Hidey et al." in out


def test_cli_missing_corpus_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "arguments", "--cmv", str(tmp_path / "none")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
