"""Faults of the parts around the pipeline: the object store, the database, a double upload.

Each drill checks the two promises: the caller gets a clear answer (a 503 with a JSON error,
a clear CLI failure) and nothing is half-recorded or lost.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from core.errors import StorageUnavailableError
from core.settings import Settings
from ocr_service.api import create_app
from storage.db import get_engine, session_scope
from storage.models import AuditEvent, Component, RegisteredDocument
from storage.objects import LocalObjectStore
from storage.repository import find_component
from tests.api.service_env import CITIZEN, SERVICES_SECRET, Harness, png_bytes
from tests.reliability.live import clean_env, free_port, sohoa_cmd
from workers import faults


def _count(h: Harness, model: type) -> int:
    with session_scope(h.settings.effective_database_url) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _objects(settings: Settings) -> dict[str, str]:
    root = settings.objects_dir
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


class FlakyStore(LocalObjectStore):
    """The local store, with ``get`` failing while ``down`` is set (a store outage)."""

    down = False
    gets_refused = 0

    def get(self, key: str) -> bytes:
        if self.down:
            self.gets_refused += 1
            raise StorageUnavailableError("Injected: the object store is down.")
        return super().get(key)


@pytest.fixture
def flaky(tmp_path: Path) -> Iterator[tuple[Harness, FlakyStore]]:
    settings = Settings(data_dir=tmp_path / "data", job_max_retries=3)
    store = FlakyStore(settings.objects_dir)
    app = create_app(settings, store=store, extractor="workers.faults:extract", backoff=[1])
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings), store


# --- the object store -------------------------------------------------------------------------


def test_disk_failure_while_storing_a_scan_is_503_with_no_partial_object(
    flaky: tuple[Harness, FlakyStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    h, _ = flaky
    dossier = h.open_dossier()
    kept = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=601)).json()["id"])
    assert kept["status"] == "done"
    before_objects = _objects(h.settings)
    before_components = _count(h, Component)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # only the object store's own fsync fails (the disk fills while the scan is written)
    fake_os = types.SimpleNamespace(
        **{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}
    )
    fake_os.fsync = disk_full
    monkeypatch.setattr("storage.objects.os", fake_os)
    r = h.upload(dossier, "new.png", png_bytes(seed=602))
    monkeypatch.undo()

    # a full disk is the server's state, not the caller's mistake nor an outage: 507 (#17)
    assert r.status_code == 507, r.text
    assert r.json()["error"]["code"] == "insufficient_storage"
    assert _count(h, Component) == before_components  # nothing recorded
    assert _objects(h.settings) == before_objects  # no partial object, no temp file, all kept
    assert not [p for p in h.settings.objects_dir.rglob(".tmp-*")]
    # and once the disk has room again, the same upload goes through
    again = h.upload(dossier, "new.png", png_bytes(seed=602))
    assert again.status_code == 202 and h.wait(again.json()["id"])["status"] == "done"


def test_store_outage_during_a_job_is_retried_until_it_is_back(
    flaky: tuple[Harness, FlakyStore],
) -> None:
    h, store = flaky
    store.down = True
    comp = h.upload(h.open_dossier(), f"ks_{CITIZEN}.png", png_bytes(seed=603)).json()["id"]
    deadline = time.monotonic() + 20
    while store.gets_refused < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    store.down = False  # the store comes back before the retries run out
    done = h.wait(comp, timeout=30)
    assert done["status"] == "done" and done["attempts"] >= 2, done
    assert len(done["documents"]) == 1


# --- the same file twice ------------------------------------------------------------------


def test_same_file_uploaded_twice_is_one_object_one_component_no_duplicate_documents(
    flaky: tuple[Harness, FlakyStore],
) -> None:
    h, _ = flaky
    dossier = h.open_dossier()
    data = png_bytes(seed=604)
    first = h.upload(dossier, f"ks_{CITIZEN}.png", data)
    assert first.status_code == 202
    h.wait(first.json()["id"])
    second = h.upload(dossier, f"ks_{CITIZEN}_again.png", data)  # a double click / client retry
    assert second.status_code == 202, second.text
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["status"] == "done"
    scans = [k for k in _objects(h.settings) if k.startswith("scans/")]
    assert scans == [f"scans/{hashlib.sha256(data).hexdigest()}"]
    d = h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk")).json()
    assert len(d["components"]) == 1
    docs = h.client.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=h.auth("clerk")).json()
    assert len([x for x in docs["documents"] if x["dossier_id"] == dossier]) == 1
    # both uploads are in the audit trail
    with session_scope(h.settings.effective_database_url) as s:
        uploads = s.scalars(select(AuditEvent).where(AuditEvent.action == "component.upload")).all()
        assert sum(1 for e in uploads if e.detail.get("dossier_id") == dossier) == 2
    # a failed component uploaded again is processed again, still one component
    bad = h.upload(dossier, "fail-permanent.png", png_bytes(seed=605)).json()["id"]
    assert h.wait(bad)["status"] == "failed"
    again = h.upload(dossier, "fail-permanent.png", png_bytes(seed=605))
    assert again.json()["id"] == bad and again.json()["status"] == "queued"
    assert h.wait(bad)["attempts"] == 2
    assert _count(h, RegisteredDocument) == 1


# --- the database -------------------------------------------------------------------------


def test_database_gone_mid_run_answers_503_and_stores_nothing(
    flaky: tuple[Harness, FlakyStore],
) -> None:
    h, _ = flaky
    dossier = h.open_dossier()
    app: Any = h.client.app
    working = app.state.session_factory
    dead = get_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test")
    objects = _objects(h.settings)
    app.state.session_factory = sessionmaker(bind=dead, expire_on_commit=False)
    try:
        for r in (
            h.client.get("/api/v1/dossiers", headers=h.auth("clerk")),
            h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("officer")),
            h.upload(dossier, "during-outage.png", png_bytes(seed=606)),
            h.client.post(
                "/api/v1/dossiers",
                json={"procedure_code": "1", "citizen_id_number": CITIZEN},
                headers=h.auth("clerk"),
            ),
        ):
            assert r.status_code == 503, r.text
            assert r.json()["error"]["code"] == "database_unavailable"
            assert "postgres" not in r.text  # no connection string leaks to the caller
        assert _objects(h.settings) == objects  # the upload stopped before storing anything
    finally:
        app.state.session_factory = working
    # the database is back: the same requests work, nothing was half-written meanwhile
    assert h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk")).status_code == 200
    assert h.upload(dossier, "after.png", png_bytes(seed=606)).status_code == 202


def test_commands_retry_an_unreachable_database_then_fail_clearly(tmp_path: Path) -> None:
    password = "db-pass-never-printed-4242"
    dead = f"postgresql+psycopg://postgres:{password}@127.0.0.1:{free_port()}/test"
    env = clean_env(
        {
            "SOHOA_DATA_DIR": str(tmp_path / "data"),
            "SOHOA_DATABASE_URL": dead,
            "SOHOA_SECRET_KEY": SERVICES_SECRET,
        }
    )
    csv = tmp_path / "r.csv"
    csv.write_text("id_number,full_name,date_of_birth,sex\n001192012345,An,1990-01-02,male\n")
    for args in (["serve", "--port", str(free_port())], ["population", "import", str(csv)]):
        t0 = time.monotonic()
        r = subprocess.run(
            sohoa_cmd(*args), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        elapsed = time.monotonic() - t0
        assert r.returncode == 1, (args, r.returncode, r.stderr[-2000:])
        assert "Traceback" not in r.stderr, r.stderr[-3000:]
        assert password not in r.stderr + r.stdout  # the URL's credentials are never printed
        assert "database" in r.stderr.lower() and "SOHOA_DATABASE_URL" in r.stderr, r.stderr
        if args[0] == "serve":  # retried (1 + 2 + 4 s) before giving up
            assert "retrying" in r.stderr and elapsed >= 7, (elapsed, r.stderr)


def test_concurrent_identical_uploads_make_one_component(tmp_path: Path) -> None:
    """A double click sends the same scan twice at once: one component, one document."""
    import threading

    import httpx
    from pydantic import SecretStr

    from ocr_service.auth import issue_token
    from tests.reliability.live import live_server

    secret = "concurrent-upload-secret-0123456789abcdef"
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data"), "SOHOA_SECRET_KEY": secret}
    clerk = {
        "Authorization": "Bearer "
        + issue_token(Settings(secret_key=SecretStr(secret)), role="clerk", subject="c")
    }
    with live_server(env, tmp_path, pipeline="workers.faults:extract") as srv, srv.client() as c:
        for trial in range(3):
            dossier = c.post(
                "/api/v1/dossiers",
                json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
                headers=clerk,
            ).json()["id"]
            data = png_bytes(seed=650 + trial)
            answers: list[tuple[int, str]] = []
            barrier = threading.Barrier(4)

            def upload(
                data: bytes = data,
                dossier: str = dossier,
                barrier: threading.Barrier = barrier,
                answers: list[tuple[int, str]] = answers,
            ) -> None:
                barrier.wait()
                r = httpx.post(
                    f"{srv.url}/api/v1/dossiers/{dossier}/components",
                    files={"file": (f"ks_{CITIZEN}.png", data, "image/png")},
                    headers=clerk,
                    timeout=30,
                )
                answers.append((r.status_code, r.json()["id"]))

            threads = [threading.Thread(target=upload) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert {status for status, _ in answers} == {202}, answers
            assert len({cid for _, cid in answers}) == 1, answers
            deadline = time.monotonic() + 30
            while True:
                d = c.get(f"/api/v1/dossiers/{dossier}", headers=clerk).json()
                if d["status"] == "done" or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            assert [len(comp["documents"]) for comp in d["components"]] == [1], d


# --- a disk that fills during a job -------------------------------------------------------


class DiskFull:
    """ENOSPC on demand, the way a full disk shows itself: the local store's fsync fails
    (LocalObjectStore turns it into ``insufficient_storage``, 507) and, with ``database`` set, every
    write to SQLite fails with "database or disk is full" (one disk holds both)."""

    def __init__(self, url: str) -> None:
        self.objects = self.database = self.filled = False
        self.engine = get_engine(url)
        event.listen(self.engine, "before_cursor_execute", self._sql)

    def fill(self, *, database: bool) -> None:
        self.objects, self.database, self.filled = True, database, True

    def free(self) -> None:
        self.objects = self.database = False

    def _sql(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.database and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            raise OperationalError(
                statement, None, sqlite3.OperationalError("database or disk is full")
            )

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._sql)


class DiskFullStore(LocalObjectStore):
    def __init__(self, root: Path, disk: DiskFull) -> None:
        super().__init__(root)
        self.disk = disk

    def put(self, key: str, data: bytes | Path, *, sha256: str) -> Any:
        if not self.disk.objects:
            return super().put(key, data, sha256=sha256)

        def no_space(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        fake_os = types.SimpleNamespace(
            **{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}
        )
        fake_os.fsync = no_space
        with mock.patch("storage.objects.os", fake_os):
            return super().put(key, data, sha256=sha256)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[tuple[Harness, DiskFull]]:
    settings = Settings(data_dir=tmp_path / "data", job_max_retries=1)
    full = DiskFull(settings.effective_database_url)

    def extract(data: bytes, name: str, settings: Settings) -> Any:
        """The fault extractor; "fill-disk" in the name fills the disk as the pipeline ends
        (its result is what does not fit), "enospc" makes the pipeline's own write fail."""
        out = faults.extract(data, name, settings)
        if "fill-disk" in name and not full.filled:
            full.fill(database="database" in name)
        if "enospc" in name and full.objects:
            raise OSError(errno.ENOSPC, "No space left on device")
        return out

    store = DiskFullStore(settings.objects_dir, full)
    app = create_app(settings, store=store, extractor=extract, backoff=[1])
    try:
        with TestClient(app) as client:
            yield Harness(client=client, settings=settings), full
    finally:
        full.close()


