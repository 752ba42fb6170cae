"""`sohoa serve`: the HTTP API and web pages under uvicorn."""

from __future__ import annotations

import sys

import click

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    "http_workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="HTTP worker processes (needs Redis for jobs when more than one).",
)
@click.option(
    "--pipeline",
    default=None,
    hidden=True,
    help="module:function replacing the pipeline for in-process jobs (tests, drills).",
)
def command(host: str, port: int, http_workers: int, pipeline: str | None) -> None:
    """Start the HTTP API (/api/v1, OpenAPI at /openapi.json) and the web pages."""
    # imported here, not at the top: `sohoa --help` imports every command module, and these
    # load uvicorn, FastAPI, SQLAlchemy and the job queue
    import uvicorn

    from ocr_service.api import create_app

    settings = get_settings()
    if http_workers > 1:
        if not settings.redis_url:
            click.echo(
                "error: --workers > 1 needs SOHOA_REDIS_URL (in-process jobs are per process)",
                err=True,
            )
            sys.exit(2)
        # several processes: uvicorn imports the factory in each (settings from the environment)
        uvicorn.run(
            "ocr_service.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=http_workers,
            log_level="info",
            proxy_headers=True,
        )
        return
    try:
        app = create_app(settings, extractor=pipeline)
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
