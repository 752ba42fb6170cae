"""Redis restarted (killed, even) while jobs wait and while a worker runs: the jobs complete.

A separate ``redis-server`` on a free loopback port, append-only file in a temp dir, so the
shared Redis on 6379 is never touched.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ocr_service.api import create_app
from tests.api.service_env import (
    CITIZEN,
    SERVICES_SECRET,
    Harness,
    png_bytes,
    settings_from_env,
    wait_port,
)
from tests.fixtures.processes import spawn, stop_group
from tests.reliability.live import free_port, start_worker

pytestmark = [pytest.mark.services, pytest.mark.slow]


class RedisServer:
    def __init__(self, workdir: Path, *, persistent: bool = True) -> None:
        self.port = free_port()
        self.dir = workdir
        self.persistent = persistent
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = spawn(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.dir),
                "--appendonly", "yes" if self.persistent else "no",
                "--appendfsync", "always",
                "--save", "",
                "--logfile", str(self.dir / "redis.log"),
            ],
        )  # fmt: skip
        wait_port(self.port, timeout=20)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None:
            stop_group(self.proc, sig=sig, grace=20)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop(signal.SIGKILL)


def _queued(url: str, queue: str) -> int:
    from redis import Redis
    from rq import Queue

    conn = Redis.from_url(url)
    try:
        return len(Queue(queue, connection=conn))
    finally:
        conn.close()


def test_jobs_survive_redis_restarts(
    redis_server: RedisServer, pg_url: str, tmp_path: Path
) -> None:
    queue = f"sohoa-redis-{uuid.uuid4().hex[:8]}"
    env = {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_SECRET_KEY": SERVICES_SECRET,
        "SOHOA_DATABASE_URL": pg_url,
        "SOHOA_REDIS_URL": redis_server.url,
        "SOHOA_QUEUE_NAME": queue,
        "SOHOA_JOB_MAX_RETRIES": "2",
        "SOHOA_JOB_TIMEOUT_SECONDS": "60",
    }
    settings = settings_from_env(env)
    app = create_app(settings, backoff=[1])
    worker = None
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        dossier = h.open_dossier()
        waiting = []
        for i in range(3):
            r = h.upload(dossier, f"ks_{CITIZEN}_{i}.png", png_bytes(seed=700 + i))
            assert r.status_code == 202, r.text
            waiting.append(r.json()["id"])
        assert _queued(redis_server.url, queue) == 3

        # 1. Redis crashes (SIGKILL) with jobs waiting and comes back: the jobs are still there
        redis_server.stop(signal.SIGKILL)
        # while it is down an upload is refused clearly; the scan is kept for a retry
        down = h.upload(dossier, f"ks_{CITIZEN}_down.png", png_bytes(seed=710))
        assert down.status_code == 503, down.text
        assert down.json()["error"]["code"] == "queue_unavailable"
        down_id = down.json()["error"]["details"]["component_id"]
        redis_server.start()
        assert _queued(redis_server.url, queue) == 3

        try:
            worker = start_worker(
                env, tmp_path, pipeline="workers.faults:extract", name=f"r-{uuid.uuid4().hex[:6]}"
            )
            for comp in waiting:
                assert h.wait(comp, timeout=60)["status"] == "done", worker.output()[-3000:]
            retry = h.client.post(f"/api/v1/components/{down_id}/retry", headers=h.auth("clerk"))
            assert retry.status_code == 202, retry.text
            assert h.wait(down_id, timeout=60)["status"] == "done"

            # 2. Redis restarts under a running worker: the worker and the API reconnect
            redis_server.stop(signal.SIGTERM)
            time.sleep(1.0)
            redis_server.start()
            later = []
            for i in range(2):
                deadline = time.monotonic() + 20
                while True:  # the API's connection pool notices the restart on first use
                    r = h.upload(dossier, f"ks_{CITIZEN}_late{i}.png", png_bytes(seed=720 + i))
                    if r.status_code == 202 or time.monotonic() > deadline:
                        break
                    time.sleep(0.5)
                assert r.status_code == 202, r.text
                later.append(r.json()["id"])
            for comp in later:
                body = h.wait(comp, timeout=90)
                assert body["status"] == "done", worker.output()[-3000:]
            assert worker.alive()
        finally:
            if worker is not None:
                worker.stop()
        # every document registered exactly once
        docs = h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk")).json()
        assert [len(c["documents"]) for c in docs["components"]] == [1] * 6


def test_jobs_lost_with_redis_are_queued_again_by_the_worker_sweep(
    tmp_path: Path, pg_url: str
) -> None:
    """Redis without persistence loses every waiting job; the database still knows them."""
    from datetime import timedelta

    from storage.db import session_scope
    from storage.models import Component, utcnow

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = RedisServer(tmp_path, persistent=False)
    redis.start()
    queue = f"sohoa-lost-{uuid.uuid4().hex[:8]}"
    env = {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_SECRET_KEY": SERVICES_SECRET,
        "SOHOA_DATABASE_URL": pg_url,
        "SOHOA_REDIS_URL": redis.url,
        "SOHOA_QUEUE_NAME": queue,
        "SOHOA_JOB_MAX_RETRIES": "2",
    }
    settings = settings_from_env(env)
    worker = None
    try:
        with TestClient(create_app(settings, backoff=[1])) as client:
            h = Harness(client=client, settings=settings)
            dossier = h.open_dossier()
            ids = [
                h.upload(dossier, f"ks_{CITIZEN}_{i}.png", png_bytes(seed=740 + i)).json()["id"]
                for i in range(2)
            ]
            redis.stop(signal.SIGKILL)
            redis.start()
            assert _queued(redis.url, queue) == 0  # the jobs are gone
            with session_scope(settings.effective_database_url) as s:  # a while ago
                for cid in ids:
                    row = s.get(Component, cid)
                    assert row is not None and row.status == "queued"
                    row.updated_at = utcnow() - timedelta(seconds=120)
            worker = start_worker(
                env, tmp_path, pipeline="workers.faults:extract", name=f"l-{uuid.uuid4().hex[:6]}"
            )
            for cid in ids:
                body = h.wait(cid, timeout=60)
                assert body["status"] == "done" and len(body["documents"]) == 1, worker.output()[
                    -3000:
                ]
    finally:
        if worker is not None:
            worker.stop()
        redis.stop(signal.SIGKILL)


def test_a_worker_outlives_redis_dropping_mid_job(
    redis_server: RedisServer, pg_url: str, tmp_path: Path
) -> None:
    """Redis dies while the worker runs a job and stays away past the job's end: the worker
    keeps trying to reconnect instead of exiting, and takes new jobs once Redis is back."""
    from storage.db import session_scope
    from storage.models import Component

    queue = f"sohoa-drop-{uuid.uuid4().hex[:8]}"
    env = {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_DATABASE_URL": pg_url,
        "SOHOA_REDIS_URL": redis_server.url,
        "SOHOA_QUEUE_NAME": queue,
        "SOHOA_JOB_MAX_RETRIES": "2",
        "SOHOA_JOB_TIMEOUT_SECONDS": "60",
        "SOHOA_SECRET_KEY": SERVICES_SECRET,  # production components refuse the dev secret
    }
    settings = settings_from_env(env)
    url = settings.effective_database_url
    worker = start_worker(
        env, tmp_path, pipeline="workers.faults:extract", name=f"d-{uuid.uuid4().hex[:6]}"
    )
    try:
        with TestClient(create_app(settings, backoff=[1])) as client:
            h = Harness(client=client, settings=settings)
            dossier = h.open_dossier()
            r = h.upload(dossier, f"slow_{CITIZEN}.png", png_bytes(seed=760))
            assert r.status_code == 202, r.text
            comp = r.json()["id"]
            deadline = time.monotonic() + 60
            while True:  # the worker took it (a 2 s job)
                with session_scope(url) as s:
                    row = s.get(Component, comp)
                    assert row is not None
                    if row.status == "processing":
                        break
                assert time.monotonic() < deadline, worker.output()[-3000:]
                time.sleep(0.05)

            redis_server.stop(signal.SIGKILL)  # mid-job
            time.sleep(5)  # the job ends while Redis is away: RQ cannot record it
            assert worker.alive(), worker.output()[-3000:]
            # the result is in the database all the same (the job writes it there)
            assert h.wait(comp, timeout=30)["status"] == "done"

            redis_server.start()  # same port, same append-only file
            assert worker.alive(), worker.output()[-3000:]
            later = h.upload(dossier, f"ks_{CITIZEN}_after.png", png_bytes(seed=761))
            assert later.status_code == 202, later.text
            body = h.wait(later.json()["id"], timeout=90)
            assert body["status"] == "done", worker.output()[-3000:]
            assert worker.alive(), worker.output()[-3000:]
    finally:
        worker.stop()
