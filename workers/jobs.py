"""The component job: fetch the scan by key, run the pipeline, register what it found.

Jobs carry a component id, never file bytes. Running one twice leaves the same result: a
component already ``done`` is skipped and registration adds only missing documents.
Failures are written on the component (error code, message, retryable, attempts); a
retryable failure is raised again while retries remain so RQ re-runs it after a back-off.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from ocr_service.errors import (
    DatabaseUnavailableError,
    JobTimeoutError,
    NotFoundError,
    SohoaError,
)
from ocr_service.registration import register_extraction
from ocr_service.settings import Settings, get_settings
from storage.db import session_scope
from storage.models import Component, utcnow
from storage.objects import ObjectStore, open_object_store
from workers.extractor import Extractor, load_extractor

__all__ = ["JobContext", "configure", "get_context", "process_component", "run_component"]

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    settings: Settings
    store: ObjectStore
    extractor: Extractor


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
        _context = JobContext(settings, store or open_object_store(settings), extractor)
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
        component = session.get(Component, component_id)
        if component is None or component.status == "done":
            return False  # e.g. a duplicate delivery registered it first: keep that result
        component.status = "queued" if will_retry else "failed"
        component.error_code = error.code
        component.error_message = error.message
        component.error_retryable = error.retryable
        component.finished_at = None if will_retry else utcnow()
        return True


def run_component(
    component_id: str, *, ctx: JobContext | None = None, will_retry: bool = False
) -> str:
    """Process one component; returns its final status or raises for RQ to retry."""
    ctx = ctx or get_context()
    url = ctx.settings.effective_database_url
    with session_scope(url) as session:
        component = session.get(Component, component_id)
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

    try:
        try:
            t0 = time.perf_counter()
            data = ctx.store.get(object_key)
            t1 = time.perf_counter()
            extraction = ctx.extractor(data, name, ctx.settings)
            t2 = time.perf_counter()
            with session_scope(url) as session:
                component = session.get(Component, component_id)
                assert component is not None
                register_extraction(
                    session, component=component, extraction=extraction, store=ctx.store
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
        if not _record_failure(url, component_id, error, will_retry=retry):
            return "done"
        if error.retryable:
            raise  # RQ retries while it can, then keeps the job in its failed registry
        return "failed"


def process_component(component_id: str) -> str:
    """The RQ job (``workers.jobs.process_component``)."""
    return run_component(component_id, will_retry=_rq_will_retry())
