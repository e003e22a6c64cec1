"""Atomic output writing: every file appears complete or not at all, and old outputs survive failures."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from threads.errors import OutputError


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place.

    A crash or kill at any moment leaves either the previous file or the new one, never a partial one.

    Raises:
        OutputError: the folder cannot be created or the file cannot be written.
    """
    target = Path(path)
    with replacing_file(target) as temporary:
        temporary.write_bytes(data)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """`write_bytes_atomic` for UTF-8 text."""
    return write_bytes_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def replacing_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is fsynced and renamed onto `target`.

    For writers that need a path (polars, matplotlib). On any error the temporary file is removed and
    `target` is left as it was.

    Raises:
        OutputError: the folder or file cannot be written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary folder beside `target`; on success it replaces `target` whole.

    The previous folder is moved aside and deleted only after the new one is in place, so a failure
    (or a kill) never leaves a half-written folder under the target's name.

    Raises:
        OutputError: the folder cannot be created or swapped in.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        yield temporary
        previous = target.with_name(f".{target.name}.old")
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            os.replace(target, previous)
        os.replace(temporary, target)
        shutil.rmtree(previous, ignore_errors=True)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
