"""analysis: tables, charts, reports and batch runs computed from threads."""

import logging

from analysis.analyze import Analysis, analyze
from analysis.arguments import argument_chains, argument_sentences
from analysis.batch import run_batch
from analysis.export import convokit_corpus, export_tables, write_export
from analysis.report import write_report, write_reports
from analysis.structure import most_quoted, post_structure, repair_report, structure_metrics

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Analysis",
    "analyze",
    "argument_chains",
    "argument_sentences",
    "convokit_corpus",
    "export_tables",
    "most_quoted",
    "post_structure",
    "repair_report",
    "run_batch",
    "structure_metrics",
    "write_export",
    "write_report",
    "write_reports",
]
