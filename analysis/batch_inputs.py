"""Find the thread files a batch run reads, and group the pages of one thread together."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from threads.errors import UsageError

# `NAME.pageN.EXT` is page N of the thread whose first page is `NAME.EXT` (in the same folder).
PAGE_NAME = re.compile(r"^(?P<stem>.+)\.page(?P<number>[1-9][0-9]*)(?P<suffix>\.[^.]+)?$")
_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class InputGroup:
    """The files of one thread, in page order.

    Invariants: `pages` is non-empty, absolute, and ordered by page number (the unnumbered file
    is page 1); `key` is the absolute path of the thread's first page as its name says
    (`NAME.EXT`), whether or not that file exists, so it stays the same across runs.
    """

    key: str
    pages: tuple[str, ...]


def page_key(path: str) -> tuple[str, int]:
    """Return the group key and page number that the file name `path` declares.

    Args:
        path: an absolute file path.

    Returns:
        `(key, page)`: `dir/NAME.EXT` and N for `dir/NAME.pageN.EXT`, else `(path, 1)`.
    """
    folder, name = os.path.split(path)
    match = PAGE_NAME.match(name)
    if match is None:
        return path, 1
    return os.path.join(folder, match["stem"] + (match["suffix"] or "")), int(match["number"])


def find_inputs(specs: Sequence[str], *, exclude: Path | None = None) -> list[InputGroup]:
    """Expand folders, globs and list files into thread groups, sorted by key.

    A folder is searched recursively; hidden files and folders (a leading dot) are ignored. A glob
    (`*`, `?`, `[`) may use `**`. `@FILE` reads one input per line (blank lines and `#` comments
    skipped; relative entries are relative to FILE's folder; no nested `@`). Anything under `exclude` (the
    output folder) is left out, so a run never reads its own outputs.

    Args:
        specs: the INPUT arguments of `threadlens batch`.
        exclude: a folder whose files are never inputs.

    Returns:
        The thread groups, pages of one thread together (see `page_key`).

    Raises:
        UsageError: a named file, folder or list file does not exist.
    """
    excluded = os.path.abspath(exclude) + os.sep if exclude is not None else None
    files: set[str] = set()
    for path in _expand(specs):
        absolute = os.path.abspath(path)
        if excluded is None or not absolute.startswith(excluded):
            files.add(absolute)
    pages: dict[str, list[tuple[int, str]]] = {}
    for path in files:
        key, number = page_key(path)
        pages.setdefault(key, []).append((number, path))
    return [
        InputGroup(key=key, pages=tuple(path for _, path in sorted(members)))
        for key, members in sorted(pages.items())
    ]


def _expand(specs: Iterable[str], *, in_list: bool = False) -> Iterable[str]:
    for spec in specs:
        if spec.startswith("@") and not in_list:
            yield from _expand(_list_file(spec[1:]), in_list=True)
        elif _GLOB_CHARACTERS & set(spec):
            for match in sorted(glob.glob(spec, recursive=True)):
                yield from _walk(match) if os.path.isdir(match) else [match]
        elif os.path.isdir(spec):
            yield from _walk(spec)
        elif os.path.isfile(spec):
            yield spec
        else:
            raise UsageError(f"{spec}: no such file or folder")


def _list_file(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"list file {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"list file {path}: not UTF-8 text") from error
    folder = os.path.dirname(os.path.abspath(path))
    entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [entry if os.path.isabs(entry) else os.path.join(folder, entry) for entry in entries]


def _walk(folder: str) -> Iterable[str]:
    for root, folders, names in os.walk(folder):
        # Pruning in place keeps os.walk out of hidden folders (.git, our own temporary files).
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield os.path.join(root, name)
