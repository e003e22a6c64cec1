"""Atomic output writing: every file appears complete or not at all, and old outputs survive failures.

Temporary files and folders are hidden siblings of their target named
`.<target>.<host>~<pid>.<random>.tmp`, so a later writer can tell the leftovers of a killed
process (same host, pid gone) from the work of a live one, and sweep only the former.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

from threads.errors import OutputError

_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32] or "host"
_LEFTOVER = re.compile(
    r"^\.(?P<target>.+)\.(?P<host>[A-Za-z0-9]*)~(?P<pid>\d+)(\.[^.]*)?\.(?P<kind>tmp|old)$"
)
_OS_ERROR = re.compile(r"\(os error (\d+)\)")


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


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """`frame.write_parquet(path)`, with the I/O errors polars wraps (disk full) raised as `OSError`.

    polars reports a failed write as a `ComputeError` ("... (os error 28)"); as an `OSError` the
    `replacing_*` helpers turn it into an `OutputError` like any other failed write.
    """
    try:
        frame.write_parquet(path)
    except pl.exceptions.ComputeError as error:
        found = _OS_ERROR.search(str(error))
        if found is None:
            raise
        code = int(found.group(1))
        raise OSError(code, os.strerror(code), str(path)) from error


@contextlib.contextmanager
def replacing_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is fsynced and renamed onto `target`.

    For writers that need a path (polars, matplotlib). On any error the temporary file is removed and
    `target` is left as it was.

    Raises:
        OutputError: the folder or file cannot be written.
    """
    with replacing_files([target]) as (temporary,):
        yield temporary


@contextlib.contextmanager
def replacing_files(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield a temporary path beside each target; once all are written, rename each onto its target.

    Nothing is renamed until every file is written, so a failure (a full disk, a raised error)
    leaves all the targets as they were; renames go in the order given (put an index file last).

    Raises:
        OutputError: a folder or file cannot be written.
    """
    temporaries: list[Path] = []
    try:
        try:
            for target in targets:
                temporaries.append(_temporary(target, folder=False))
            yield temporaries
            for temporary in temporaries:
                with open(temporary, "rb") as written:
                    os.fsync(written.fileno())
            for temporary, target in zip(temporaries, targets, strict=True):
                _give_mode(temporary, target, folder=False)
                os.replace(temporary, target)
        except OSError as error:
            # name the target, not its hidden temporary, in the one-line error
            target_of = {str(temp): target for temp, target in zip(temporaries, targets, strict=False)}
            failed = target_of.get(str(error.filename), error.filename or targets[0])
            raise OutputError(f"cannot write {failed}: {error.strerror or error}") from error
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary folder beside `target`; on success it replaces `target` whole.

    On Linux the two folders are swapped in one atomic `renameat2(RENAME_EXCHANGE)`, so `target`
    never stops existing; elsewhere the previous folder is moved aside first (a kill in between
    leaves it as `.<target>.<owner>.old`, which the next writer puts back). The previous
    contents are deleted only after the new folder is in place.

    Raises:
        OutputError: the folder cannot be created or swapped in.
    """
    try:
        temporary = _temporary(target, folder=True)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        yield temporary
        _give_mode(temporary, target, folder=True)
        if not _exchange(temporary, target):
            previous = target.with_name(f".{target.name}.{_owner()}.old")
            if target.exists():
                os.replace(target, previous)
            os.replace(temporary, target)
            shutil.rmtree(previous, ignore_errors=True)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def sweep_leftovers(folder: Path, *, any_owner: bool = False) -> None:
    """Remove the temporary files a killed writer left in `folder`; put back a folder it moved aside.

    One listing of `folder`: commands call it once per output folder and run, not per file.

    Args:
        folder: the folder to clean.
        any_owner: also sweep the leftovers of live processes (the caller holds a lock that
            rules out any other writer); by default only those of processes gone from this host.
    """
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith((".tmp", ".old"))):
            continue
        found = _LEFTOVER.match(name)
        if not (any_owner or (found is not None and _owner_gone(found["host"], int(found["pid"])))):
            continue
        if name.endswith(".old"):
            original = entry.with_name(found["target"] if found else name[1:-4])
            if not original.exists():  # a kill came between moving it aside and the swap: put it back
                with contextlib.suppress(OSError):
                    os.replace(entry, original)
                continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def _temporary(target: Path, *, folder: bool) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = f".{target.name}.{_owner()}.", ".tmp"
    if folder:
        temporary = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=target.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
        os.close(handle)
        temporary = Path(name)
    return temporary


def _give_mode(temporary: Path, target: Path, *, folder: bool) -> None:
    """mkstemp/mkdtemp make private (0600/0700) entries: give the output the mode of the one it
    replaces, else the usual mode under the umask, as open() or mkdir() would."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = (0o777 if folder else 0o666) & ~_umask()
    os.chmod(temporary, mode)


@functools.cache
def _umask() -> int:
    current = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(current)
    return current


def _owner() -> str:
    return f"{_HOST}~{os.getpid()}"  # at call time: forked workers have pids of their own


def _owner_gone(host: str, pid: int) -> bool:
    if host != _HOST or pid == os.getpid():
        return False  # ours, or another machine's (on a shared disk): not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(source: Path, target: Path) -> bool:
    """Swap two paths atomically (Linux `renameat2`); False where that is not available."""
    renameat2 = getattr(_libc(), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None or not target.exists():
        return False
    status = renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system or kernel without RENAME_EXCHANGE: the two-step way
    raise OSError(code, os.strerror(code), str(target))


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)
