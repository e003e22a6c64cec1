"""analyze(): every frame in its declared schema, Jupyter display, Parquet output, the CLI summary."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import analysis
import threads
from analysis import schemas
from analysis.analyze import FRAMES, write_analysis
from analysis.arguments import argument_chains, argument_sentences, classify_sentence
from analysis.cli import main
from analysis.sentences import _cached_spans
from analysis.stance import edge_stance
from analysis.stance_features import _quote_features, _response_features
from analysis.structure import post_structure, repair_report, structure_metrics
from analysis.targets import target_stance
from analysis.tone import (
    english_scores,
    score_sentence,
    sentence_language,
    sentences_read_once,
    tone_posts,
    tone_sentences,
)

SCHEMAS = {
    "tone_sentences": schemas.TONE_SENTENCES_SCHEMA,
    "tone_posts": schemas.TONE_POSTS_SCHEMA,
    "stance": schemas.STANCE_SCHEMA,
    "targets": schemas.TARGET_STANCE_SCHEMA,
    "arguments": schemas.ARGUMENTS_SCHEMA,
    "chains": schemas.CHAINS_SCHEMA,
    "metrics": schemas.METRICS_SCHEMA,
    "repairs": schemas.REPAIRS_SCHEMA,
    "post_structure": schemas.POST_STRUCTURE_SCHEMA,
}
# `analysis.analyze` is the function; the module is reached by its name.
analyze_module = importlib.import_module("analysis.analyze")
TEXTS = [
    "ASPI says China leads in research. The GE engines are still better.",
    "Your interpretation is totally wrong. ASPI measures leading indicators, and China invests a lot.",
    "I agree, good point about GE. 中国的发动机还在追赶。",
]


def _thread() -> threads.Thread:
    frame = pl.DataFrame({"id": ["1", "2", "3"], "author": ["ann", "bob", "chen"], "text": TEXTS})
    return threads.from_frame(frame.with_columns(reply_to=pl.Series([None, "1", "2"])))


def test_every_frame_follows_its_schema() -> None:
    result = analysis.analyze(_thread())
    assert tuple(result.frames()) == FRAMES
    for name, frame in result.frames().items():
        assert dict(frame.schema) == SCHEMAS[name], name


def test_summary_counts_what_the_frames_hold() -> None:
    facts = analysis.analyze(_thread(), targets=["China", "GE"]).summary()
    assert facts["posts"] == 3
    assert facts["english_share"] == pytest.approx(5 / 6)
    assert facts["stance"] == {"agree": 1, "disagree": 1, "neutral": 0}
    assert [name for name, _ in facts["top_targets"]] == ["China", "GE"]


def test_jupyter_shows_tables() -> None:
    shown = analysis.analyze(_thread())._repr_html_()
    assert shown.count("<table") == len(FRAMES) and "tone_posts" in shown


def test_write_analysis_writes_one_parquet_per_frame(tmp_path: Path) -> None:
    result = analysis.analyze(_thread())
    folder = write_analysis(result, tmp_path / "out")
    assert sorted(path.stem for path in folder.iterdir()) == sorted(FRAMES)
    assert pl.read_parquet(folder / "stance.parquet").equals(result.stance)


def test_cli_analyze_prints_summary_and_writes_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "thread.csv"
    pl.DataFrame({"id": ["1", "2", "3"], "author": ["ann", "bob", "chen"], "text": TEXTS}).write_csv(source)
    assert main(["analyze", str(source), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "3 posts" in out and "top targets:" in out
    # No reply_to column: both links are guessed parents, reported apart from quote/reply links.
    assert "stance on quote/reply links: 0 agree, 0 disagree, 0 neutral (0 links)" in out
    assert "stance on inferred links (guessed parent):" in out and "(2 links)" in out
    assert (tmp_path / "out" / "thread" / "tone_posts.parquet").exists()


def test_cli_analyze_missing_file_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "/nonexistent/thread.txt"]) == threads.InputError.exit_code
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_analyze_refuses_inputs_that_would_share_an_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        pl.DataFrame({"text": TEXTS}).write_csv(tmp_path / folder / "thread.csv")
    paths = [str(tmp_path / "a" / "thread.csv"), str(tmp_path / "b" / "thread.csv")]
    assert main(["analyze", *paths, "-o", str(tmp_path / "out")]) == threads.InputError.exit_code
    assert "share the name 'thread'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_summary_counts_inferred_links_apart() -> None:
    frame = pl.DataFrame({"id": ["1", "2", "3"], "author": ["ann", "bob", "chen"], "text": TEXTS})
    # Post 3 names no parent: threads.replies infers one (the first post), a guess kept apart.
    result = analysis.analyze(threads.from_frame(frame.with_columns(reply_to=pl.Series([None, "1", None]))))
    kinds = result.stance.get_column("kind").to_list()
    assert kinds.count("inferred") == 1 and kinds.count("reply") == 1
    facts = result.summary()
    assert sum(facts["stance"].values()) == 1
    assert sum(facts["stance_inferred"].values()) == 1
    replied = result.stance.filter(pl.col("kind") == "reply").get_column("stance").item()
    assert facts["stance"][replied] == 1


def _clear_caches() -> None:
    for cached in (score_sentence, sentence_language, _cached_spans, classify_sentence):
        cached.cache_clear()
    _response_features.cache_clear()
    _quote_features.cache_clear()


def test_analyze_equals_each_analysis_run_alone(seeds_dir: Path) -> None:
    # analyze shares work between the analyses (each sentence read once); every frame must be what
    # the analysis gives run on its own with cold caches, floats to the last bit.
    thread = threads.read(seeds_dir / "001_cdfdb8fad759d874.txt")
    result = analysis.analyze(thread)
    _clear_caches()
    alone = {
        "tone_sentences": tone_sentences(thread),
        "tone_posts": tone_posts(thread),
        "stance": edge_stance(thread),
        "targets": target_stance(thread),
        "arguments": argument_sentences(thread),
        "chains": argument_chains(thread, edge_stance(thread)),
        "metrics": structure_metrics(thread),
        "repairs": repair_report(thread),
        "post_structure": post_structure(thread),
    }
    assert result.frames()["stance"].height > 10
    for name, frame in result.frames().items():
        assert_frame_equal(frame, alone[name], check_exact=True)


def test_english_scores_inside_and_outside_the_shared_scope_agree() -> None:
    texts = ["This is great.", "中国很强。", "This is great.", "", "Terrible, not good at all!"]
    _clear_caches()
    outside = [english_scores(text) for text in texts]
    _clear_caches()
    with sentences_read_once():
        inside = [english_scores(text) for text in texts]
        assert inside[0] is inside[2]  # read once
    assert inside == outside
    tone = score_sentence(texts[0])
    assert outside[0] == (tone.polarity, tone.subjectivity) and outside[0][0] > 0
    assert outside[1] is None and outside[3] is None


def test_tone_sentences_records_the_scores_stance_reads(seeds_dir: Path) -> None:
    thread = threads.read(seeds_dir / "001_cdfdb8fad759d874.txt")
    with sentences_read_once():
        frame = tone_sentences(thread)
        score_sentence.cache_clear()
        sentence_language.cache_clear()
        recorded = [english_scores(text) for text in frame.get_column("text")]
        assert score_sentence.cache_info().misses == 0  # every one read from what tone recorded
    expected = [
        None if polarity is None else (polarity, subjectivity)
        for polarity, subjectivity in frame.select("polarity", "subjectivity").iter_rows()
    ]
    assert recorded == expected


def test_analyze_keeps_the_cycle_collector_out_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # The collector's passes over a big thread's objects found nothing to free and cost CPU
    # seconds (threads.collector): the analyses run with it paused, and analyze leaves it as the
    # caller had it.
    thread = _thread()
    collector_during: list[bool] = []

    def spied_post_structure(thread: threads.Thread) -> pl.DataFrame:
        collector_during.append(gc.isenabled())
        return post_structure(thread)

    monkeypatch.setattr(analyze_module, "post_structure", spied_post_structure)
    was = gc.isenabled()
    try:
        gc.enable()
        analysis.analyze(thread)
        assert collector_during == [False]
        assert gc.isenabled()
        gc.disable()
        analysis.analyze(thread)
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_progress_counts_each_step_up_to_its_total_and_changes_nothing(
    seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = threads.read(seeds_dir / "001_cdfdb8fad759d874.txt")  # 35 posts, 34 links
    # Smaller steps than on a real thread, so that a 35-post thread reports part-way too.
    monkeypatch.setattr(importlib.import_module("analysis.tone"), "PROGRESS_EVERY", 4)
    monkeypatch.setattr(importlib.import_module("analysis.stance"), "_PAIRS_AT_ONCE", 5)
    calls: list[tuple[str, int, int]] = []
    reported = analysis.analyze(thread, progress=lambda step, done, total: calls.append((step, done, total)))
    plain = analysis.analyze(thread)

    for name, frame in plain.frames().items():
        assert_frame_equal(reported.frames()[name], frame)
    steps = [step for step, _, _ in calls]
    assert sorted(set(steps), key=steps.index) == list(analyze_module.ANALYSIS_STEPS)
    assert steps == sorted(steps, key=analyze_module.ANALYSIS_STEPS.index)  # each step once, in order
    totals = {"tone": len(thread.posts), "stance": len(thread.edges)}
    for step in analyze_module.ANALYSIS_STEPS:
        counts = [(done, total) for name, done, total in calls if name == step]
        total = totals.get(step, len(thread.posts))
        assert {seen for _, seen in counts} == {total}, step
        done = [count for count, _ in counts]
        assert done[0] == 0 and done[-1] == total and done == sorted(done), (step, done)
    tone_done = [done for step, done, _ in calls if step == "tone"]
    assert tone_done == [0, 4, 8, 12, 16, 20, 24, 28, 32, 35]
    assert len([step for step in steps if step == "stance"]) > 2  # part-way, batch by batch
