"""Failures that could not be written yet: a job always ends ``done`` or ``failed``.

When the disk that filled also holds the database (SQLite in the data folder, or PostgreSQL
on the same volume), a job that fails for want of space cannot write its failure either, and
its component would stay ``processing`` with no error until someone noticed. Such a failure
is kept here and written by a background thread as soon as the database takes writes again
(a rolled-back transaction often frees the room a one-row update needs at once). It is
written only if the component is still where the failed run left it - not finished, and on
the same attempt - so it never overwrites a later run. A process that dies with failures
still pending leaves them to the worker sweep (``workers.recovery``) or, for the API's
in-process jobs, to the re-queue at start (``ocr_service.api.app``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.errors import SohoaError
from storage.db import session_scope
from storage.models import Component, utcnow

__all__ = ["pending_failures", "settle_later"]

log = logging.getLogger(__name__)

_BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0)  # seconds between tries, the last one repeated


@dataclass(frozen=True)
class _Failure:
    url: str
    component_id: str
    code: str
    message: str
    retryable: bool
    status: str  # what the run would have written: "queued" (a retry follows) or "failed"
    attempts: int | None  # the attempt that failed; None: whichever the component is on


_pending: dict[str, _Failure] = {}
_lock = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None


def settle_later(
    url: str, component_id: str, error: SohoaError, *, will_retry: bool, attempts: int | None
) -> None:
    """Write ``error`` on the component once the database takes writes: ``failed``, or
    ``queued`` when ``will_retry`` (the queue runs it again)."""
    global _thread
    status = "queued" if will_retry else "failed"
    failure = _Failure(
        url, component_id, error.code, error.message, error.retryable, status, attempts
    )
    with _lock:
        earlier = _pending.get(component_id)
        if earlier is not None and attempts in (None, earlier.attempts):
            # the same run failing again (its next start could not be written either): keep
            # the cause it failed for first (the full disk), take the newer status
            failure = replace(earlier, status=status)
        _pending[component_id] = failure
        if _thread is None:
            _thread = threading.Thread(target=_write_pending, name="sohoa-settle", daemon=True)
            _thread.start()
    _wake.set()
    log.error(
        "component %s: its failure (%s) cannot be recorded yet; it will be as soon as the "
        "database takes writes again",
        component_id,
        error.code,
    )


def pending_failures() -> dict[str, str]:
    """Component -> status still waiting to be written (for tests and drills)."""
    with _lock:
        return {cid: failure.status for cid, failure in _pending.items()}


def _write(failure: _Failure) -> None:
    with session_scope(failure.url) as session:
        component = session.get(Component, failure.component_id)
        if component is None or component.status in ("done", "failed"):
            return  # finished meanwhile (a later run, a clerk)
        if failure.attempts is not None and component.attempts != failure.attempts:
            return  # a later attempt runs it now and will record its own outcome
        component.status = failure.status
        component.error_code = failure.code
        component.error_message = failure.message
        component.error_retryable = failure.retryable
        component.finished_at = utcnow() if failure.status == "failed" else None


def _write_pending(sleep: Callable[[float], bool] = _wake.wait) -> None:
    global _thread
    tries = 0
    while True:
        with _lock:
            todo = list(_pending.values())
            if not todo:
                _thread = None  # under the lock: the next settle_later starts a new one
                return
        _wake.clear()
        for failure in todo:
            try:
                _write(failure)
            except Exception as exc:  # still full (or unreachable): try again later
                log.debug("component %s: failure still not written: %s", failure.component_id, exc)
                continue
            with _lock:
                if _pending.get(failure.component_id) is failure:
                    del _pending[failure.component_id]
            log.warning(
                "component %s: failure (%s) recorded, %s",
                failure.component_id, failure.code, failure.status,
            )  # fmt: skip
        sleep(_BACKOFF[min(tries, len(_BACKOFF) - 1)])
        tries += 1
