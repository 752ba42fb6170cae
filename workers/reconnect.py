"""A worker that outlives Redis outages: RQ's loop, run again once Redis answers.

RQ waits out a lost Redis only while it waits for the next job. Met anywhere else - a job
finishing while Redis is away, a heartbeat, a maintenance pass - the error ends its loop and
the process exits, so a short Redis restart mid-job used to leave a site without workers.
``work_reconnecting`` finishes what the interrupted shutdown could not (the worker's
registration, its channel, its scheduler lock), waits for Redis with a back-off, and starts
a fresh RQ worker under the same name, until the worker is asked to stop (SIGTERM/SIGINT) or,
in burst mode, runs out of jobs. The job that was running when Redis went away has already
written its result to the database; if RQ runs it again, the job sees it done (``workers.jobs``).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

__all__ = ["BACKOFF", "reconnecting", "work_reconnecting"]

log = logging.getLogger(__name__)

BACKOFF = (1, 2, 4, 8, 15, 30)  # seconds between tries to reach Redis again
_STEADY_SECONDS = 60  # a worker that ran this long starts the back-off afresh
_REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError)


def reconnecting(worker_class: type) -> type:
    """``worker_class`` that remembers being asked to stop, so that a loop that ended on a
    signal is not mistaken for one that ended on a lost Redis."""

    class ReconnectingWorker(worker_class):  # type: ignore[misc, valid-type]
        stop_requested_by_signal = False

        def request_stop(self, signum: Any, frame: Any) -> None:
            self.stop_requested_by_signal = True
            super().request_stop(signum, frame)

        def request_force_stop(self, signum: Any, frame: Any) -> None:
            self.stop_requested_by_signal = True
            super().request_force_stop(signum, frame)

    ReconnectingWorker.__name__ = f"Reconnecting{worker_class.__name__}"
    return ReconnectingWorker


def _finish_teardown(worker: Any) -> None:
    """What RQ's teardown could not do without Redis: without it the next worker of the same
    name is refused ("an active worker named ... already") and the scheduler lock is held
    by a dead scheduler until it expires."""
    for step in (worker.register_death, worker.unsubscribe):
        try:
            step()
        except Exception as exc:  # best effort: the keys expire by themselves
            log.warning(
                "worker %s: %s after the outage failed: %s", worker.name, step.__name__, exc
            )
    scheduler = getattr(worker, "scheduler", None)
    if scheduler is not None:
        try:
            scheduler.release_locks()
        except Exception as exc:
            log.warning("worker %s: releasing the scheduler lock failed: %s", worker.name, exc)


def work_reconnecting(
    make_worker: Callable[[], Any],
    connection: Any,
    *,
    burst: bool = False,
    backoff: Sequence[float] = BACKOFF,
    work_kwargs: dict[str, Any] | None = None,
) -> None:
    """Run ``make_worker().work(burst=burst, **work_kwargs)`` again after every end that was
    neither asked for (a signal) nor the end of a burst, waiting for Redis in between."""
    kwargs = work_kwargs or {}
    restarts = 0
    while True:
        worker = make_worker()
        started = time.monotonic()
        interrupted = False
        try:
            worker.work(burst=burst, **kwargs)
        except _REDIS_ERRORS as exc:  # raised by RQ's start or teardown: Redis is away
            interrupted = True
            log.error("worker %s lost Redis (%s: %s)", worker.name, type(exc).__name__, exc)
        if getattr(worker, "stop_requested_by_signal", False) or (burst and not interrupted):
            return
        restarts = 1 if time.monotonic() - started >= _STEADY_SECONDS else restarts + 1
        with _stop_on_signal() as stop:
            delay = backoff[min(restarts, len(backoff)) - 1]
            if not _wait_for_redis(connection, backoff, delay, stop):
                return  # asked to stop while waiting
            if interrupted:
                _finish_teardown(worker)
            if stop.is_set():
                return
        log.warning("worker %s: Redis answers; starting the worker again", worker.name)


@contextlib.contextmanager
def _stop_on_signal() -> Iterator[threading.Event]:
    """Between two RQ workers, SIGTERM/SIGINT set an event instead of reaching a dead one."""
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait_for_redis(
    connection: Any, backoff: Sequence[float], delay: float, stop: threading.Event
) -> bool:
    """Ping Redis until it answers (True), or until ``stop`` is set (False)."""
    tries = 0
    while not stop.wait(delay):
        try:
            connection.ping()
            return True
        except _REDIS_ERRORS as exc:
            tries += 1
            delay = backoff[min(tries, len(backoff) - 1)]
            log.warning("Redis still unreachable (%s); next try in %.0f s", exc, delay)
    return False
