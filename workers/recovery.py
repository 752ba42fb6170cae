"""Recovery of components whose worker died mid-job (SIGKILL, OOM killer, power cut).

A killed worker leaves its component ``processing`` and its RQ job in the started registry;
RQ only notices after the job's heartbeat expires *and* a worker's next maintenance pass
(minutes). Workers therefore sweep at start and at every maintenance pass: a component still
``processing`` that no live worker is running and no queue holds is queued again, and so is
a ``queued`` one whose job is nowhere (the API died before queueing it, Redis lost it). Jobs are
idempotent (registration adds only missing documents), so a late duplicate does no harm.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ocr_service.settings import Settings
from storage.db import session_scope
from storage.models import Component, utcnow

__all__ = ["MAINTENANCE_INTERVAL", "QUEUED_GRACE_SECONDS", "recovering", "requeue_abandoned"]

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL = 60  # seconds between sweeps in a running worker (RQ's default: 600)
QUEUED_GRACE_SECONDS = 60  # a queued component's job may still be on its way to Redis


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _component_of(job: Any) -> str | None:
    args = getattr(job, "args", None) or ()
    return str(args[0]) if args else None


def _claimed_components(queue: Any) -> set[str]:
    """Components that a live worker is running or a queue/registry will run."""
    from rq import Worker
    from rq.registry import DeferredJobRegistry, ScheduledJobRegistry

    claimed: set[str] = set()
    host = socket.gethostname()
    for worker in Worker.all(queue=queue):
        if worker.hostname == host and worker.pid and not _pid_alive(worker.pid):
            continue  # registered but dead (its key outlives it until the heartbeat expires)
        job = worker.get_current_job()
        if job is not None and (cid := _component_of(job)):
            claimed.add(cid)
    waiting = list(queue.get_job_ids())
    for registry in (ScheduledJobRegistry(queue=queue), DeferredJobRegistry(queue=queue)):
        waiting += registry.get_job_ids()
    for job in queue.job_class.fetch_many(waiting, connection=queue.connection):
        if job is not None and (cid := _component_of(job)):
            claimed.add(cid)
    return claimed


def requeue_abandoned(
    settings: Settings, queue: Any, *, queued_grace_seconds: float = QUEUED_GRACE_SECONDS
) -> list[str]:
    """Queue again every unfinished component that nothing runs or holds; returns their ids.

    ``processing`` ones were left by a dead worker; ``queued`` ones older than the grace
    period lost their job (the API died between recording and queueing, or Redis lost it).
    """
    from workers.queue import RQJobQueue

    cutoff = utcnow() - timedelta(seconds=queued_grace_seconds)
    with session_scope(settings.effective_database_url) as session:
        unfinished = set(
            session.scalars(
                select(Component.id).where(
                    (Component.status == "processing")
                    | ((Component.status == "queued") & (Component.updated_at < cutoff))
                )
            )
        )
    if not unfinished:
        return []
    orphans = sorted(unfinished - _claimed_components(queue))
    if orphans:
        jobs = RQJobQueue(settings)
        for component_id in orphans:
            jobs.enqueue_component(component_id)
        jobs.close()
        log.warning(
            "re-queued %d component(s) whose job was lost (dead worker or lost queue): %s",
            len(orphans),
            ", ".join(orphans),
        )
    return orphans


def recovering(worker_class: type, settings: Settings) -> type:
    """``worker_class`` whose maintenance pass (at start, then every minute) also sweeps."""

    class RecoveringWorker(worker_class):  # type: ignore[misc, valid-type]
        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            for queue in self.queues:
                try:
                    requeue_abandoned(settings, queue)
                except Exception:  # never let the sweep stop the worker
                    log.exception("sweep for abandoned components failed on %s", queue.name)

    RecoveringWorker.__name__ = f"Recovering{worker_class.__name__}"
    return RecoveringWorker
