"""workers.reconnect: RQ's loop runs again after a lost Redis, not after a stop or a burst."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from workers.reconnect import reconnecting, work_reconnecting

FAST = (0.01, 0.02)


class FakeWorker:
    """Stands in for an RQ worker: ``outcome`` is what its loop does."""

    def __init__(self, outcome: str, calls: list[str]) -> None:
        self.name = "w"
        self.outcome = outcome
        self.calls = calls
        self.stop_requested_by_signal = False
        self.scheduler = self

    def work(self, burst: bool = False, **kwargs: Any) -> bool:
        self.calls.append(f"work:{self.outcome}")
        if self.outcome == "redis-lost":  # RQ's teardown could not reach Redis either
            raise RedisConnectionError("Connection refused")
        if self.outcome == "signal":
            self.stop_requested_by_signal = True
        return True

    def register_death(self) -> None:
        self.calls.append("register_death")

    def unsubscribe(self) -> None:
        self.calls.append("unsubscribe")

    def release_locks(self) -> None:
        self.calls.append("release_locks")


class FakeRedis:
    def __init__(self, down_for: int) -> None:
        self.down_for = down_for
        self.pings = 0

    def ping(self) -> bool:
        self.pings += 1
        if self.pings <= self.down_for:
            raise RedisConnectionError("Connection refused")
        return True


def _workers(*outcomes: str) -> tuple[Any, list[str]]:
    calls: list[str] = []
    it = iter(outcomes)
    return (lambda: FakeWorker(next(it), calls)), calls


def test_a_lost_redis_ends_the_loop_and_a_new_worker_starts_once_redis_answers() -> None:
    make, calls = _workers("redis-lost", "signal")
    redis = FakeRedis(down_for=3)
    work_reconnecting(make, redis, backoff=FAST)
    assert redis.pings == 4
    # the old worker's interrupted teardown is finished before the new one registers
    assert calls == [
        "work:redis-lost", "register_death", "unsubscribe", "release_locks", "work:signal",
    ]  # fmt: skip


def test_a_loop_that_quit_on_its_own_is_started_again() -> None:
    # RQ logs "found an unhandled exception, quitting" and returns when its teardown worked
    make, calls = _workers("returned", "returned", "signal")
    work_reconnecting(make, FakeRedis(down_for=0), backoff=FAST)
    assert calls == ["work:returned", "work:returned", "work:signal"]


@pytest.mark.parametrize(("outcome", "burst"), [("signal", False), ("returned", True)])
def test_a_stop_or_the_end_of_a_burst_is_final(outcome: str, burst: bool) -> None:
    make, calls = _workers(outcome)
    work_reconnecting(make, FakeRedis(down_for=0), burst=burst, backoff=FAST)
    assert calls == [f"work:{outcome}"]


def test_sigterm_while_waiting_for_redis_stops_the_worker() -> None:
    make, calls = _workers("redis-lost")
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    before = signal.getsignal(signal.SIGTERM)
    timer.start()
    try:
        work_reconnecting(make, FakeRedis(down_for=10**9), backoff=FAST)
    finally:
        timer.cancel()
    assert calls == ["work:redis-lost"]  # no new worker
    assert signal.getsignal(signal.SIGTERM) is before  # the previous handler is back


def test_the_worker_class_remembers_a_stop_signal() -> None:
    class Base:
        def request_stop(self, signum: Any, frame: Any) -> None:
            self.stopped = signum

        def request_force_stop(self, signum: Any, frame: Any) -> None:
            raise SystemExit(1)

    worker = reconnecting(Base)()
    assert worker.stop_requested_by_signal is False
    worker.request_stop(signal.SIGTERM, None)
    assert worker.stop_requested_by_signal is True and worker.stopped == signal.SIGTERM
