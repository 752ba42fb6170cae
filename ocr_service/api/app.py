"""The application factory: settings in, a FastAPI app with the API (and web pages) out."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from sqlalchemy.orm import sessionmaker

from core.redact import install_log_redaction
from core.settings import Settings, get_settings
from ocr_service.api.errors import install_error_handlers
from ocr_service.api.headers import SecurityHeaders
from ocr_service.api.limits import BodyLimit
from ocr_service.api.routes import api_router
from ocr_service.api.schemas import API_PREFIX
from ocr_service.web import router as web_router
from storage.db import get_engine
from storage.objects import ObjectStore, open_object_store
from storage.repository import init_db, list_unfinished_components
from storage.tempfiles import sweep_stale_temporaries
from workers.extractor import Extractor
from workers.jobs import configure
from workers.queue import DEFAULT_BACKOFF, InProcessJobQueue, JobQueue, open_job_queue

__all__ = ["create_app"]

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _requeue_unfinished(app: FastAPI) -> None:
    """In-process jobs die with the process: queue again what was left unfinished."""
    factory = app.state.session_factory
    with factory() as session:
        ids = [cid for cid, _, _ in list_unfinished_components(session)]
    for component_id in ids:
        app.state.job_queue.enqueue_component(component_id)
    if ids:
        log.info("re-queued %d unfinished components", len(ids))


def create_app(
    settings: Settings | None = None,
    *,
    store: ObjectStore | None = None,
    job_queue: JobQueue | None = None,
    extractor: Extractor | str | None = None,
    backoff: Sequence[int] = DEFAULT_BACKOFF,
) -> FastAPI:
    """Build the app; the database is migrated here so the first request finds its tables.

    ``extractor`` (a callable or ``"module:function"``) replaces the pipeline for jobs run in
    this process (tests inject faults with it); ``job_queue`` replaces the queue.
    """
    settings = settings or get_settings()
    install_log_redaction()  # id numbers and file names never reach a log line (access too)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sweep_stale_temporaries(settings)  # partial uploads of a process that was killed
    url = settings.effective_database_url
    init_db(url)
    store = store or open_object_store(settings)
    ctx = configure(settings, store=store, extractor=extractor)
    queue = job_queue or open_job_queue(settings, ctx, backoff=backoff)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if isinstance(app.state.job_queue, InProcessJobQueue):
            _requeue_unfinished(app)
        try:
            yield
        finally:
            app.state.job_queue.close()

    app = FastAPI(
        title="sohoa",
        summary="Digitize dossiers at the one-stop counter (số hóa hồ sơ).",
        version="0.1.0",
        lifespan=lifespan,
        # the docs pages load scripts from a CDN: never in production (ocr_service.api.headers)
        docs_url="/docs" if settings.api_docs_enabled else None,
        redoc_url="/redoc" if settings.api_docs_enabled else None,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_json_body_bytes)
    app.state.settings = settings
    app.state.store = store
    app.state.job_queue = queue
    app.state.session_factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response

    install_error_handlers(app)
    app.include_router(api_router, prefix=API_PREFIX)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(web_router)  # the pages: shells whose scripts call the API above
    return app
