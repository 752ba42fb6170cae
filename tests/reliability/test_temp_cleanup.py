"""A killed or failed upload leaves no temporary file behind: the live process removes its own
on every failure path (client gone, size limit, store error), and at start the server and
workers sweep what a killed process left (sohoa's own names, older than a bound)."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.auth import issue_token
from storage.tempfiles import sweep_stale_temporaries, upload_tmp_dir
from tests.api.service_env import png_bytes
from tests.reliability.live import LiveServer, live_server

SECRET = "temp-cleanup-secret-0123456789abcdef0123"
CITIZEN = "001192012345"
TOKEN = issue_token(Settings(secret_key=SecretStr(SECRET)), role="clerk", subject="clerk-lan")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _temps(data: Path) -> list[Path]:
    tmp = data / "tmp"
    return sorted(p for p in tmp.iterdir() if p.is_file()) if tmp.is_dir() else []


def _wait_for(cond: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _start_upload(server: LiveServer, dossier: str, sent: int, declared: int) -> socket.socket:
    """An upload that sends ``sent`` bytes of a ``declared``-byte body, then stalls."""
    port = int(server.url.rsplit(":", 1)[1])
    head = (
        b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n"
    )
    request = (
        f"POST /api/v1/dossiers/{dossier}/components HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\n"
        "Content-Type: multipart/form-data; boundary=bnd\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(request + head + b"\0" * sent)
    return sock


@pytest.fixture
def work(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    data = tmp_path / "data"
    env = {
        "SOHOA_DATA_DIR": str(data),
        "SOHOA_SECRET_KEY": SECRET,
        "SOHOA_MAX_UPLOAD_BYTES": str(4_000_000),
        "SOHOA_STALE_TEMP_SECONDS": "0",  # at start, everything sohoa left is stale
    }
    yield tmp_path, env


def test_failed_uploads_remove_their_temp_file(work: tuple[Path, dict[str, str]]) -> None:
    tmp_path, env = work
    data = Path(env["SOHOA_DATA_DIR"])
    with live_server(env, tmp_path, pipeline="workers.faults:extract") as srv, srv.client() as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=AUTH,
        ).json()["id"]
        # the client goes away mid-body
        sock = _start_upload(srv, dossier, 2_000_000, 3_000_000)
        assert _wait_for(lambda: _temps(data)), "the upload never reached the temp folder"
        sock.close()
        assert _wait_for(lambda: not _temps(data)), _temps(data)

        # over the size limit, with no Content-Length to refuse it early (chunked)
        def body() -> Iterator[bytes]:
            yield b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
            for _ in range(50):
                yield b"\0" * 100_000

        r = c.post(
            f"/api/v1/dossiers/{dossier}/components",
            content=body(),
            headers={**AUTH, "Content-Type": "multipart/form-data; boundary=bnd"},
        )
        assert r.status_code == 413, r.text
        assert _temps(data) == []
        # a good upload leaves nothing in tmp either
        ok = c.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": ("a.png", png_bytes(seed=901), "image/png")},
            headers=AUTH,
        )
        assert ok.status_code == 202 and _temps(data) == []


def test_a_killed_servers_partial_upload_is_swept_at_the_next_start(
    work: tuple[Path, dict[str, str]],
) -> None:
    tmp_path, env = work
    data = Path(env["SOHOA_DATA_DIR"])
    with live_server(env, tmp_path, pipeline="workers.faults:extract") as srv, srv.client() as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=AUTH,
        ).json()["id"]
        sock = _start_upload(srv, dossier, 2_000_000, 3_900_000)
        assert _wait_for(lambda: sum(p.stat().st_size for p in _temps(data)) > 1_000_000)
        srv.kill()  # SIGKILL mid-upload: nothing can clean up
        sock.close()
    left = _temps(data)
    assert len(left) == 1 and left[0].name.startswith("sohoa-upload-"), left
    # a local object half-written by a killed worker, and a file that is not sohoa's
    (data / "objects" / "scans").mkdir(parents=True, exist_ok=True)
    half = data / "objects" / "scans" / ".tmp-abc123de"
    half.write_bytes(b"\0" * 1000)
    theirs = data / "tmp" / "operator-notes.txt"
    theirs.write_text("not sohoa's")
    time.sleep(0.05)
    with live_server(env, tmp_path, pipeline="workers.faults:extract") as srv, srv.client() as c:
        assert c.get("/healthz").status_code == 200
        assert _temps(data) == [theirs]
        assert not half.exists()


def test_the_sweep_keeps_young_files_and_other_names(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, stale_temp_seconds=3600)
    tmp = upload_tmp_dir(settings)
    tmp.mkdir(parents=True)
    old_upload = tmp / "sohoa-upload-k2j4h5g6.part"
    legacy = tmp / "upload-ab12cd34"
    young = tmp / "sohoa-upload-zz99yy88.part"
    other = tmp / "sohoa-upload-notes.txt"
    for p in (old_upload, legacy, young, other):
        p.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for p in (old_upload, legacy, other):
        os.utime(p, (two_hours_ago, two_hours_ago))
    assert sweep_stale_temporaries(settings) == 2
    assert sorted(p.name for p in tmp.iterdir()) == sorted([young.name, other.name])
