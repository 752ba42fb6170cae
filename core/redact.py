"""Personal data out of the logs: id numbers and the client's file names (nhật ký không chứa
dữ liệu cá nhân).

Access logs print request paths (``/api/v1/citizens/001192012345/documents``) and job logs
print what the pipeline was given, the client's file name (``CCCD_Nguyen_Van_An.jpg``).
``install_log_redaction()`` wraps the process's log record factory so every record, from
sohoa, uvicorn or a library, has its message and string arguments redacted before any handler
or formatter sees them: runs of 9 or 12 digits (old and new id numbers) become ``<id>``, and
the names registered by ``redacting(...)`` (a job's file name) become its component's label,
and a search's words in a URL (``?q=nguyen+van+an``: a name, typed by a clerk) become ``<q>``.
Hex ids of 32 or 64 characters (records, hashes) are kept, whatever digits they contain.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ID_MASK", "QUERY_MASK", "install_log_redaction", "redact", "redacting"]

ID_MASK = "<id>"
QUERY_MASK = "<q>"
# the ``q`` parameter of a URL's query string, up to the next parameter or the URL's end
_SEARCH_QUERY = re.compile(r"(?<=[?&])(q=)[^&#\s\"']*", re.IGNORECASE)
_TOKENS = re.compile(
    r"(?P<hex>(?<![0-9A-Za-z])[0-9a-fA-F]{32}(?:[0-9a-fA-F]{32})?(?![0-9A-Za-z]))"
    r"|(?P<id>(?<![0-9])[0-9]{9}(?:[0-9]{3})?(?![0-9]))"
)
_MIN_NAME = 4  # shorter strings would blank out ordinary words

_lock = threading.Lock()
_names: dict[str, list[str]] = {}  # sensitive string -> labels of the jobs that use it


def _replace(match: re.Match[str]) -> str:
    return match.group(0) if match.group("hex") else ID_MASK


def redact(text: str) -> str:
    """``text`` without id numbers and without the names registered by ``redacting``."""
    with _lock:
        names = sorted(((n, labels[-1]) for n, labels in _names.items()), key=lambda p: -len(p[0]))
    for name, label in names:
        if name in text:
            text = text.replace(name, label)
    if "q=" in text or "Q=" in text:
        text = _SEARCH_QUERY.sub(lambda m: m.group(1) + QUERY_MASK, text)
    return _TOKENS.sub(_replace, text)


@contextmanager
def redacting(*names: str, label: str) -> Iterator[None]:
    """While inside, any log record's ``names`` (e.g. a job's file name) read ``label``."""
    kept = [n for n in dict.fromkeys(names) if n and len(n) >= _MIN_NAME]
    with _lock:
        for n in kept:
            _names.setdefault(n, []).append(label)
    try:
        yield
    finally:
        with _lock:
            for n in kept:
                labels = _names.get(n, [])
                if label in labels:
                    labels.remove(label)
                if not labels:
                    _names.pop(n, None)


def _redact_arg(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, int | float):  # %d and %f need numbers
        return value
    text = str(value)  # a URL, a Path, an exception: replaced only if it carried something
    cleaned = redact(text)
    return value if cleaned == text else cleaned


_installed = False


def install_log_redaction() -> None:
    """Redact every log record this process creates from now on (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            # a traceback quotes exception messages (file names): formatted and redacted now
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
        return record

    logging.setLogRecordFactory(factory)
