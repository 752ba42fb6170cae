"""Temporary files sohoa leaves behind when a process dies mid-write, and their sweep at start.

Two kinds, each with a name only sohoa gives: an upload being received
(``<data_dir>/tmp/sohoa-upload-*.part``) and an object being written by the local store
(``<objects>/<kind>/.tmp-*``). A live process removes its own on every failure; a process
killed (SIGKILL, OOM, power) cannot, so the server and the workers sweep, at start, the ones
older than ``Settings.stale_temp_seconds`` (a file still being written is younger: every
chunk received touches it, and several processes may share the data folder).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from core.settings import Settings

__all__ = [
    "OBJECT_TMP_PREFIX",
    "UPLOAD_PREFIX",
    "UPLOAD_SUFFIX",
    "sweep_stale_temporaries",
    "upload_tmp_dir",
]

log = logging.getLogger(__name__)

UPLOAD_PREFIX = "sohoa-upload-"
UPLOAD_SUFFIX = ".part"
OBJECT_TMP_PREFIX = ".tmp-"  # storage.objects.LocalObjectStore's mkstemp prefix
_UPLOAD_NAME = re.compile(
    rf"^(?:{re.escape(UPLOAD_PREFIX)}[A-Za-z0-9_]+{re.escape(UPLOAD_SUFFIX)}"
    r"|upload-[a-z0-9_]{8})$"  # the second: the name before sohoa 0.1's sweep existed
)
_OBJECT_TMP_NAME = re.compile(rf"^{re.escape(OBJECT_TMP_PREFIX)}[A-Za-z0-9_]+$")


def upload_tmp_dir(settings: Settings) -> Path:
    """Where uploads are received before they reach the object store."""
    return settings.data_dir / "tmp"


def _stale(path: Path, cutoff: float) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff
    except OSError:
        return False


def sweep_stale_temporaries(settings: Settings, *, now: float | None = None) -> int:
    """Remove sohoa's own temporaries older than the bound; returns how many were removed."""
    cutoff = (time.time() if now is None else now) - settings.stale_temp_seconds
    candidates: list[Path] = []
    tmp = upload_tmp_dir(settings)
    if tmp.is_dir():
        candidates += [p for p in tmp.iterdir() if _UPLOAD_NAME.match(p.name)]
    objects = settings.objects_dir
    if objects.is_dir():
        for kind in objects.iterdir():
            if kind.is_dir() and not kind.is_symlink():
                candidates += [p for p in kind.iterdir() if _OBJECT_TMP_NAME.match(p.name)]
    removed = 0
    for path in candidates:
        if _stale(path, cutoff):
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                log.warning("could not remove a stale temporary file: %s", exc.strerror)
    if removed:
        log.info("removed %d stale temporary files left by an interrupted upload or write", removed)
    return removed
