"""Per-thread reports: every chart as a PNG, an overview page and a Markdown summary, swapped in whole."""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from analysis.analyze import Analysis, Progress, analyze
from analysis.outputs import replacing_directory, sweep_leftovers
from analysis.stance import stance_counts
from threads.errors import EXIT_INTERNAL, EXIT_OK, EXIT_PARTIAL, ThreadlensError
from threads.model import Thread
from threads.plural import counted
from threads.read import expand_inputs, read_threads

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Names Windows refuses for a file or folder, whatever the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_NAME_LIMIT = 80
DPI = 110

# File name -> what the chart shows (listed in summary.md in this order).
CHARTS: dict[str, str] = {
    "report.png": "Overview: the key panels on one page",
    "thread_arcs.png": "Thread arcs: every quote or reply as an arc, coloured by stance",
    "reply_tree.png": "Reply tree: each post under the post it answers",
    "tone_along_thread.png": "Tone along the thread: polarity per post, rolling mean",
    "agreement_matrix.png": "Agreement between authors",
    "argument_chains.png": "Argument chains: claim → rebuttal → …",
    "structure_profile.png": "Structure: depth, width per level, most-quoted posts",
    "target_stance.png": "Tone toward targets, per author",
}


def report_name(thread: Thread) -> str:
    """A safe folder name for a thread's report: from its file name, else its title, else its id.

    Only ASCII letters, digits, `.`, `_` and `-` survive (so no `..`, separator or drive letter can
    reach the path); Windows' reserved device names get a prefix; at most 80 characters.

    Args:
        thread: the thread.

    Returns:
        A non-empty folder name that is safe on Linux, macOS and Windows.
    """
    candidates = []
    if thread.source:
        candidates.append(Path(thread.source.replace("\\", "/")).stem)
    candidates.append(thread.title or "")
    for candidate in candidates:
        name = _slug(candidate)
        if name:
            return name
    return f"thread-{_slug(thread.id)[:16] or 'untitled'}"


def unique_report_names(found: Sequence[Thread]) -> list[str]:
    """`report_name` of each thread, made unique even ignoring letter case (one folder on macOS
    and Windows): a name met before gets the thread id appended.

    Args:
        found: the threads of one run, in order.

    Returns:
        One safe folder name per thread, no two equal when case-folded.
    """
    used: set[str] = set()
    names = []
    for thread in found:
        name = report_name(thread)
        if name.casefold() in used:
            name = _slug(f"{name[: _NAME_LIMIT - 17]}-{thread.id[:16]}")
        used.add(name.casefold())
        names.append(name)
    return names


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    name = re.sub(r"\.{2,}", ".", name).strip("-._")[:_NAME_LIMIT].strip("-._")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"thread-{name}"
    return name


