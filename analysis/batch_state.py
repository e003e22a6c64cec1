"""What a batch output folder remembers between runs: its lock, and each input's fingerprint and result."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import analysis
import threads
from analysis.outputs import write_text_atomic
from threads.errors import LockedError, OutputError

logger = logging.getLogger(__name__)

STATE_NAME = "state.json"
JOURNAL_NAME = "state.journal"
LOCK_NAME = ".lock"
STATE_LAYOUT = 1  # bump when the state file's shape changes


@dataclass(frozen=True, slots=True)
class PageStamp:
    """One input file as last seen: its `os.stat` identity and the SHA-256 of its bytes.

    When size, mtime and inode are unchanged the stored hash is trusted and the file is not read.
    """

    path: str
    size: int
    mtime_ns: int
    inode: int
    sha256: str


@dataclass(frozen=True, slots=True)
class InputRecord:
    """The last result for one input group (one thread).

    `digest` hashes every page's bytes in order; `pipeline` is the code fingerprint it was computed
    with. `thread_id` is the thread its last success produced (kept while it fails, so that
    thread's outputs stay), `error` (one line) is set when the last attempt failed.
    """

    pages: tuple[PageStamp, ...]
    digest: str
    pipeline: str
    thread_id: str | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return asdict(self) | {"pages": [asdict(page) for page in self.pages]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InputRecord:
        """Rebuild a record written by `to_json`."""
        return cls(
            pages=tuple(PageStamp(**page) for page in data["pages"]),
            digest=data["digest"],
            pipeline=data["pipeline"],
            thread_id=data["thread_id"],
            error=data["error"],
        )


def pipeline_fingerprint(stages: Sequence[str]) -> str:
    """A fingerprint of the code a result depends on: version, stages run, and the source files.

    Hashing the packages' source (a few dozen small files) means a development checkout whose
    version did not change still recomputes after its code did.

    Args:
        stages: the names of the stages the batch runs ("parse", "analyze", "report").

    Returns:
        `"<version>/<stages>/<12 hex digits>"`.
    """
    try:
        version = metadata.version("threadlens")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256()
    for package in (threads, analysis):
        root = Path(package.__file__ or "").parent
        for source in sorted(root.rglob("*.py")):
            digest.update(str(source.relative_to(root.parent)).encode())
            digest.update(source.read_bytes())
    return f"{version}/{'+'.join(stages)}/{digest.hexdigest()[:12]}"


def stamp_pages(pages: Sequence[str], previous: InputRecord | None) -> tuple[tuple[PageStamp, ...], str]:
    """Stamp each page, reading and hashing only files whose stat changed since `previous`.

    Args:
        pages: the group's files in page order.
        previous: the record of the last run, if any.

    Returns:
        The page stamps and the digest of the whole group.

    Raises:
        OSError: a page cannot be read (the caller reports it as that input's failure).
    """
    known = {page.path: page for page in previous.pages} if previous else {}
    stamps = []
    group = hashlib.sha256()
    for path in pages:
        status = os.stat(path)
        old = known.get(path)
        if old and (old.size, old.mtime_ns, old.inode) == (status.st_size, status.st_mtime_ns, status.st_ino):
            sha = old.sha256
        else:
            sha = _file_sha256(path)
        stamps.append(PageStamp(path, status.st_size, status.st_mtime_ns, status.st_ino, sha))
        group.update(f"{len(sha)}:{sha};".encode())
    return tuple(stamps), group.hexdigest()


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def holding_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `out/.lock` for the block; the OS drops it if the process dies.

    Raises:
        LockedError: another process holds the lock.
        OutputError: the folder or lock file cannot be created.
    """
    path = out / LOCK_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputError(f"cannot create {path}: {error.strerror or error}") from error
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise LockedError(
                f"another batch run (pid {holder}) is writing {out}; this run did nothing"
            ) from None
        # The pid is only for the message above; the flock itself is what excludes.
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)


class StateStore:
    """The records of every input, kept in `state.json` plus an append-only journal.

    Each finished thread appends one JSON line to the journal (O(1) per thread, fsynced); a run
    starts and ends by folding the journal into `state.json`, written atomically. A torn last line
    (a kill mid-append) is ignored, so the worst a kill costs is recomputing that one thread.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.records: dict[str, InputRecord] = {}
        self._journal: Any = None

    def load(self) -> None:
        """Read `state.json`, replay the journal a killed run left, and fold them together."""
        path = self.out / STATE_NAME
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("layout") == STATE_LAYOUT:
                    self.records = {
                        key: InputRecord.from_json(value) for key, value in data["inputs"].items()
                    }
            except (OSError, ValueError, KeyError, TypeError) as error:
                # Written atomically, so this means someone edited it: recompute rather than stop.
                logger.warning("ignoring unreadable %s (%s); every input will be recomputed", path, error)
                self.records = {}
        journal = self.out / JOURNAL_NAME
        if journal.exists():
            for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    if entry.get("record") is None:
                        self.records.pop(entry["key"], None)
                    else:
                        self.records[entry["key"]] = InputRecord.from_json(entry["record"])
                except (ValueError, KeyError, TypeError):
                    continue  # the torn tail of a killed run
        self.compact()

    def put(self, key: str, record: InputRecord | None) -> None:
        """Record one input's result (None: the input is gone) durably before returning."""
        if record is None:
            self.records.pop(key, None)
        else:
            self.records[key] = record
        line = json.dumps({"key": key, "record": record.to_json() if record else None})
        try:
            if self._journal is None:
                self._journal = open(self.out / JOURNAL_NAME, "a", encoding="utf-8")  # noqa: SIM115
            self._journal.write(line + "\n")
            self._journal.flush()
            os.fsync(self._journal.fileno())
        except OSError as error:
            raise OutputError(f"cannot write {self.out / JOURNAL_NAME}: {error.strerror or error}") from error

    def compact(self) -> None:
        """Write every record to `state.json` atomically, then drop the journal it contains."""
        document = {
            "layout": STATE_LAYOUT,
            "inputs": {key: self.records[key].to_json() for key in sorted(self.records)},
        }
        write_text_atomic(self.out / STATE_NAME, json.dumps(document, indent=1) + "\n")
        self.close()
        (self.out / JOURNAL_NAME).unlink(missing_ok=True)

    def close(self) -> None:
        """Close the journal (a run that stops on an error leaves it for the next run to replay)."""
        if self._journal is not None:
            with contextlib.suppress(OSError):  # what could not be flushed, the next run recomputes
                self._journal.close()
            self._journal = None

    def live_thread_ids(self) -> set[str]:
        """The thread ids some current input produced: their rows must stay."""
        return {record.thread_id for record in self.records.values() if record.thread_id}
