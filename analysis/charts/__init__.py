"""Charts of a thread and its analysis tables: each function takes polars frames and returns a Figure.

One module per chart (`arcs`, `tree`, `tone`, `agreement`, `chains`, `structure`, `targets`, and the
one-page `overview`), the colours, fonts and text helpers they share in `style`. Every figure is
drawn on its own Agg canvas: no pyplot, no global figure state.
"""

from analysis.charts.agreement import agreement_matrix
from analysis.charts.arcs import thread_arcs
from analysis.charts.chains import argument_chains
from analysis.charts.overview import overview
from analysis.charts.structure import structure_profile
from analysis.charts.style import (
    AUTHOR_PALETTE,
    EMPTY_STYLE,
    OTHER_AUTHORS,
    STANCE_COLORS,
    STANCE_LABELS,
    UNKNOWN_AUTHOR,
    author_colors,
    clean_text,
    font_families,
    wrap,
)
from analysis.charts.targets import target_stance
from analysis.charts.tone import tone_along_thread
from analysis.charts.tree import reply_tree

__all__ = [
    "AUTHOR_PALETTE",
    "EMPTY_STYLE",
    "OTHER_AUTHORS",
    "STANCE_COLORS",
    "STANCE_LABELS",
    "UNKNOWN_AUTHOR",
    "agreement_matrix",
    "argument_chains",
    "author_colors",
    "clean_text",
    "font_families",
    "overview",
    "reply_tree",
    "structure_profile",
    "target_stance",
    "thread_arcs",
    "tone_along_thread",
    "wrap",
]
