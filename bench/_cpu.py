"""CPU seconds for benchmarks: this process and its finished children (tesseract runs as
a child process), less disturbed by other jobs on a shared machine than wall-clock time."""

from __future__ import annotations

import resource

__all__ = ["cpu_seconds"]


def cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
