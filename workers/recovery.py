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

from core.errors import WorkerLostError
from core.settings import Settings
from storage.db import session_scope
from storage.models import utcnow
from storage.repository import find_component, list_unfinished_components
from workers.queue import RQJobQueue

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
    # only a worker on Redis sweeps; rq is imported there (as in workers.queue)
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


def _fail_lost(url: str, component_ids: list[str]) -> None:
    error = WorkerLostError()
    with session_scope(url) as session:
        for cid in component_ids:
            component = find_component(session, component_id=cid)
            if component is None or component.status != "processing":
                continue
            component.status = "failed"
            component.error_code, component.error_message = error.code, error.message
            component.error_retryable = error.retryable
            component.finished_at = utcnow()
    log.error(
        "component(s) %s failed: their worker died on every attempt", ", ".join(component_ids)
    )


def requeue_abandoned(
    settings: Settings, queue: Any, *, queued_grace_seconds: float = QUEUED_GRACE_SECONDS
) -> list[str]:
    """Queue again every unfinished component that nothing runs or holds; returns their ids.

    ``processing`` ones were left by a dead worker; ``queued`` ones older than the grace
    period lost their job (the API died between recording and queueing, or Redis lost it).
    """
    cutoff = utcnow() - timedelta(seconds=queued_grace_seconds)
    url = settings.effective_database_url
    with session_scope(url) as session:
        unfinished = {
            cid: (status, attempts)
            for cid, status, attempts in list_unfinished_components(session, queued_before=cutoff)
        }
    if not unfinished:
        return []
    orphans = sorted(set(unfinished) - _claimed_components(queue))
    # a scan that killed its worker on every allowed attempt (e.g. out of memory) is a poison
    # pill: fail it clearly instead of killing workers forever
    poison = [
        cid
        for cid in orphans
        if unfinished[cid][0] == "processing" and unfinished[cid][1] > settings.job_max_retries
    ]
    if poison:
        _fail_lost(url, poison)
        orphans = [cid for cid in orphans if cid not in poison]
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
