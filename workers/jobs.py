"""The component job: fetch the scan by key, run the pipeline, register what it found.

The pipeline's stages 1-6 (``ctx.extractor``, ``pipeline.extract_file`` by default) run within
the job's time limit; its stage 7 (``pipeline.register_documents``) runs here, in this
thread's database session, only once they finished in time.

Jobs carry a component id, never file bytes. Running one twice leaves the same result: a
component already ``done`` is skipped and registration adds only missing documents.
Failures are written on the component (error code, message, retryable, attempts); a
retryable failure is raised again while retries remain so RQ re-runs it after a back-off.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from core.errors import (
    DatabaseUnavailableError,
    JobTimeoutError,
    NotFoundError,
    SohoaError,
    storage_error,
)
from core.records import ExtractionResult
from core.redact import redacting
from core.settings import Settings, get_settings
from ocr_service.copies.codes import DigitizationCodeTemplate, digitization_code_template
from ocr_service.pipeline import register_documents
from storage.db import session_scope
from storage.models import utcnow
from storage.objects import ObjectStore, open_object_store
from storage.repository import find_component
from workers.extractor import Extractor, load_extractor
from workers.settle import settle_later

__all__ = ["JobContext", "configure", "get_context", "process_component", "run_component"]

_T = TypeVar("_T")

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    settings: Settings
    store: ObjectStore
    extractor: Extractor
    # SOHOA_DIGITIZATION_CODE_TEMPLATE, resolved once (a bad template stops the worker's start)
    code_template: DigitizationCodeTemplate | None = None


_context: JobContext | None = None
_context_lock = threading.Lock()


def configure(
    settings: Settings,
    *,
    store: ObjectStore | None = None,
    extractor: Extractor | str | None = None,
) -> JobContext:
    """Set what jobs in this process use (the worker command calls it once at start)."""
    global _context
    if extractor is None or isinstance(extractor, str):
        extractor = load_extractor(extractor)
    with _context_lock:
        _context = JobContext(
            settings,
            store or open_object_store(settings),
            extractor,
            code_template=(
                digitization_code_template(settings.digitization_code_template)
                if settings.digitization_code_template
                else None
            ),
        )
    return _context


def get_context() -> JobContext:
    with _context_lock:
        ctx = _context
    return ctx or configure(get_settings())


def _rq_will_retry() -> bool:
    """True when RQ has retries left for the current job (False outside RQ)."""
    try:
        from rq import get_current_job

        job = get_current_job()
    except Exception:
        return False
    return bool(job is not None and job.retries_left)


def _record_failure(url: str, component_id: str, error: SohoaError, *, will_retry: bool) -> bool:
    """Write the failure on the component; False if a concurrent run already finished it."""
    with session_scope(url) as session:
        component = find_component(session, component_id=component_id)
        if component is None or component.status == "done":
            return False  # e.g. a duplicate delivery registered it first: keep that result
        component.status = "queued" if will_retry else "failed"
        component.error_code = error.code
        component.error_message = error.message
        component.error_retryable = error.retryable
        component.finished_at = None if will_retry else utcnow()
        return True


def _within(timeout: float | None, fn: Callable[[], _T], component_id: str) -> _T:
    """``fn()`` with a deadline: past ``timeout`` seconds raise ``JobTimeoutError``.

    Used where nothing else enforces the job time limit (in-process jobs; RQ kills its own
    work-horse). A Python thread cannot be killed, so ``fn`` runs on a daemon thread that is
    abandoned at the deadline: it may keep using CPU until it finishes, and then its result is
    dropped, because only the caller (which has already given up) would register it.
    """
    if timeout is None:
        return fn()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the waiting caller
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"sohoa-pipeline-{component_id}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        log.error(
            "component %s: pipeline still running after the %.0f s job time limit; "
            "abandoning it (its late result will be discarded)",
            component_id,
            timeout,
        )
        raise JobTimeoutError(
            f"Processing took longer than the {timeout:.0f} s job time limit; retry the "
            "component (or raise SOHOA_JOB_TIMEOUT_SECONDS for very large scans)."
        )
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def run_component(
    component_id: str,
    *,
    ctx: JobContext | None = None,
    will_retry: bool = False,
    timeout: float | None = None,
) -> str:
    """Process one component; returns its final status or raises for RQ to retry.

    ``timeout`` (seconds) bounds fetching the scan and running the pipeline when no one else
    does (the in-process queue); the registration of the result happens only in this thread
    and only when the pipeline finished in time, so a late pipeline never registers anything.
    """
    ctx = ctx or get_context()
    url = ctx.settings.effective_database_url
    try:
        with session_scope(url) as session:
            component = find_component(session, component_id=component_id)
            if component is None:
                raise NotFoundError(f"No component {component_id}.")
            if component.status in ("done", "failed"):
                # a late duplicate delivery (e.g. RQ retrying an abandoned job) of a finished
                # component; a retry by the clerk sets it back to ``queued`` before queueing
                return str(component.status)
            component.status = "processing"
            component.attempts += 1
            component.started_at = utcnow()
            object_key, name = component.object_key, component.original_filename
            attempt = component.attempts
    except OperationalError as exc:  # e.g. SQLite on a full disk: the run cannot even start
        unavailable = DatabaseUnavailableError()
        if not will_retry:  # no later run will come: make sure the component ends failed
            settle_later(url, component_id, unavailable, will_retry=False, attempts=None)
        raise unavailable from exc

    # the client's file name often carries a name and an id number: logs say the component
    with redacting(name, PurePath(name).stem, label=f"component {component_id}"):
        try:
            try:
                t0 = time.perf_counter()
                times: list[float] = []

                def fetch_and_extract() -> ExtractionResult:
                    data = ctx.store.get(object_key)
                    times.append(time.perf_counter())
                    return ctx.extractor(data, name, ctx.settings)

                extraction = _within(timeout, fetch_and_extract, component_id)
                t1 = times[0] if times else t0
                t2 = time.perf_counter()
                with session_scope(url) as session:
                    component = find_component(session, component_id=component_id)
                    assert component is not None
                    register_documents(
                        extraction,
                        session=session,
                        component=component,
                        store=ctx.store,
                        code_template=ctx.code_template,
                    )
                    component.status = "done"
                    component.error_code = component.error_message = None
                    component.error_retryable = None
                    component.finished_at = utcnow()
                log.info(
                    "component %s done: fetch %.2f s, pipeline %.2f s, register %.2f s, %d documents",
                    component_id, t1 - t0, t2 - t1, time.perf_counter() - t2,
                    len(extraction.documents),
                )  # fmt: skip
                return "done"
            except SohoaError:
                raise
            except OperationalError as exc:
                raise DatabaseUnavailableError() from exc
            except Exception as exc:
                if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise storage_error(exc) from exc  # 507 insufficient_storage, retryable
                # RQ's timeout arrives as its own exception inside the job
                if type(exc).__name__ == "JobTimeoutException":
                    raise JobTimeoutError() from exc
                log.exception("component %s failed unexpectedly", component_id)
                raise SohoaError(
                    f"Processing failed unexpectedly ({type(exc).__name__}); retry the component "
                    "or report it."
                ) from exc
        except SohoaError as error:
            retry = will_retry and error.retryable
            log.warning(
                "component %s: %s (%s)%s",
                component_id,
                error.code,
                error.message,
                "; will retry" if retry else "",
            )
            try:
                recorded = _record_failure(url, component_id, error, will_retry=retry)
            except (OperationalError, OSError):  # the disk that filled holds the database too
                settle_later(url, component_id, error, will_retry=retry, attempts=attempt)
                recorded = True
            if not recorded:
                return "done"
            if error.retryable:
                # RQ logs what it is handed after this block (and its redaction) has ended:
                # the message it logs names the component, not the client's file name
                without_file_name(error, name, f"component {component_id}")
                raise  # RQ retries while it can, then keeps the job in its failed registry
            return "failed"


def without_file_name(error: SohoaError, name: str, label: str) -> SohoaError:
    """``error`` with the client's file name (and its stem) in its message replaced by
    ``label``; the component's record keeps the message as the clerk saw it."""
    message = error.message
    for part in sorted({name, PurePath(name).stem} - {""}, key=len, reverse=True):
        message = message.replace(part, label)
    error.message = message
    error.args = (message,)
    return error


def process_component(component_id: str) -> str:
    """The RQ job (``workers.jobs.process_component``)."""
    return run_component(component_id, will_retry=_rq_will_retry())
