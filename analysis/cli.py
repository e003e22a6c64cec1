"""The threadlens command line: a thin layer that parses arguments, calls the library, writes files."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import threads
from analysis import eval_quotes
from analysis.eval_arguments import DEFAULT_CMV, evaluate_arguments
from analysis.eval_links import evaluate_links
from analysis.export import EXPORT_FORMATS, write_export
from analysis.progress import WorkProgress
from analysis.report import ReportOutcome, exit_code, write_reports
from threads.errors import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_OK, InputError, ThreadlensError, UsageError
from threads.plural import counted
from threads.read import FORMATS
from threads.sources.engines import ENGINE_NAMES

Handler = Callable[[argparse.Namespace], int]

DEFAULT_STANCE_PAIRS = "../shared/corpus/subreddit-agreement/SubReddit-CovidVaccine.csv"
DESCRIPTION = "threadlens: rebuild forum threads into posts with attributed quotes, and analyze them."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="threadlens",
        description=DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_parse(commands)
    _add_export(commands)
    _add_report(commands)
    _add_analyze(commands)
    _add_batch(commands)
    evaluations = _add_eval_group(commands)
    _add_eval_links(evaluations)
    _add_eval_arguments(evaluations)
    _add_eval_quotes(evaluations)
    _add_eval_stance(evaluations)
    return parser


def _add_eval_group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    parser = commands.add_parser(
        "eval",
        help="score threadlens against labelled data",
        description="Score threadlens against labelled data; each evaluation prints its figures.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser.add_subparsers(dest="evaluation", metavar="EVALUATION", required=True)


def _add_eval_arguments(evaluations: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        evaluations,
        "arguments",
        help="score argumentative sentences and cross-turn relation polarity on an annotated CMV thread",
        examples=(
            "  threadlens eval arguments\n"
            "  threadlens eval arguments --cmv ../shared/corpus/cmv-modes/positive_95"
        ),
        handler=_run_eval_arguments,
    )
    parser.add_argument(
        "--cmv",
        metavar="PATH_PREFIX",
        default=DEFAULT_CMV,
        help="brat files without extension: PREFIX.txt, .ann, .metadata (default: %(default)s)",
    )


def _run_eval_arguments(args: argparse.Namespace) -> int:
    figures = evaluate_arguments(args.cmv)

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = [
        (row["task"], row["method"], str(row["items"]), *(cell(row[name]) for name in _EVAL_COLUMNS))
        for row in figures.iter_rows(named=True)
    ]
    _print_table(("task", "method", "items", *_EVAL_COLUMNS), rows)
    print(f"data: {args.cmv} (change-my-view-modes, Hidey et al., ArgMining 2017)")
    return EXIT_OK


_EVAL_COLUMNS = ("precision", "recall", "f1", "accuracy", "macro_f1")


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    examples: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"examples:\n{examples}\n\n{EXIT_CODES_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_eval_links(evaluations: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        evaluations,
        "links",
        help="score implicit quote detection against the quote links page markup declares",
        examples=(
            "  threadlens eval links ../shared/corpus/html/*.html\n"
            "  threadlens eval links page.html --engine phpbb"
        ),
        handler=_run_eval_links,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved pages whose markup declares quotes")
    parser.add_argument(
        "--engine", choices=ENGINE_NAMES, default=None, help="forum engine (default: detected)"
    )


def _run_eval_links(args: argparse.Namespace) -> int:
    scores = [evaluate_links(path, engine=args.engine) for path in args.files]
    rows = [
        (
            score.file,
            score.format,
            str(score.posts),
            str(score.declared),
            str(score.detected),
            str(score.unchecked),
            str(score.found),
            str(score.right),
            _ratio(score.precision),
            _ratio(score.recall),
            f"{score.text_posts}/{score.posts}",
            _ratio(score.boundary_precision),
            _ratio(score.boundary_recall),
        )
        for score in scores
    ]
    header = ("file", "format", "posts", "declared", "detected", "unchecked", "found", "right", "P", "R")
    _print_table((*header, "text posts", "boundary P", "boundary R"), rows)
    return EXIT_OK


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _add_parse(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        commands,
        "parse",
        help="parse thread files into posts, quotes and edges",
        examples=(
            "  threadlens parse seeds/*.txt\n  threadlens parse thread.txt --json > thread.json\n"
            "  threadlens parse saved-page.html --engine phpbb"
        ),
        handler=_run_parse,
    )
    _add_inputs(parser)
    parser.add_argument("--json", action="store_true", help="print thread, posts, quotes and edges as JSON")


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="thread files or folders; files naming the same thread (engine and thread id or URL) "
        "are merged as its pages, every other file is a thread of its own",
    )
    parser.add_argument("--format", choices=FORMATS, default="auto", help="input format (default: auto)")
    parser.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=None,
        help="forum engine of saved HTML pages (default: detected from the markup)",
    )
    parser.add_argument("--pages", action="store_true", help="read all FILEs as pages of one thread")


def _read_inputs(args: argparse.Namespace) -> list[tuple[str, threads.Thread]]:
    """Read the inputs, with the progress of large ones on stderr."""
    with WorkProgress(sys.stderr, inputs=args.files) as progress:
        progress("read", 0, len(args.files))
        found = threads.read_threads(args.files, format=args.format, engine=args.engine, pages=args.pages)
        progress("read", len(args.files), len(args.files))
    return [(thread.source or "-", thread) for thread in found]


def _run_parse(args: argparse.Namespace) -> int:
    parsed = _read_inputs(args)
    if args.json:
        documents = [thread.to_dict() for _, thread in parsed]
        json.dump(
            documents[0] if len(documents) == 1 else documents,
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
        return EXIT_OK
    rows = [
        (
            path,
            thread.format,
            str(len(thread.posts)),
            str(len(thread.quotes)),
            str(len(thread.edges)),
            thread.language or "-",
            (thread.title or "")[:48],
        )
        for path, thread in parsed
    ]
    _print_table(("file", "format", "posts", "quotes", "edges", "lang", "title"), rows)
    for path, thread in parsed:
        for warning in thread.warnings:
            print(f"threadlens: warning: {path}: {warning}", file=sys.stderr)
    return EXIT_OK


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        commands,
        "export",
        help="export threads as Parquet, CSV or JSONL tables, JSON documents, or a ConvoKit corpus",
        examples=(
            "  threadlens export thread.json --to parquet -o out/\n"
            "  threadlens export page1.html page2.html --pages --to csv -o out/\n"
            "  threadlens export seeds/* --to csv --spreadsheet-safe -o for-excel/\n"
            "  threadlens export seeds/* --to convokit -o corpus/"
        ),
        handler=_run_export,
    )
    _add_inputs(parser)
    parser.add_argument("--to", choices=EXPORT_FORMATS, required=True, help="output format")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="CSV only: prefix ' to text cells a spreadsheet would run as formulas (=, +, -, @ first)",
    )


def _run_export(args: argparse.Namespace) -> int:
    if args.spreadsheet_safe and args.to != "csv":  # checked before a large input is parsed in vain
        raise UsageError(f"--spreadsheet-safe is for --to csv, not --to {args.to}")
    parsed = _read_inputs(args)
    written = write_export(
        [thread for _, thread in parsed], args.output, to=args.to, spreadsheet_safe=args.spreadsheet_safe
    )
    for path, thread in parsed:
        for warning in thread.warnings:
            print(f"threadlens: warning: {path}: {warning}", file=sys.stderr)
    posts = sum(len(thread.posts) for _, thread in parsed)
    print(
        f"exported {counted(len(parsed), 'thread')}, {counted(posts, 'post')} as {args.to} to {args.output}:"
    )
    for file in written:
        print(f"  {file}")
    return EXIT_OK


def _add_eval_quotes(evaluations: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        evaluations,
        "quotes",
        help="score quote spans and quote sources against the Internet Argument Corpus's gold quotes",
        examples=(
            "  threadlens eval quotes\n"
            "  threadlens eval quotes --discussion discussion_255.json --quotes quotes_255.json"
        ),
        handler=_run_eval_quotes,
    )
    parser.add_argument(
        "--discussion",
        type=Path,
        default=eval_quotes.DEFAULT_DISCUSSION,
        metavar="FILE",
        help=f"IAC discussion_<id>.json (default: {eval_quotes.DEFAULT_DISCUSSION})",
    )
    parser.add_argument(
        "--quotes",
        type=Path,
        default=eval_quotes.DEFAULT_QUOTES,
        metavar="FILE",
        help=f"IAC quotes_<id>.json with the gold spans (default: {eval_quotes.DEFAULT_QUOTES})",
    )


def _run_eval_quotes(args: argparse.Namespace) -> int:
    scores = eval_quotes.evaluate_iac(args.discussion, args.quotes)
    print(f"quote spans of {args.discussion.name} ({scores.posts} posts) against {args.quotes.name}")
    _print_table(
        ("measure", "value", "counts"),
        [
            ("char precision", f"{scores.precision:.3f}", f"{scores.overlap_chars}/{scores.predicted_chars}"),
            ("char recall", f"{scores.recall:.3f}", f"{scores.overlap_chars}/{scores.gold_chars}"),
            ("char F1", f"{scores.f1:.3f}", ""),
            (
                "source accuracy",
                f"{scores.source_accuracy:.3f}",
                f"{scores.source_correct}/{scores.gold_spans} ({scores.source_missed} missed)",
            ),
            ("predicted quotes", str(scores.predicted_quotes), ""),
        ],
    )
    print(
        f"chars are non-space characters; {scores.excluded_spans} gold spans with a source outside "
        f"the thread or none ({scores.excluded_chars} chars) are left out of both sides"
    )
    return EXIT_OK


REPORT_EXIT_CODES = """report exit codes: 0 every input has its report; 6 some inputs failed (each said so on
one line) and the others have their reports; when every input failed, the first failure's code."""


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        commands,
        "report",
        help="write a PNG report per thread: every chart, an overview report.png and summary.md",
        examples=(
            "  threadlens report seeds/* -o reports\n"
            "  threadlens report saved-page.html -o reports   # reports/saved-page/report.png\n\n"
            + REPORT_EXIT_CODES
        ),
        handler=_run_report,
    )
    _add_inputs(parser)
    parser.add_argument(
        "-o", "--output", default="reports", metavar="DIR", help="output folder (default: reports)"
    )


