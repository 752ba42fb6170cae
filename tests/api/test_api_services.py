"""The production set-up for real: PostgreSQL, Redis + a `sohoa worker` process, S3 (moto).

The API runs in this process (TestClient); jobs go through Redis to a separate worker
process, which reads the scan from S3 by key and writes to PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from ocr_service.api import create_app
from storage.db import get_engine, session_scope
from storage.models import RegisteredDocument
from storage.objects import open_object_store
from tests.api.service_env import (
    CITIZEN,
    Harness,
    WorkerProcess,
    png_bytes,
    running_workers,
    service_env,
    settings_from_env,
)
from workers.queue import RQJobQueue

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def env(
    tmp_path_factory: pytest.TempPathFactory, pg_url: str, redis_url: str, s3_endpoint: str
) -> dict[str, str]:
    return service_env(
        data_dir=tmp_path_factory.mktemp("svc-data"),
        pg=pg_url,
        redis=redis_url,
        s3=s3_endpoint,
        queue=f"sohoa-test-{uuid.uuid4().hex[:8]}",
        bucket=f"sohoa-test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture(scope="module")
def worker(
    env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    with running_workers(
        env, tmp_path_factory.mktemp("logs"), pipeline="workers.faults:extract"
    ) as [w]:
        yield w


@pytest.fixture(scope="module")
def prod(env: dict[str, str], worker: WorkerProcess) -> Iterator[Harness]:
    settings = settings_from_env(env)
    app = create_app(settings, backoff=[1])
    assert isinstance(app.state.job_queue, RQJobQueue)
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings)
    app.state.job_queue.queue.empty()


def test_upload_to_registered_through_redis_worker_s3_and_postgres(
    prod: Harness, worker: WorkerProcess
) -> None:
    h = prod
    data = png_bytes(seed=101)
    r = h.upload(h.open_dossier(), f"ks_{CITIZEN}.png", data)
    assert r.status_code == 202, r.text
    comp = h.wait(r.json()["id"], timeout=30)
    assert comp["status"] == "done", worker.output()[-3000:]
    [doc] = comp["documents"]
    # the scan is in S3 under its content address, byte for byte
    store = open_object_store(h.settings)
    assert store.get(f"scans/{comp['sha256']}") == data
    h.approve(doc["id"])  # the citizen sees it once approved
    pdf = h.client.get(doc["file_url"], headers=h.auth("citizen"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert get_engine(h.settings.effective_database_url).dialect.name == "postgresql"


def test_retryable_failures_are_retried_with_backoff_then_shown(prod: Harness) -> None:
    h = prod
    dossier = h.open_dossier()
    flaky = h.upload(dossier, "flaky.png", png_bytes(seed=102)).json()["id"]
    failing = h.upload(dossier, "fail-retryable.png", png_bytes(seed=103)).json()["id"]
    permanent = h.upload(dossier, "fail-permanent.png", png_bytes(seed=104)).json()["id"]

    done = h.wait(flaky, timeout=40)
    assert done["status"] == "done" and done["attempts"] == 2

    failed = h.wait(failing, statuses=("failed",), timeout=60)
    assert failed["attempts"] == 3 and failed["error"]["code"] == "ocr_engine_error"
    assert failed["error"]["retryable"] is True

    perm = h.wait(permanent, timeout=30)
    assert perm["status"] == "failed" and perm["attempts"] == 1
    assert perm["error"] == {
        "code": "corrupt_file",
        "message": "Injected permanent failure.",
        "retryable": False,
    }
    r = h.client.post(f"/api/v1/components/{permanent}/retry", headers=h.auth("clerk"))
    assert r.status_code == 202
    assert h.wait(permanent, statuses=("failed",), timeout=30)["attempts"] == 2


def test_a_job_run_twice_registers_its_documents_once(prod: Harness) -> None:
    h = prod
    comp_id = h.upload(h.open_dossier(), f"dup_{CITIZEN}.png", png_bytes(seed=105)).json()["id"]
    queue = h.client.app.state.job_queue  # type: ignore[attr-defined]
    queue.enqueue_component(comp_id)  # a duplicate delivery of the same job
    queue.enqueue_component(comp_id)
    comp = h.wait(comp_id, timeout=30)
    assert comp["status"] == "done"
    import time

    time.sleep(1.0)  # let the duplicates run
    with session_scope(h.settings.effective_database_url) as s:
        n = s.scalar(
            select(func.count())
            .select_from(RegisteredDocument)
            .where(RegisteredDocument.component_id == comp_id)
        )
    assert n == 1


def test_postgres_refuses_to_change_the_audit_log(prod: Harness) -> None:
    h = prod
    h.open_dossier()  # writes an audit row
    engine = get_engine(h.settings.effective_database_url)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0


def test_s3_down_answers_503_and_records_nothing(env: dict[str, str], tmp_path: Path) -> None:
    from tests.api.service_env import free_port

    dead = {**env, "SOHOA_S3_ENDPOINT": f"http://127.0.0.1:{free_port()}"}
    settings = settings_from_env(dead)
    app = create_app(settings, backoff=[1])
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        dossier = h.open_dossier()
        r = h.upload(dossier, "scan.png", png_bytes(seed=106))
        assert r.status_code == 503 and r.json()["error"]["code"] == "storage_unavailable"
        d = client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk")).json()
        assert d["components"] == []


def test_a_job_over_its_time_limit_fails_as_job_timeout(
    env: dict[str, str], worker: WorkerProcess
) -> None:
    """RQ's job timeout (set by the enqueuing API) interrupts the pipeline in the worker."""
    settings = settings_from_env(
        {**env, "SOHOA_JOB_TIMEOUT_SECONDS": "1", "SOHOA_JOB_MAX_RETRIES": "0"}
    )
    app = create_app(settings, backoff=[1])
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        comp = h.upload(h.open_dossier(), "slow.png", png_bytes(seed=107)).json()["id"]
        failed = h.wait(comp, timeout=30)
    assert failed["status"] == "failed", worker.output()[-2000:]
    assert failed["error"]["code"] == "job_timeout" and failed["error"]["retryable"] is True