def _retry_until_done(h: Harness, comp: str) -> None:
    r = h.client.post(f"/api/v1/components/{comp}/retry", headers=h.auth("clerk"))
    assert r.status_code == 202, r.text  # not refused: the component is failed, not stuck
    done = h.wait(comp, timeout=30)
    assert done["status"] == "done" and len(done["documents"]) == 1, done


@pytest.mark.parametrize("name", [f"fill-disk_{CITIZEN}.png", f"fill-disk_enospc_{CITIZEN}.png"])
def test_enospc_while_writing_the_result_fails_retryable_and_retry_is_accepted(
    disk: tuple[Harness, DiskFull], name: str
) -> None:
    """ENOSPC from the object store, or from the pipeline's own write: failed, retryable."""
    h, full = disk
    comp = h.upload(h.open_dossier(), name, png_bytes(seed=670)).json()["id"]
    failed = h.wait(comp, timeout=30)
    assert failed["status"] == "failed", failed
    # a full disk is 507 insufficient_storage (a kind of storage_unavailable), retryable
    assert failed["error"]["code"] == "insufficient_storage", failed
    assert failed["error"]["retryable"] is True and failed["attempts"] == 2, failed
    assert failed["documents"] == []
    full.free()
    _retry_until_done(h, comp)


def test_enospc_while_writing_the_failure_still_ends_failed_then_retry_works(
    disk: tuple[Harness, DiskFull],
) -> None:
    """The disk that fills holds the database too: neither the result nor the failure can
    be written. The failure is written as soon as there is room; the clerk's retry works."""
    from workers.settle import pending_failures

    h, full = disk
    comp = h.upload(h.open_dossier(), f"fill-disk_database_{CITIZEN}.png", png_bytes(seed=671))
    assert comp.status_code == 202, comp.text
    cid = comp.json()["id"]
    deadline = time.monotonic() + 30
    while pending_failures().get(cid) != "failed":  # both attempts failed, nothing written
        assert time.monotonic() < deadline, pending_failures()
        time.sleep(0.05)
    # all the disk allows: the row still says processing, and the API will not show it
    # without writing the read's audit row first (503, fail closed: no unaudited read)
    with session_scope(h.settings.effective_database_url) as session:
        row = find_component(session, component_id=cid)
        assert row is not None and row.status == "processing"
    read = h.client.get(f"/api/v1/components/{cid}", headers=h.auth("clerk"))
    assert read.status_code == 503 and read.json()["error"]["code"] == "database_unavailable"
    full.free()
    failed = h.wait(cid, timeout=30)
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "insufficient_storage", failed  # the cause, not its echo
    assert failed["error"]["retryable"] is True, failed
    assert cid not in pending_failures()
    _retry_until_done(h, cid)
