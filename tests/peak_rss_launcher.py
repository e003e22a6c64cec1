"""Run a command and record its exit code and its own peak RSS, free of its starter's size.

Linux hands a child the peak RSS of the memory image it was forked from (exec records the old
image's high-water mark in the process's maxrss), so a command started straight from a pytest
process that has grown to 1 GB reports at least 1 GB, whatever it used itself. Started from this
small launcher instead, the command inherits only the launcher's few megabytes.

    python peak_rss_launcher.py REPORT_FILE PROGRAM [ARG...]

writes "<exit code> <peak RSS in KiB>" to REPORT_FILE once PROGRAM ends; stdio pass through.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    report, program, *args = sys.argv[1:]
    child = os.fork()
    if child == 0:
        try:
            os.execv(program, [program, *args])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(child, 0)
    with open(report, "w", encoding="ascii") as file:
        file.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}\n")


if __name__ == "__main__":
    main()