def write_report(
    thread_or_analysis: Thread | Analysis,
    out_dir: str | os.PathLike[str],
    *,
    name: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write a thread's report folder: every chart as a PNG, `report.png`, and `summary.md`.

    The folder is built in a temporary folder beside it and swapped in whole, so a failure (or a
    kill) leaves any previous report of the same thread untouched.

    Args:
        thread_or_analysis: a `threads.Thread` (analyzed here) or the result of `analysis.analyze`.
        out_dir: the folder that holds one report folder per thread.
        name: the report folder's name; default `report_name(thread)`.
        progress: called as `analysis.analyze` calls it, then as `progress("charts", done, total)`
            before the first chart and after each.

    Returns:
        The path of the report folder.

    Raises:
        OutputError: the folder cannot be written.
        ValueError: `thread_or_analysis` is neither a Thread nor an analysis, or `name` is unsafe.
    """
    result = _analysis(thread_or_analysis, progress=progress)
    folder_name = name if name is not None else report_name(result.thread)
    if not folder_name or folder_name != _slug(folder_name):
        raise ValueError(f"unsafe report folder name {folder_name!r}")
    target = Path(out_dir) / folder_name
    figures = build_figures(result)
    with replacing_directory(target) as folder:
        if progress is not None:
            progress("charts", 0, len(figures))
        for drawn, (filename, build) in enumerate(figures.items(), start=1):
            figure = build()
            figure.savefig(folder / filename, dpi=DPI)
            if progress is not None:
                progress("charts", drawn, len(figures))
        (folder / "summary.md").write_text(summary_markdown(result), encoding="utf-8")
    return target


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """The result for one thread (or one unreadable input) of `write_reports`: a folder, or an error."""

    source: str
    folder: Path | None
    error: Exception | None
    index: int = 1  # 1-based position among all outcomes of the run
    total: int = 1  # outcomes of the run, known before the first report is drawn


def write_reports(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    format: str = "auto",
    engine: str | None = None,
    pages: bool = False,
    progress: Progress | None = None,
) -> Iterator[ReportOutcome]:
    """Read every input, then write one report per thread, so that one failing input stops no other.

    Inputs are read together, so that files naming the same thread are merged as its pages (see
    `threads.read_threads`). When that fails, each input is read alone to find the unreadable ones,
    and the others are read together again: every bad input gets its own error outcome.

    Args:
        paths: thread files or folders.
        out_dir: the folder that holds one report folder per thread.
        format: the input format (see `threads.read_threads`).
        engine: the forum engine of saved HTML pages (see `threads.read_threads`).
        pages: read all paths as the pages of one thread.
        progress: called as `progress("read", 0, inputs)` and `("read", inputs, inputs)` around
            the reading, then as `write_report` calls it for each thread.

    Returns:
        An iterator of `ReportOutcome`s: first one per unreadable input, then one per thread.
        Two threads whose folder names collide, even only in letter case (one folder on macOS
        and Windows), get the thread id appended to the later one.
    """
    sweep_leftovers(Path(out_dir))
    if progress is not None:
        progress("read", 0, len(paths))
    found, failures = _read_isolated(list(paths), format=format, engine=engine, pages=pages)
    if progress is not None:
        progress("read", len(paths), len(paths))
    total = len(failures) + len(found)
    for index, (label, error) in enumerate(failures, start=1):
        yield ReportOutcome(label, None, error, index, total)
    names = unique_report_names(found)
    for index, (thread, name) in enumerate(zip(found, names, strict=True), start=len(failures) + 1):
        try:
            folder = write_report(thread, out_dir, name=name, progress=progress)
        except Exception as error:  # isolated to this thread: the others still get their reports
            yield ReportOutcome(thread.source or thread.id, None, error, index, total)
            continue
        yield ReportOutcome(thread.source or thread.id, folder, None, index, total)


def _read_isolated(
    paths: list[str | os.PathLike[str]], *, format: str, engine: str | None, pages: bool
) -> tuple[list[Thread], list[tuple[str, Exception]]]:
    try:
        return read_threads(paths, format=format, engine=engine, pages=pages), []
    except Exception as error:  # find out which inputs fail; the rest are read again below
        files = [] if pages else _input_files(paths)
        if len(files) < 2:
            return [], [(", ".join(str(path) for path in paths), error)]
    readable: list[str | os.PathLike[str]] = []
    failures: list[tuple[str, Exception]] = []
    for path in files:
        try:
            read_threads([path], format=format, engine=engine)
        except Exception as error:  # as above
            failures.append((str(path), error))
        else:
            readable.append(path)
    if not readable:
        return [], failures
    try:
        return read_threads(readable, format=format, engine=engine), failures
    except Exception as error:  # readable alone, not together (pages that disagree): report it once
        return [], [*failures, (", ".join(str(path) for path in readable), error)]


def _input_files(paths: list[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    # Each file of a folder is tried alone, so that one bad file does not cost the folder's others.
    try:
        return [*expand_inputs(paths)]
    except ThreadlensError:  # a folder cannot be listed, or is empty: each given path alone
        return list(paths)


def exit_code(outcomes: Sequence[ReportOutcome]) -> int:
    """The `threadlens report` exit code: 0 all written, 6 some failed, else the first failure's code."""
    failures = [outcome.error for outcome in outcomes if outcome.error is not None]
    if not failures:
        return EXIT_OK
    if len(failures) < len(outcomes):
        return EXIT_PARTIAL
    first = failures[0]
    return first.exit_code if isinstance(first, ThreadlensError) else EXIT_INTERNAL


def _analysis(thread_or_analysis: Thread | Analysis, *, progress: Progress | None) -> Analysis:
    if isinstance(thread_or_analysis, Analysis):
        return thread_or_analysis
    if isinstance(thread_or_analysis, Thread):
        return analyze(thread_or_analysis, progress=progress)
    raise ValueError(
        f"write_report needs a threads.Thread or an Analysis, got {type(thread_or_analysis).__name__}"
    )


def _posts(thread: Thread) -> pl.DataFrame:
    return thread.posts_frame().select("id", "position", "author", "own_text")


def build_figures(result: Analysis) -> dict[str, Callable[[], Figure]]:
    """The report's charts by file name, each built when called (one figure in memory at a time)."""
    # Imported here, not with the module: matplotlib takes over half a second to import, and a
    # batch worker that writes no report should not pay it (see docs/performance.md, `--jobs 2`).
    from analysis import charts

    thread = result.thread
    posts = _posts(thread)
    edges = thread.edges_frame()
    title = thread.title or report_name(thread)

    return {
        "report.png": lambda: charts.overview(
            posts=posts,
            edges=edges,
            stance=result.stance,
            tone_posts=result.tone_posts,
            post_structure=result.post_structure,
            title=title,
            headline=_headline(result),
        ),
        "thread_arcs.png": lambda: charts.thread_arcs(posts, edges, stance=result.stance),
        "reply_tree.png": lambda: charts.reply_tree(posts, edges),
        "tone_along_thread.png": lambda: charts.tone_along_thread(result.tone_posts),
        "agreement_matrix.png": lambda: charts.agreement_matrix(result.stance),
        "argument_chains.png": lambda: charts.argument_chains(result.chains),
        "structure_profile.png": lambda: charts.structure_profile(result.post_structure),
        "target_stance.png": lambda: charts.target_stance(result.targets),
    }


def _headline(result: Analysis) -> str:
    thread = result.thread
    authors = {post.author for post in thread.posts if post.author}
    parts = [
        counted(len(thread.posts), "post"),
        counted(len(authors), "named author"),
        counted(len(thread.quotes), "quote"),
    ]
    linked = stance_counts(result.stance, inferred=False)
    parts.append(
        f"on quote/reply links {linked.get('agree', 0):,} agree / {linked.get('disagree', 0):,} disagree"
        if sum(linked.values())
        else "no quote/reply links"
    )
    if thread.source:
        parts.append(f"source: {Path(thread.source).name}")
    return " · ".join(parts)


# ---------------------------------------------------------------------------------------------
# summary.md


def _stance_text(counts: Mapping[str, int], noun: str) -> str:
    total = sum(counts.values())
    if not total:
        return f"none (0 {noun}s)"
    return (
        f"{counts.get('agree', 0):,} agree, {counts.get('disagree', 0):,} disagree, "
        f"{counts.get('neutral', 0):,} neutral ({counted(total, noun)})"
    )


def markdown_escape(text: str | None) -> str:
    """Thread text made inert in Markdown: HTML escaped, Markdown syntax backslashed, one line.

    Args:
        text: any text from a thread; None gives "".

    Returns:
        The text on one line, with `<`, `>`, `&` as entities, Markdown's inline syntax characters
        backslashed and bare URLs broken, so no link, image, heading, table cell or HTML tag goes live.
    """
    if not text:
        return ""
    one_line = " ".join(text.split())
    escaped = re.sub(r"([\\`*_{}\[\]()#|~])", r"\\\1", html.escape(one_line, quote=False))
    # bare URLs would be auto-linked by GitHub-flavoured Markdown: an escaped slash or dot breaks them
    escaped = escaped.replace("://", ":\\/\\/")
    return re.sub(r"(?i)\bwww\.", lambda match: match.group(0)[:-1] + "\\.", escaped)


def summary_markdown(result: Analysis) -> str:
    """The report's `summary.md`: headline numbers, structure metrics, repairs and the charts."""
    thread = result.thread
    posts = thread.posts_frame()
    kinds = Counter(edge.kind for edge in thread.edges)
    languages = Counter(post.language or "none" for post in thread.posts)
    authors = Counter(post.author for post in thread.posts if post.author)
    rows: list[tuple[str, str]] = [
        ("posts", f"{posts.height:,}"),
        (
            "named authors",
            f"{len(authors):,} ({counted(sum(not p.author for p in thread.posts), 'post')} without a name)",
        ),
        ("quotes", f"{len(thread.quotes):,}"),
        (
            "links",
            f"{len(thread.edges):,} ({kinds['quote']:,} quote, {kinds['reply']:,} reply, "
            f"{kinds['inferred']:,} inferred)",
        ),
        (
            "post languages",
            ", ".join(f"{markdown_escape(code)} {n:,}" for code, n in languages.most_common()),
        ),
    ]
    linked = stance_counts(result.stance, inferred=False)
    guessed = stance_counts(result.stance, inferred=True)
    scored = result.tone_posts["polarity"].drop_nulls()
    mean = f"{sum(scored.to_list()) / scored.len():+.3f}" if scored.len() else "n/a"
    longest = max(Counter(result.chains["chain"].to_list()).values(), default=0)
    rows += [
        ("stance on quote/reply links", _stance_text(linked, "quote/reply link")),
        (
            "stance on inferred links (guessed parent, not counted above)",
            _stance_text(guessed, "inferred link"),
        ),
        (
            "tone",
            f"mean post polarity {mean} over {scored.len():,} of "
            f"{counted(result.tone_posts.height, 'post')} (English)",
        ),
        (
            "argument chains",
            f"{result.chains['chain'].n_unique():,} (longest {counted(longest, 'step')})",
        ),
    ]
    if not result.targets.is_empty():
        top = (
            result.targets.group_by("target")
            .agg(pl.col("mentions").sum())
            .sort(["mentions", "target"], descending=[True, False])  # group_by order is arbitrary
        )
        named = ", ".join(
            f"{markdown_escape(t)} ({m:,})" for t, m in top.head(5).select("target", "mentions").iter_rows()
        )
        rows.append(("most named targets", named))
    lines = [
        f"# {markdown_escape(thread.title) or 'Untitled thread'}",
        "",
        f"Source: {markdown_escape(thread.source) or 'in memory'} · "
        f"format {markdown_escape(thread.format)} · thread id {markdown_escape(thread.id)}",
        "",
        "| figure | value |",
        "|---|---|",
        *(f"| {label} | {value} |" for label, value in rows),
        "",
        "![overview](report.png)",
        "",
        "## Charts",
        "",
        *(f"- [{description}]({filename})" for filename, description in CHARTS.items()),
        "",
    ]
    if not result.metrics.is_empty():
        lines += ["## Structure metrics", "", "| metric | value | definition |", "|---|---|---|"]
        for metric, value, definition in result.metrics.select("metric", "value", "definition").iter_rows():
            shown = "n/a" if value is None else f"{value:g}"
            lines.append(f"| {markdown_escape(metric)} | {shown} | {markdown_escape(definition)} |")
        lines.append("")
    if not result.repairs.is_empty():
        problems = Counter(result.repairs["problem"].to_list())
        lines += ["## Repairs", "", "Problems found while building the reply graph:", ""]
        lines += [f"- {markdown_escape(problem)}: {count}" for problem, count in problems.most_common()]
        lines.append("")
    if thread.warnings:
        lines += ["## Parser warnings", ""]
        lines += [f"- {markdown_escape(warning)}" for warning in thread.warnings]
        lines.append("")
    return "\n".join(lines)
