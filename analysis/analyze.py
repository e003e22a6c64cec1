"""One call for every analysis of a thread: tone, stance, targets, arguments and structure."""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

import threads
from analysis.arguments import argument_chains, argument_sentences
from analysis.outputs import replacing_directory, sweep_leftovers, write_parquet
from analysis.sentences import texts_split_once
from analysis.stance import edge_stance, stance_counts
from analysis.structure import post_structure, repair_report, structure_metrics
from analysis.targets import target_stance
from analysis.tone import sentences_read_once, tone_posts, tone_sentences
from threads.collector import collector_paused
from threads.plural import counted

# The frames of an Analysis, in the order they are shown and written.
FRAMES = (
    "tone_sentences",
    "tone_posts",
    "stance",
    "targets",
    "arguments",
    "chains",
    "metrics",
    "repairs",
    "post_structure",
)

# The steps of `analyze`, in order, as its `progress` callback names them.
ANALYSIS_STEPS = ("tone", "stance", "targets", "arguments", "structure")
# Called as `progress(step, done, total)`; see `analyze`.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Analysis:
    """Every analysis table of one thread; each frame follows its schema in `analysis.schemas`.

    Built by `analyze`; the frames are new tables, the thread is the one analyzed (unchanged).
    """

    thread: threads.Thread
    tone_sentences: pl.DataFrame
    tone_posts: pl.DataFrame
    stance: pl.DataFrame
    targets: pl.DataFrame
    arguments: pl.DataFrame
    chains: pl.DataFrame
    metrics: pl.DataFrame
    repairs: pl.DataFrame
    post_structure: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """The tables by name, in `FRAMES` order."""
        return {name: getattr(self, name) for name in FRAMES}

    def summary(self) -> dict[str, Any]:
        """A few headline figures: posts, English share, mean polarity, stance counts, top targets.

        `english_share` is the share of sentences with letters that are English; `mean_polarity`
        the mean over English sentences (None when there is none). `stance` counts the stance of
        quote and reply links; `stance_inferred` that of inferred links (a guessed parent), apart.
        """
        languages = self.tone_sentences.get_column("language").drop_nulls()
        english = int((languages == "en").sum())
        polarity = self.tone_sentences.get_column("polarity").drop_nulls()
        top = (
            self.targets.group_by("target")
            .agg(pl.col("mentions").sum())
            .sort(["mentions", "target"], descending=[True, False])
            .head(5)
        )
        return {
            "posts": len(self.thread.posts),
            "sentences": self.tone_sentences.height,
            "english_share": english / len(languages) if len(languages) else None,
            "mean_polarity": float(polarity.mean()) if len(polarity) else None,  # type: ignore[arg-type]
            "stance": stance_counts(self.stance),
            "stance_inferred": stance_counts(self.stance, inferred=True),
            "top_targets": [(str(name), int(count)) for name, count in top.iter_rows()],
        }

    def _repr_html_(self) -> str:
        """Jupyter shows the headline figures, then each table under its name."""
        facts = self.summary()
        heading = html.escape(
            f"Analysis of {self.thread.title or self.thread.id}: {counted(facts['posts'], 'post')}, "
            f"{counted(facts['sentences'], 'sentence')}, stance on quote/reply links {facts['stance']}"
        )
        parts = [f"<p><b>{heading}</b></p>"]
        for name, frame in self.frames().items():
            parts.append(f"<h4>{html.escape(name)} ({counted(frame.height, 'row')})</h4>")
            parts.append(frame.head(10)._repr_html_())
        return "\n".join(parts)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={frame.height}" for name, frame in self.frames().items())
        return f"Analysis(thread={self.thread.id!r}, {sizes})"


def write_analysis(result: Analysis, folder: str | os.PathLike[str]) -> Path:
    """Write every table of an Analysis as `<folder>/<table>.parquet`, the folder replaced whole.

    Args:
        result: what `analyze` returned.
        folder: the output folder; an existing one is replaced only once all tables are written.

    Returns:
        The folder.

    Raises:
        OutputError: the folder cannot be written.
    """
    target = Path(folder)
    sweep_leftovers(target.parent)
    with replacing_directory(target) as temporary:
        for name, frame in result.frames().items():
            write_parquet(frame, temporary / f"{name}.parquet")
    return target


def analyze(
    thread: threads.Thread, *, targets: Sequence[str] | None = None, progress: Progress | None = None
) -> Analysis:
    """Run every analysis on a thread.

    Args:
        thread: an assembled thread (`threads.read`, `threads.parse`, `threads.from_frame`).
        targets: names to follow for stance toward targets; detected from the thread when None.
        progress: called as `progress(step, done, total)` for each step of `ANALYSIS_STEPS` in
            order, with counts that grow from 0 to `total`: posts scored for "tone" (every
            `analysis.tone.PROGRESS_EVERY` posts), links decided for "stance" (every batch of
            the model), and `(0, posts)` then `(posts, posts)` for the other steps. It only
            reports: the results are the same with or without it.

    Returns:
        The Analysis holding the thread and every table.
    """
    report = progress if progress is not None else _no_progress
    posts = len(thread.posts)
    with collector_paused(), texts_split_once():
        # The sentence scores are kept only while tone and stance need them: they are most of
        # what the shared work holds (5.4 MB against 2.7 MB of spans on 3,000 posts).
        with sentences_read_once():
            sentences = tone_sentences(thread, progress=_step(progress, "tone"))
            stance = edge_stance(thread, progress=_step(progress, "stance"))
        tones = tone_posts(thread, sentences=sentences)
        report("targets", 0, posts)
        toward_targets = target_stance(thread, targets=targets, sentences=sentences)
        report("targets", posts, posts)
        report("arguments", 0, posts)
        arguments = argument_sentences(thread)
        chains = argument_chains(thread, stance)
        report("arguments", posts, posts)
        report("structure", 0, posts)
        metrics = structure_metrics(thread)
        repairs = repair_report(thread)
        structure = post_structure(thread)
        report("structure", posts, posts)
        return Analysis(
            thread=thread,
            tone_sentences=sentences,
            tone_posts=tones,
            stance=stance,
            targets=toward_targets,
            arguments=arguments,
            chains=chains,
            metrics=metrics,
            repairs=repairs,
            post_structure=structure,
        )


def _step(progress: Progress | None, step: str) -> Callable[[int, int], None] | None:
    """The callback of one step's function, naming the step to `progress`."""
    if progress is None:
        return None
    return lambda done, total: progress(step, done, total)


def _no_progress(step: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""
