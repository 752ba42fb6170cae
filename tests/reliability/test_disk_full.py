"""A full disk at upload is the server's fault: 507 (insufficient_storage), never a 4xx that
blames the clerk, nothing half-recorded, no path in the answer; another disk error is 503.
A multipart boundary the parser cannot use is the caller's malformed request: 400, not 500.
"""

from __future__ import annotations

import errno
import os
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from core.errors import InsufficientStorageError, StorageUnavailableError, storage_error
from core.settings import Settings
from ocr_service.api import create_app
from storage.db import session_scope
from storage.models import Component
from tests.api.service_env import Harness, png_bytes


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    settings = Settings(data_dir=tmp_path / "data", job_max_retries=0)
    app = create_app(settings, extractor="workers.faults:extract", backoff=[0])
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings)


def _components(h: Harness) -> int:
    with session_scope(h.settings.effective_database_url) as s:
        return int(s.scalar(select(func.count()).select_from(Component)) or 0)


def _leftovers(h: Harness) -> list[Path]:
    data = h.settings.data_dir
    return [
        p
        for p in data.rglob("*")
        if p.is_file() and ("tmp" in p.relative_to(data).parts or ".tmp-" in p.name)
    ]


def _no_internals(h: Harness, body: bytes) -> None:
    assert str(h.settings.data_dir).encode() not in body
    assert b"/objects" not in body and b"scans/" not in body and b"upload-" not in body


class _FillingFile:
    """A temp file whose disk fills after ``room`` bytes (write raises ENOSPC)."""

    def __init__(self, real: Any, room: int, code: int) -> None:
        self._real, self._room, self._code = real, room, code
        self.name = real.name

    def write(self, data: bytes) -> int:
        if self._room < len(data):
            raise OSError(self._code, os.strerror(self._code), self.name)
        self._room -= len(data)
        return int(self._real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _fill_upload_disk(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
    """Only the upload's temp file fails (as if the data disk filled during the upload)."""

    def named(*args: Any, **kwargs: Any) -> _FillingFile:
        return _FillingFile(tempfile.NamedTemporaryFile(*args, **kwargs), 1000, code)  # noqa: SIM115

    fake = types.SimpleNamespace(NamedTemporaryFile=named)
    monkeypatch.setattr("ocr_service.api.uploads.tempfile", fake)


def test_disk_full_while_receiving_an_upload_is_507_not_422(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = h.open_dossier()
    before = _components(h)
    _fill_upload_disk(monkeypatch)
    r = h.upload(dossier, "scan.png", png_bytes(seed=801, width=600, height=800))
    monkeypatch.undo()
    assert r.status_code == 507, r.text
    error = r.json()["error"]
    assert error["code"] == "insufficient_storage" and "full" in error["message"]
    _no_internals(h, r.content)
    assert _components(h) == before and _leftovers(h) == []
    again = h.upload(dossier, "scan.png", png_bytes(seed=801, width=600, height=800))
    assert again.status_code == 202, again.text


def test_another_disk_error_while_receiving_is_503(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = h.open_dossier()
    _fill_upload_disk(monkeypatch, errno.EIO)
    r = h.upload(dossier, "scan.png", png_bytes(seed=802, width=600, height=800))
    monkeypatch.undo()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "storage_unavailable"
    _no_internals(h, r.content)
    assert _leftovers(h) == []


def test_disk_full_in_the_object_store_write_is_507(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC injected where the local store writes the object (its fsync)."""
    dossier = h.open_dossier()
    before = _components(h)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    fake_os = types.SimpleNamespace(
        **{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}
    )
    fake_os.fsync = disk_full
    monkeypatch.setattr("storage.objects.os", fake_os)
    r = h.upload(dossier, "scan.png", png_bytes(seed=803))
    monkeypatch.undo()
    assert r.status_code == 507, r.text
    assert r.json()["error"]["code"] == "insufficient_storage"
    _no_internals(h, r.content)
    assert _components(h) == before and _leftovers(h) == []


def test_the_taxonomy_maps_os_errors() -> None:
    for code in (errno.ENOSPC, errno.EDQUOT):
        error = storage_error(OSError(code, os.strerror(code), "/srv/sohoa/objects/x"))
        assert isinstance(error, InsufficientStorageError) and error.http_status == 507
        assert error.retryable and "/srv" not in error.message
    other = storage_error(OSError(errno.EIO, "I/O error"))
    assert type(other) is StorageUnavailableError and other.http_status == 503


@pytest.mark.parametrize("length", [257, 1000, 5000, 70_000])
def test_an_overlong_multipart_boundary_is_400(h: Harness, length: int) -> None:
    dossier = h.open_dossier()
    boundary = b"b" * length
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + png_bytes(seed=804) + b"\r\n--" + boundary + b"--\r\n"
    )
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/components",
        content=body,
        headers={
            **h.auth("clerk"),
            "Content-Type": "multipart/form-data; boundary=" + boundary.decode(),
        },
    )
    assert r.status_code == 400, (length, r.status_code, r.text[:200])
    assert r.json()["error"]["code"] == "malformed_request"
    assert _leftovers(h) == []


def test_an_ordinary_long_boundary_still_works(h: Harness) -> None:
    dossier = h.open_dossier()
    boundary = b"-" * 30 + b"x" * 40  # 70: the RFC's maximum
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + png_bytes(seed=805) + b"\r\n--" + boundary + b"--\r\n"
    )
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/components",
        content=body,
        headers={
            **h.auth("clerk"),
            "Content-Type": "multipart/form-data; boundary=" + boundary.decode(),
        },
    )
    assert r.status_code == 202, r.text
