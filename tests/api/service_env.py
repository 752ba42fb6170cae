"""Shared test harness for the service: an API client with tokens, and the real services.

PostgreSQL (a throw-away schema), Redis (a unique queue name) and an S3 server (moto's,
started as a subprocess) on loopback; tests that need them are skipped with the reason when
one is not running. Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from ocr_service.auth import issue_token
from tests.fixtures.processes import spawn, stop_group

PG_BASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
CITIZEN = "001192012345"
OTHER_CITIZEN = "079301000111"
# production components refuse the published development secret (core.settings)
SERVICES_SECRET = "services-tests-secret-0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]


def png_bytes(width: int = 200, height: int = 300, seed: int = 0) -> bytes:
    """A small white page with a random mark, so each seed hashes differently."""
    image = np.full((height, width, 3), 255, np.uint8)
    rng = np.random.default_rng(seed)
    x, y = (int(v) for v in rng.integers(20, 150, size=2))
    cv2.rectangle(image, (x, y), (x + 30, y + 10), (0, 0, 0), -1)
    ok, buf = cv2.imencode(".png", image)
    assert ok
    return bytes(buf.tobytes())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _port_open("127.0.0.1", port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


@dataclass
class Harness:
    """A TestClient on the app plus a bearer header per role."""

    client: TestClient
    settings: Settings
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def auth(self, role: str, subject: str | None = None) -> dict[str, str]:
        key = f"{role}:{subject}"
        if key not in self.headers:
            subject = subject or {"citizen": CITIZEN}.get(role, f"{role}-1")
            token = issue_token(self.settings, role=role, subject=subject)
            self.headers[key] = {"Authorization": f"Bearer {token}"}
        return self.headers[key]

    def open_dossier(self, citizen: str = CITIZEN) -> str:
        r = self.client.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": citizen},
            headers=self.auth("clerk"),
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def upload(self, dossier_id: str, name: str, data: bytes) -> Any:
        return self.client.post(
            f"/api/v1/dossiers/{dossier_id}/components",
            files={"file": (name, data, "application/octet-stream")},
            headers=self.auth("clerk"),
        )

    def approve(self, document_id: str) -> None:
        """A clerk approves the document: only then does its citizen see it."""
        r = self.client.post(f"/api/v1/documents/{document_id}/approve", headers=self.auth("clerk"))
        assert r.status_code == 200, r.text

    def wait(
        self, component_id: str, statuses: tuple[str, ...] = ("done", "failed"), timeout=30.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            r = self.client.get(f"/api/v1/components/{component_id}", headers=self.auth("clerk"))
            assert r.status_code == 200, r.text
            body: dict[str, Any] = r.json()
            if body["status"] in statuses:
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"component still {body['status']} after {timeout} s: {body}")
            time.sleep(0.1)


# --- real services --------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_pg_schema(prefix: str = "sohoa_test") -> Iterator[str]:
    """A database URL scoped to a new schema in the test database, dropped afterwards
    (skips the test when PostgreSQL is not reachable)."""
    try:
        import psycopg

        conn = psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True)
    except Exception as exc:
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432: {exc}")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        from storage.db import get_engine

        get_engine(url).dispose()
        get_engine.cache_clear()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not _port_open("127.0.0.1", 6379):
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    return REDIS_URL


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3-compatible server as a subprocess on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        proc = spawn(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_group(proc, grace=10)


def service_env(
    *, data_dir: Path, pg: str, redis: str, s3: str, queue: str, bucket: str
) -> dict[str, str]:
    """SOHOA_* variables that switch every part to its production component."""
    return {
        "SOHOA_DATA_DIR": str(data_dir),
        "SOHOA_SECRET_KEY": SERVICES_SECRET,  # production components refuse the dev secret
        "SOHOA_DATABASE_URL": pg,
        "SOHOA_REDIS_URL": redis,
        "SOHOA_QUEUE_NAME": queue,
        "SOHOA_S3_ENDPOINT": s3,
        "SOHOA_S3_ACCESS_KEY": "testing",
        "SOHOA_S3_SECRET_KEY": "testing-secret",
        "SOHOA_S3_BUCKET": bucket,
        "SOHOA_JOB_MAX_RETRIES": "2",
        "SOHOA_JOB_TIMEOUT_SECONDS": "60",
    }


def settings_from_env(env: dict[str, str]) -> Settings:
    kwargs = {k.removeprefix("SOHOA_").lower(): v for k, v in env.items()}
    return Settings(**kwargs)


class WorkerProcess:
    """A real `sohoa worker` subprocess (SimpleWorker, scheduler on for retries)."""

    def __init__(self, env: dict[str, str], log: Path, *, pipeline: str | None) -> None:
        cmd = [sys.executable, "-c", "from ocr_service.cli import main; main()", "worker"]
        if pipeline:
            cmd += ["--pipeline", pipeline]
        else:
            cmd += ["--preload"]
        full_env = {**os.environ, **env, "PYTHONPATH": str(REPO)}
        self.log = log
        with log.open("ab") as out:
            self.proc = spawn(cmd, cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to whatever of its process group (the RQ scheduler) still runs."""
        stop_group(self.proc)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def running_workers(
    env: dict[str, str], log_dir: Path, *, count: int = 1, pipeline: str | None
) -> Iterator[list[WorkerProcess]]:
    workers = [
        WorkerProcess(env, log_dir / f"worker-{i}.log", pipeline=pipeline) for i in range(count)
    ]
    try:
        yield workers
    finally:
        for w in workers:
            w.stop()
