"""A `sohoa worker` killed with SIGKILL mid-job: the job runs again, the document is
registered exactly once (PostgreSQL + Redis + two real worker processes)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ocr_service.api import create_app
from storage.db import session_scope
from storage.models import Component, RegisteredDocument
from tests.api.service_env import (
    CITIZEN,
    SERVICES_SECRET,
    Harness,
    png_bytes,
    settings_from_env,
)
from tests.reliability.live import start_worker

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture
def env(tmp_path: Path, pg_url: str, redis_url: str) -> Iterator[dict[str, str]]:
    queue = f"sohoa-kill-{uuid.uuid4().hex[:8]}"
    yield {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),  # local object store shared with the worker
        "SOHOA_SECRET_KEY": SERVICES_SECRET,
        "SOHOA_DATABASE_URL": pg_url,
        "SOHOA_REDIS_URL": redis_url,
        "SOHOA_QUEUE_NAME": queue,
        "SOHOA_JOB_MAX_RETRIES": "2",
        "SOHOA_JOB_TIMEOUT_SECONDS": "60",
    }
    from redis import Redis
    from rq import Queue

    Queue(queue, connection=Redis.from_url(redis_url)).empty()


def _status(url: str, component_id: str) -> tuple[str, int]:
    with session_scope(url) as s:
        c = s.get(Component, component_id)
        assert c is not None
        return c.status, c.attempts


def test_worker_killed_mid_job_is_recovered_and_registers_once(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings = settings_from_env(env)
    url = settings.effective_database_url
    app = create_app(settings, backoff=[1])
    first = start_worker(
        env, tmp_path, pipeline="workers.faults:extract", name=f"w1-{uuid.uuid4().hex[:6]}"
    )
    second = None
    try:
        with TestClient(app) as client:
            h = Harness(client=client, settings=settings)
            r = h.upload(h.open_dossier(), f"slow_{CITIZEN}.png", png_bytes(seed=501))
            assert r.status_code == 202, r.text
            comp = r.json()["id"]
            deadline = time.monotonic() + 60
            while _status(url, comp)[0] != "processing":  # the worker took it
                assert time.monotonic() < deadline, first.output()[-2000:]
                time.sleep(0.05)
            time.sleep(0.3)  # well inside the 2 s job
            first.kill()
            assert _status(url, comp) == ("processing", 1)  # left behind by the dead worker

            # a replacement worker starts (what compose/systemd do) and must pick it up
            second = start_worker(
                env, tmp_path, pipeline="workers.faults:extract", name=f"w2-{uuid.uuid4().hex[:6]}"
            )
            done = h.wait(comp, timeout=60)
            assert done["status"] == "done", second.output()[-3000:]
            assert done["attempts"] == 2
            assert len(done["documents"]) == 1
            time.sleep(1.5)  # any duplicate delivery would land now
            with session_scope(url) as s:
                n = s.scalar(
                    select(func.count())
                    .select_from(RegisteredDocument)
                    .where(RegisteredDocument.component_id == comp)
                )
            assert n == 1
            # and the store serves it
            doc = done["documents"][0]
            assert client.get(doc["file_url"], headers=h.auth("clerk")).status_code == 200
    finally:
        first.kill()
        if second is not None:
            second.stop()


class _LostQueue:
    """The API dies between recording the component and queueing its job."""

    def enqueue_component(self, component_id: str) -> None:
        return None

    def close(self) -> None:
        return None


def test_component_whose_job_was_lost_is_queued_again_by_a_worker(
    env: dict[str, str], tmp_path: Path
) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    settings = settings_from_env(env)
    url = settings.effective_database_url
    app = create_app(settings, job_queue=_LostQueue())
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        comp = h.upload(h.open_dossier(), f"lost_{CITIZEN}.png", png_bytes(seed=502)).json()["id"]
        fresh = h.upload(h.open_dossier(), f"fresh_{CITIZEN}.png", png_bytes(seed=503)).json()["id"]
        with session_scope(url) as s:  # recorded two minutes ago, no job anywhere
            row = s.get(Component, comp)
            assert row is not None and row.status == "queued"
            row.updated_at = utcnow() - timedelta(seconds=120)
        worker = start_worker(
            env, tmp_path, pipeline="workers.faults:extract", name=f"w3-{uuid.uuid4().hex[:6]}"
        )
        try:
            done = h.wait(comp, timeout=60)
            assert done["status"] == "done" and len(done["documents"]) == 1, worker.output()[-3000:]
            # a just-recorded component is left alone (its job may still be on its way)
            assert _status(url, fresh) == ("queued", 0)
        finally:
            worker.stop()


def test_a_scan_that_kills_its_worker_every_time_is_failed_not_retried_forever(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings = settings_from_env(env)  # job_max_retries = 2: three runs allowed
    url = settings.effective_database_url
    app = create_app(settings, job_queue=_LostQueue())
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        comp = h.upload(h.open_dossier(), "poison.png", png_bytes(seed=504)).json()["id"]
        with session_scope(url) as s:  # as left by the third worker killed on it
            row = s.get(Component, comp)
            assert row is not None
            row.status, row.attempts = "processing", 3
        worker = start_worker(
            env, tmp_path, pipeline="workers.faults:extract", name=f"w4-{uuid.uuid4().hex[:6]}"
        )
        try:
            failed = h.wait(comp, timeout=60)
        finally:
            worker.stop()
    assert failed["status"] == "failed" and failed["attempts"] == 3, failed
    assert failed["error"]["code"] == "worker_lost" and failed["error"]["retryable"] is True
    assert failed["documents"] == []
    # the clerk can still retry it by hand (e.g. after splitting the file)
