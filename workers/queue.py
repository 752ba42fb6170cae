"""Queues component jobs: RQ on Redis in production, a thread pool in the API process otherwise.

Either way the upload request returns 202 as soon as the scan is stored and the job queued.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from core.errors import QueueUnavailableError, SohoaError
from core.settings import Settings
from workers.jobs import JobContext, run_component

__all__ = ["InProcessJobQueue", "JobQueue", "RQJobQueue", "open_job_queue"]

log = logging.getLogger(__name__)

DEFAULT_BACKOFF = (5, 30, 120)


class JobQueue(Protocol):
    def enqueue_component(self, component_id: str) -> None: ...

    def close(self) -> None: ...


class RQJobQueue:
    """Enqueue ``workers.jobs.process_component`` on the Redis queue ``settings.queue_name``."""

    def __init__(self, settings: Settings, *, backoff: Sequence[int] = DEFAULT_BACKOFF) -> None:
        # redis and rq are imported only with a Redis to talk to: the embedded default runs
        # jobs on a thread pool and never needs them
        from redis import Redis
        from rq import Queue

        assert settings.redis_url
        self.connection = Redis.from_url(
            settings.redis_url, socket_connect_timeout=3, socket_timeout=10
        )
        self.queue = Queue(settings.queue_name, connection=self.connection)
        self.settings = settings
        self.backoff = list(backoff)

    def enqueue_component(self, component_id: str) -> None:
        from rq import Retry

        retry = None
        if self.settings.job_max_retries > 0:
            retry = Retry(max=self.settings.job_max_retries, interval=self.backoff)
        try:
            self.queue.enqueue(
                "workers.jobs.process_component",
                component_id,
                job_timeout=self.settings.job_timeout_seconds,
                retry=retry,
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
                description=f"process component {component_id}",
            )
        except SohoaError:
            raise
        except Exception as exc:
            raise QueueUnavailableError(
                f"Cannot reach the job queue ({type(exc).__name__}); the scan is stored, "
                "retry the component shortly."
            ) from exc

    def close(self) -> None:
        self.connection.close()


class InProcessJobQueue:
    """No Redis: run jobs on a small thread pool inside the API process, with the same retries.

    Each attempt is bounded by ``Settings.job_timeout_seconds`` as RQ bounds its jobs: past it
    the component is marked with the retryable ``job_timeout`` error (queued again while
    retries remain, else failed) and the pipeline's late result is discarded (see
    ``workers.jobs._within``: a thread cannot be killed, so it finishes in the background).
    """

    def __init__(
        self, ctx: JobContext, *, workers: int = 1, backoff: Sequence[int] = DEFAULT_BACKOFF
    ) -> None:
        self.ctx = ctx
        self.backoff = list(backoff) or [0]
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sohoa-job")
        self._stopping = threading.Event()

    def enqueue_component(self, component_id: str) -> None:
        self.executor.submit(self._run, component_id)

    def _run(self, component_id: str) -> None:
        retries = self.ctx.settings.job_max_retries
        for attempt in range(retries + 1):
            try:
                run_component(
                    component_id,
                    ctx=self.ctx,
                    will_retry=attempt < retries,
                    timeout=self.ctx.settings.job_timeout_seconds,
                )
                return
            except SohoaError as error:
                if not error.retryable or attempt >= retries or self._stopping.is_set():
                    return
                delay = self.backoff[min(attempt, len(self.backoff) - 1)]
                if self._stopping.wait(delay):
                    return
            except Exception:
                log.exception("in-process job for component %s crashed", component_id)
                return

    def close(self) -> None:
        self._stopping.set()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def drain(self) -> None:
        """Run every job queued so far to its end, then stop (a one-shot command's exit)."""
        self.executor.shutdown(wait=True)


def open_job_queue(
    settings: Settings, ctx: JobContext, *, backoff: Sequence[int] = DEFAULT_BACKOFF
) -> JobQueue:
    if settings.redis_url:
        return RQJobQueue(settings, backoff=backoff)
    return InProcessJobQueue(ctx, backoff=backoff)
