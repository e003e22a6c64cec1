"""Errors that threadlens raises on purpose, each with the exit code the CLI maps it to."""

from __future__ import annotations

# The CLI's documented exit codes. Shared here so the library, the CLI and the docs agree.
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: reported in one line, the traceback only with --debug
EXIT_USAGE = 2  # bad arguments (argparse's own code)
EXIT_INPUT = 3  # input is empty, binary, truncated, malformed or too large
EXIT_FORMAT = 4  # input is readable but in no format threadlens knows
EXIT_OUTPUT = 5  # an output could not be written (nothing already written is lost)
EXIT_PARTIAL = 6  # batch: some inputs failed, the others were processed
EXIT_LOCKED = 7  # batch: another run holds the output folder's lock


class ThreadlensError(Exception):
    """Base of every error threadlens raises deliberately; `exit_code` is the CLI's exit code."""

    exit_code = EXIT_INTERNAL


class InputError(ThreadlensError):
    """The input cannot be read as a thread: empty, binary, malformed, truncated or too large."""

    exit_code = EXIT_INPUT


class UnknownFormatError(InputError):
    """The input is readable text or data but matches no format threadlens knows."""

    exit_code = EXIT_FORMAT


class OutputError(ThreadlensError):
    """An output file or folder could not be written."""

    exit_code = EXIT_OUTPUT


class UsageError(ThreadlensError):
    """The command was given arguments that cannot work (a missing input folder, a bad address)."""

    exit_code = EXIT_USAGE


class LockedError(ThreadlensError):
    """Another batch run holds the lock on the output folder."""

    exit_code = EXIT_LOCKED


EXIT_CODES_HELP = f"""exit codes:
  {EXIT_OK}  success
  {EXIT_INTERNAL}  internal error (a bug; rerun with --debug for the traceback)
  {EXIT_USAGE}  usage error (bad arguments)
  {EXIT_INPUT}  input unreadable: empty, binary, malformed, truncated or over a size limit
  {EXIT_FORMAT}  input in a format threadlens does not know
  {EXIT_OUTPUT}  output could not be written
  {EXIT_PARTIAL}  batch finished but some inputs failed
  {EXIT_LOCKED}  batch: another run holds the lock on the output folder"""
