"""threads: rebuild forum threads from copied text, saved pages and exports into posts and quotes."""

import logging

from threads.assemble import assemble
from threads.errors import InputError, OutputError, ThreadlensError, UnknownFormatError
from threads.model import (
    Boilerplate,
    Edge,
    Post,
    PostDraft,
    Quote,
    QuoteMark,
    Thread,
    ThreadDraft,
)
from threads.read import from_frame, parse, parse_bytes, read, read_threads

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Boilerplate",
    "Edge",
    "InputError",
    "OutputError",
    "Post",
    "PostDraft",
    "Quote",
    "QuoteMark",
    "Thread",
    "ThreadDraft",
    "ThreadlensError",
    "UnknownFormatError",
    "assemble",
    "from_frame",
    "parse",
    "parse_bytes",
    "read",
    "read_threads",
]