def _run_report(args: argparse.Namespace) -> int:
    outcomes = []
    with WorkProgress(sys.stderr, inputs=args.files) as progress:
        for outcome in write_reports(
            args.files,
            args.output,
            format=args.format,
            engine=args.engine,
            pages=args.pages,
            progress=progress,
        ):
            progress.close(failed=outcome.error is not None)  # its lines end before the outcome's
            outcomes.append(outcome)
            _show_outcome(outcome, debug=args.debug)
    return exit_code(outcomes)


def _show_outcome(outcome: ReportOutcome, *, debug: bool) -> None:
    if outcome.error is None:
        if outcome.total > 1:  # progress of a long run; stdout keeps only the folders, for scripts
            print(f"threadlens: [{outcome.index}/{outcome.total}] {outcome.source}", file=sys.stderr)
        print(outcome.folder)
    elif isinstance(outcome.error, ThreadlensError):
        message = str(outcome.error)
        # several inputs: every error line names its input, unless the reader already did (as
        # the path it read: "./a.json" given is named "a.json")
        if not message.startswith((outcome.source, str(Path(outcome.source)))):
            message = f"{outcome.source}: {message}"
        print(f"threadlens: error: {message}", file=sys.stderr)
    elif debug:
        raise outcome.error
    else:
        error = outcome.error
        print(
            f"threadlens: internal error: {outcome.source}: {type(error).__name__}: {error} "
            "(rerun with --debug)",
            file=sys.stderr,
        )


