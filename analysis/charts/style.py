"""Shared chart style: colours, CJK-capable fonts, safe text, wrapping, titles and empty panels."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from matplotlib import font_manager, rcParams
from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

STANCE_COLORS = {"agree": "#1a9850", "disagree": "#d73027", "neutral": "#4a6fa5", None: "#9a9a9a"}
STANCE_LABELS = {"agree": "agree", "disagree": "disagree", "neutral": "neutral", None: "no stance scored"}
OTHER_AUTHORS = "#c7c7c7"
UNKNOWN_AUTHOR = "#8c8c8c"
# tab10 without its grey, which stands for "other authors" here
AUTHOR_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)
EMPTY_STYLE: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": 11, "color": "#555555"}
_BASE_FAMILY = "DejaVu Sans"
# Families that cover Chinese, Japanese and Korean, best first; the first one installed is used.
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)

# Fonts and text: forum text is CJK, emoji, "$" signs; none of it may render as boxes or math.


@functools.cache
def font_families() -> tuple[str, ...]:
    """The font families charts use: DejaVu Sans, then a CJK family when one is available.

    The CJK font comes from the `noto-cjk-sans-otc` package (a dependency) or, failing that, any
    CJK family matplotlib finds on the system. Registering it touches only matplotlib's font list.
    """
    try:
        import noto_cjk_sans_otc

        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    except (ImportError, OSError, RuntimeError):  # pragma: no cover - depends on the installation
        pass
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return (_BASE_FAMILY, family)
    return (_BASE_FAMILY,)  # pragma: no cover - depends on the installation


@functools.cache
def _renderable() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        codes.update(FT2Font(path).get_charmap())
    return frozenset(codes)


def clean_text(text: str | None) -> str:
    """Make a string safe to draw: glyphs no font has are elided, `$` cannot start mathtext.

    Args:
        text: any text from a thread (author names, excerpts, titles); None gives "".

    Returns:
        The text with runs of characters that no chart font can draw replaced by one "…", control
        characters and newlines turned to spaces, and every `$` escaped.
    """
    if not text:
        return ""
    known = _renderable()
    pieces: list[str] = []
    elided = False
    for char in text:
        if char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf"):
            char = " "
        if char == " " or ord(char) in known:
            pieces.append(char)
            elided = False
        elif not elided:
            pieces.append("…")
            elided = True
    return "".join(pieces).replace("$", r"\$")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int, *, max_lines: int | None = None) -> str:
    """Wrap text to `width` columns, counting CJK characters as two; cut to `max_lines` with "…"."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0
        for token in _tokens(paragraph):
            token_width = sum(_width(char) for char in token)
            if line_width + token_width > width and line.strip():
                lines.append(line.rstrip())
                line, line_width = "", 0
                token = token.lstrip()
                token_width = sum(_width(char) for char in token)
            while token_width > width:  # a word longer than a line is cut where it overflows
                cut, used = 0, 0
                while cut < len(token) and used + _width(token[cut]) <= width:
                    used += _width(token[cut])
                    cut += 1
                lines.append(token[:cut])
                token = token[cut:]
                token_width -= used
            line += token
            line_width += token_width
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)].rstrip() + "…"
    return "\n".join(lines)


def _tokens(paragraph: str) -> Iterable[str]:
    # A wide character is a token of its own, so Chinese and Korean wrap between any two characters.
    word = ""
    for char in paragraph:
        if _width(char) == 2:
            if word:
                yield word
                word = ""
            yield char
        elif char == " ":
            word += char
            yield word
            word = ""
        else:
            word += char
    if word:
        yield word


def finish(figure: Figure) -> Figure:
    """Give every text of the figure the CJK-capable font list, so no glyph is drawn as a box."""
    # Every text gets the CJK-capable family list, so nothing falls back to boxes (tofu).
    families = list(font_families())
    for text in figure.findobj(Text):
        text.set_fontfamily(families)
    for axes in figure.findobj(Axes):
        axes.tick_params(labelfontfamily=families)
    return figure


