"""`sohoa worker`: an RQ worker for the pipeline queue (SOHOA_REDIS_URL, SOHOA_QUEUE_NAME)."""

from __future__ import annotations

import logging
import sys

import click

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.command(name="worker")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
@click.option(
    "--fork",
    is_flag=True,
    help="Run each job in a forked work horse (isolation) instead of in-process "
    "(the default: the OCR models stay loaded between jobs).",
)
@click.option(
    "--preload/--no-preload",
    default=True,
    show_default=True,
    help="Load the OCR models before taking the first job.",
)
@click.option(
    "--pipeline",
    default=None,
    hidden=True,
    help="module:function replacing the pipeline (fault injection in tests).",
)
@click.option("--name", default=None, help="Worker name shown by `rq info`.")
def command(burst: bool, fork: bool, preload: bool, pipeline: str | None, name: str | None) -> None:
    """Take component jobs from the queue and run the pipeline on them."""
    # imported here, not at the top: `sohoa --help` imports every command module, and these
    # load Redis, RQ, SQLAlchemy and the pipeline
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    from core.redact import install_log_redaction
    from storage.repository import init_db
    from storage.tempfiles import sweep_stale_temporaries
    from workers.extractor import preload_models
    from workers.jobs import configure
    from workers.reconnect import reconnecting, work_reconnecting
    from workers.recovery import MAINTENANCE_INTERVAL, recovering

    install_log_redaction()  # job logs name components, never file names or id numbers
    settings = get_settings()
    if not settings.redis_url:
        click.echo(
            "error: set SOHOA_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run workers; "
            "without Redis the API runs jobs itself.",
            err=True,
        )
        sys.exit(2)
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    try:
        init_db(settings.effective_database_url)
        sweep_stale_temporaries(settings)  # a killed worker's half-written local objects
        ctx = configure(settings, extractor=pipeline)
        if preload and pipeline is None:
            preload_models(settings)
        del ctx
        connection = Redis.from_url(settings.redis_url)
        connection.ping()
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        click.echo(f"error: cannot start the worker ({type(exc).__name__}: {exc})", err=True)
        sys.exit(1)
    queue = Queue(settings.queue_name, connection=connection)
    # the maintenance pass (at start, then every minute) re-queues components of dead workers;
    # a lost Redis ends RQ's loop, which then runs again once Redis answers (workers.reconnect)
    worker_class = reconnecting(recovering(Worker if fork else SimpleWorker, settings))
    work_reconnecting(
        lambda: worker_class(
            [queue], connection=connection, name=name, maintenance_interval=MAINTENANCE_INTERVAL
        ),
        connection,
        burst=burst,
        work_kwargs={"with_scheduler": True, "logging_level": "INFO"},
    )