def _add_analyze(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        commands,
        "analyze",
        help="analyze threads: tone, stance along quotes and replies, stance toward targets",
        examples=(
            "  threadlens analyze seeds/000_db2827ac553fc2ae.txt\n"
            "  threadlens analyze thread.txt --targets ASPI China GE -o out/"
        ),
        handler=_run_analyze,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="thread files, one thread each")
    parser.add_argument("--format", choices=FORMATS, default="auto", help="input format (default: auto)")
    parser.add_argument("--targets", nargs="+", metavar="NAME", help="names to follow (default: detected)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="write every table as Parquet to DIR/<file stem>/<table>.parquet",
    )


def _run_analyze(args: argparse.Namespace) -> int:
    from analysis.analyze import analyze, write_analysis

    stems = [Path(path).stem for path in args.files]
    if args.output and len(set(stems)) < len(stems):
        clash = next(stem for stem in stems if stems.count(stem) > 1)
        # One folder per file stem: two inputs named alike would overwrite each other's tables.
        raise InputError(f"two inputs share the name {clash!r}; -o writes one folder per file name")
    for path in args.files:
        with WorkProgress(sys.stderr, inputs=[path]) as progress:
            progress("read", 0, 1)
            thread = threads.read(path, format=args.format)
            progress("read", 1, 1)
            result = analyze(thread, targets=args.targets, progress=progress)
        facts = result.summary()
        share = facts["english_share"]
        polarity = facts["mean_polarity"]
        stance = facts["stance"]
        print(f"{path}: {counted(facts['posts'], 'post')}, {counted(facts['sentences'], 'sentence')}")
        print(f"  English: {'-' if share is None else f'{share:.0%}'} of sentences")
        print(f"  mean polarity: {'-' if polarity is None else f'{polarity:+.3f}'} (English sentences)")
        guessed = facts["stance_inferred"]
        print(
            f"  stance on quote/reply links: {stance['agree']:,} agree, {stance['disagree']:,} disagree, "
            f"{stance['neutral']:,} neutral ({counted(sum(stance.values()), 'link')})"
        )
        if sum(guessed.values()):
            print(
                f"  stance on inferred links (guessed parent): {guessed['agree']:,} agree, "
                f"{guessed['disagree']:,} disagree, {guessed['neutral']:,} neutral "
                f"({counted(sum(guessed.values()), 'link')})"
            )
        top = ", ".join(f"{name} ({count:,})" for name, count in facts["top_targets"]) or "-"
        print(f"  top targets: {top}")
        if args.output:
            folder = write_analysis(result, Path(args.output) / Path(path).stem)
            print(f"  wrote {folder}")
    return EXIT_OK