class RoomyLocator(MaxNLocator):
    """Whole-number ticks, no more than the axis has room to label side by side (or one above another).

    A fixed count of ticks (MaxNLocator's ten) runs "10000" and "15000" into each other on a narrow
    panel; this locator counts, at draw time, how many labels as wide as the widest one fit along
    the axis and asks for no more bins than that.
    """

    def __init__(self, nbins: int = 10) -> None:
        super().__init__(nbins=nbins, integer=True)
        self._most_bins = nbins

    def tick_values(self, vmin: float, vmax: float) -> Any:
        axis = self.axis
        if isinstance(axis, Axis) and axis.axes is not None:
            axes = axis.axes
            across = isinstance(axis, XAxis)
            size = rcParams["xtick.labelsize" if across else "ytick.labelsize"]
            points = FontProperties(size=size).get_size_in_points()
            scale = axes.get_figure(root=True).dpi / 72  # type: ignore[union-attr]
            if across:
                widest = max(len(_thousands(vmin)), len(_thousands(vmax)))
                room, label = axes.bbox.width, (widest * 0.62 + 0.8) * points * scale
            else:
                room, label = axes.bbox.height, 2.2 * points * scale
            self.set_params(nbins=max(1, min(self._most_bins, int(room // label))))
        return super().tick_values(vmin, vmax)


def _thousands(value: float) -> str:
    return f"{value:,.0f}"


def count_ticks(axis: Axis) -> None:
    """Whole-number ticks with thousands separators ("12,000"), spaced so their labels never touch."""
    axis.set_major_locator(RoomyLocator())
    axis.set_major_formatter(FuncFormatter(lambda value, _: _thousands(value)))


def position_ticks(axes: Axes, first: float, last: float) -> None:
    """Whole-number ticks for post positions: one per post on a short thread."""
    # Post positions are whole numbers: a short thread gets one tick per post, never "1.25"
    if last - first <= 20:
        axes.set_xticks(range(int(first), int(last) + 1))
    else:
        count_ticks(axes.xaxis)


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout Figure on its own Agg canvas (no pyplot, no global state)."""
    figure = Figure(figsize=(width, height), layout="constrained", dpi=100)
    FigureCanvasAgg(figure)  # an Agg canvas, not pyplot: no global figure state
    return figure


def set_titles(
    target: FigureBase | Axes,
    title: str,
    subtitle: str | None,
    *,
    width_inches: float,
    summary: str | None = None,
) -> None:
    """Title and subtitle, wrapped to the width they have: a figure's suptitle or an axes' title.

    `summary`, when given, is a further line or two saying what a chart of a large thread shows
    and what it summarises; it is never cut, so nothing is left out without the chart saying so.
    """
    # About 11 columns of 11-point text per inch. An axes title starts at the axes' left edge and
    # must end before the figure's: the y labels and a legend or colour bar take about 2 inches.
    usable = width_inches - 2.0 if isinstance(target, Axes) else width_inches
    columns = max(30, int(usable * 11))
    text = wrap(clean_text(title), columns, max_lines=2)
    if subtitle:
        text += "\n" + wrap(subtitle, int(columns * 1.25), max_lines=3)
    if summary:
        text += "\n" + wrap(summary, int(columns * 1.25))
    if isinstance(target, Axes):
        target.set_title(text, fontsize=11, loc="left")
    else:
        target.suptitle(text, fontsize=12, x=0.01, ha="left", multialignment="left")


def empty_panel(axes: Axes, reason: str) -> None:
    """Turn an axes into a panel that says, in its middle, why it has nothing to show."""
    axes.text(0.5, 0.5, wrap(reason, 60), transform=axes.transAxes, **EMPTY_STYLE)
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)


def require_columns(frame: object, columns: Sequence[str], what: str) -> pl.DataFrame:
    """`frame` if it is a DataFrame with `columns`; else a ValueError naming `what` and the gap."""
    if not isinstance(frame, pl.DataFrame):
        raise ValueError(f"{what} must be a polars DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s): {', '.join(missing)}")
    return frame


def short_author(author: str | None, limit: int = 18) -> str:
    """An author name cut to one line of `limit` columns; None is "unknown author"."""
    if author is None:
        return "unknown author"
    return wrap(clean_text(author), limit, max_lines=1)


def author_colors(authors: Iterable[str | None], *, top: int = len(AUTHOR_PALETTE)) -> dict[str | None, str]:
    """One colour per author, the most active first; rarer authors share a grey.

    Args:
        authors: the author of every post (repeats count activity); None is an unknown author.
        top: how many authors get a colour of their own.

    Returns:
        A mapping of every given author to a colour; the rarer ones map to `OTHER_AUTHORS`.
    """
    counts = Counter(authors)
    known = [author for author, _ in counts.most_common() if author is not None]
    colors: dict[str | None, str] = {author: OTHER_AUTHORS for author in counts}
    for author, color in zip(known[:top], AUTHOR_PALETTE, strict=False):
        colors[author] = color
    if None in counts:
        colors[None] = UNKNOWN_AUTHOR
    return colors


def author_legend(colors: dict[str | None, str], *, top: int) -> list[Any]:
    """Legend handles: the authors with a colour of their own, then other and unknown authors."""
    handles: list[Any] = []
    shown = [author for author, color in colors.items() if color in AUTHOR_PALETTE][:top]
    for author in shown:
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=colors[author], label=short_author(author))
        )
    if any(color == OTHER_AUTHORS for color in colors.values()):
        handles.append(Line2D([], [], marker="o", linestyle="", color=OTHER_AUTHORS, label="other authors"))
    if None in colors:
        handles.append(Line2D([], [], marker="o", linestyle="", color=UNKNOWN_AUTHOR, label="unknown author"))
    return handles


def post_words(posts: pl.DataFrame) -> list[int]:
    """Own words per post: the `words` column, else counted in `own_text`, else 1 each."""
    if "words" in posts.columns:
        return [int(value or 0) for value in posts["words"].to_list()]
    if "own_text" in posts.columns:
        return [len((text or "").split()) for text in posts["own_text"].to_list()]
    return [1] * posts.height


def stance_lookup(stance: pl.DataFrame | None) -> dict[tuple[str, str], str | None]:
    """The stance of each (src, dst) link of a stance table; empty without one."""
    if stance is None or stance.is_empty():
        return {}
    require_columns(stance, ("src", "dst", "stance"), "stance")
    return {
        (src, dst): value
        for src, dst, value in zip(stance["src"], stance["dst"], stance["stance"], strict=True)
    }