def _add_eval_stance(evaluations: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        evaluations,
        "stance",
        help="score stance on labelled (quote, response) pairs: macro-F1 vs majority and TextBlob",
        examples=(
            "  threadlens eval stance\n"
            "  threadlens eval stance --pairs ../shared/corpus/subreddit-agreement/SubReddit-CovidVaccine.csv"
        ),
        handler=_run_eval_stance,
    )
    parser.add_argument(
        "--pairs",
        metavar="FILE.csv",
        default=DEFAULT_STANCE_PAIRS,
        help="CSV with quote_text,response_text,relation (0 disagree, 1 neutral, 2 agree); "
        f"default: {DEFAULT_STANCE_PAIRS}",
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")


def _run_eval_stance(args: argparse.Namespace) -> int:
    from analysis.stance_eval import evaluate, read_pairs
    from analysis.stance_model import LABELS

    if args.folds < 2:
        raise InputError(f"--folds must be at least 2, not {args.folds}")
    pairs = read_pairs(args.pairs)
    print(f"{args.pairs}: {len(pairs)} pairs")
    for result in evaluate(pairs, folds=args.folds):
        per_label = ", ".join(f"{label} {result.f1[label]:.3f}" for label in LABELS)
        print(f"\n{result.system}: macro-F1 {result.macro_f1:.3f} (F1: {per_label})")
        rows = [
            (f"true {label}", *(str(count) for count in result.confusion[index]))
            for index, label in enumerate(LABELS)
        ]
        _print_table(("", *(f"pred {label}" for label in LABELS)), rows)
    return EXIT_OK


def _add_batch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _command(
        commands,
        "batch",
        help="bring an output folder up to date with a folder of thread files (for cron)",
        examples=(
            "  threadlens batch inbox/ -o out/\n"
            "  threadlens batch 'exports/**/*.json' @more-files.txt -o out/ --jobs 2\n"
            "  threadlens batch inbox/ -o out/ --scheduler tcp://10.0.0.5:8786\n"
            "\n"
            "Only new or changed threads are computed; --force recomputes all. NAME.pageN.EXT files\n"
            "are pages of the thread NAME.EXT. Inputs gone since the last run lose their rows.\n"
            "Writes out/tables/<table>/thread_id=<id>/part.parquet, out/corpus.png,\n"
            "out/runs/<time>.json and a line of out/runs.log. See docs/batch.md."
        ),
        handler=_run_batch,
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="folders, globs, thread files, or @LIST files"
    )
    parser.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="output folder (locked while running)"
    )
    parser.add_argument("--force", action="store_true", help="recompute every thread, changed or not")
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="skip the per-thread PNG reports (tables and corpus.png only)",
    )
    workers = parser.add_mutually_exclusive_group()
    workers.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="local worker processes (default 1)"
    )
    workers.add_argument(
        "--scheduler", metavar="ADDRESS", help="run the work on a Dask cluster (needs threadlens[dask])"
    )


def _run_batch(args: argparse.Namespace) -> int:
    from analysis.batch import run_batch
    from analysis.batch_progress import BatchProgress

    with BatchProgress(sys.stderr) as progress:
        summary = run_batch(
            args.inputs,
            args.out,
            force=args.force,
            jobs=args.jobs,
            scheduler=args.scheduler,
            reports=not args.no_reports,
            progress=progress,
        )
    for failure in summary.failures:
        note = " (unchanged since it failed)" if failure.unchanged else ""
        print(f"threadlens: failed: {failure.input}: {failure.error}{note}", file=sys.stderr)
    print(
        f"{counted(summary.seen, 'thread')}: {summary.processed} processed, {summary.skipped} unchanged, "
        f"{summary.failed} failed, {summary.removed} removed in {summary.durations['total']:.1f} s; "
        f"see {args.out}/runs.log"
    )
    return summary.exit_code


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (documented in `--help`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.debug else logging.WARNING, format="threadlens: %(message)s"
    )
    try:
        handler: Handler = args.handler
        return handler(args)
    except ThreadlensError as error:
        print(f"threadlens: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("threadlens: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the one place every unexpected failure becomes one line
        if args.debug:
            raise
        print(
            f"threadlens: internal error: {type(error).__name__}: {error} (rerun with --debug)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
