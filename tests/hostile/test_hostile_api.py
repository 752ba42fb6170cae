"""Hostile uploads against a real `sohoa serve`: clear 4xx or a clear failed component,
the server keeps serving, and nothing stored before is lost or changed.

The jobs run ``tests.hostile.pipeline:extract``: the real page loader without OCR models.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings
from ocr_service.auth import issue_token
from tests.hostile.corpus import HostileFile, corpus, good_png, hostile_names
from tests.reliability.live import LiveServer, live_server

CITIZEN = "001192012345"
SECRET = "hostile-drill-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    work = tmp_path_factory.mktemp("hostile")
    data = work / "data"
    env = {"SOHOA_DATA_DIR": str(data), "SOHOA_SECRET_KEY": SECRET, "SOHOA_JOB_MAX_RETRIES": "0"}
    with live_server(env, work, pipeline="tests.hostile.pipeline:extract") as srv:
        yield srv, data


def _auth(role: str, subject: str | None = None) -> dict[str, str]:
    settings = Settings(secret_key=SECRET)  # type: ignore[arg-type]
    token = issue_token(
        settings, role=role, subject=subject or {"citizen": CITIZEN}.get(role, role)
    )
    return {"Authorization": f"Bearer {token}"}


CLERK = _auth("clerk")


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _wait(c: httpx.Client, component_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = c.get(f"/api/v1/components/{component_id}", headers=CLERK).json()
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def _raw_upload(c: httpx.Client, dossier: str, filename: bytes, data: bytes) -> httpx.Response:
    """A multipart body written by hand, so the file name reaches the server byte for byte."""
    boundary = b"sohoa-hostile-boundary"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    return c.post(
        f"/api/v1/dossiers/{dossier}/components",
        content=body,
        headers={**CLERK, "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"},
    )


def _still_serving(server: LiveServer, c: httpx.Client) -> None:
    assert server.alive(), server.output()[-3000:]
    assert c.get("/healthz").status_code == 200
    assert c.get("/api/v1/me", headers=CLERK).json()["role"] == "clerk"


def test_hostile_uploads_are_refused_clearly_and_nothing_stored_is_lost(
    server: tuple[LiveServer, Path],
) -> None:
    srv, data_dir = server
    tried = 0
    with srv.client() as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=CLERK,
        ).json()["id"]
        good = good_png(seed=99)
        first = _wait(
            c,
            c.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"file": ("good.png", good, "image/png")},
                headers=CLERK,
            ).json()["id"],
        )
        assert first["status"] == "done", first
        [doc] = first["documents"]
        pdf_before = c.get(doc["file_url"], headers=CLERK).content
        stored_before = _snapshot(data_dir / "objects")
        assert stored_before

        outcomes: dict[str, str] = {}
        case: HostileFile
        for case in corpus():
            tried += 1
            r = c.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"file": (case.name, case.data, "application/octet-stream")},
                headers=CLERK,
            )
            if case.upload_status is not None:
                assert r.status_code == case.upload_status, (case.key, r.text)
                error = r.json()["error"]
                assert error["code"] in case.codes and error["message"], (case.key, error)
                outcomes[case.key] = f"{r.status_code} {error['code']}"
            else:
                assert r.status_code == 202, (case.key, r.text)
                comp = _wait(c, r.json()["id"])
                got = "done" if comp["status"] == "done" else comp["error"]["code"]
                assert got in case.codes, (case.key, comp)
                if comp["status"] == "failed":
                    assert comp["error"]["message"] and comp["error"]["retryable"] is False
                outcomes[case.key] = f"202 → {got}"
            _still_serving(srv, c)

        # client-controlled file names: stored as a plain base name, never used as a path
        etc_passwd = Path("/etc/passwd").read_bytes()
        for i, name in enumerate(hostile_names()):
            tried += 1
            r = _raw_upload(
                c, dossier, name.encode("utf-8", "surrogateescape"), good_png(seed=200 + i)
            )
            if r.status_code != 202:  # e.g. a 5000-character name: over the header limit
                assert 400 <= r.status_code < 500 and r.json()["error"]["message"], r.text
                _still_serving(srv, c)
                continue
            comp = _wait(c, r.json()["id"])
            stored = comp["original_filename"]
            assert comp["status"] == "done", comp
            assert "/" not in stored and "\\" not in stored and "\x00" not in stored, stored
            assert "\n" not in stored and "\r" not in stored and stored not in ("", ".", ".."), (
                stored
            )
            assert len(stored) <= 300
            _still_serving(srv, c)
        assert Path("/etc/passwd").read_bytes() == etc_passwd
        assert not Path("/tmp/sohoa-pwned.png").exists()
        outside = [p for p in data_dir.parent.rglob("*passwd*")] + list(
            data_dir.parent.rglob("*shadow*")
        )
        assert outside == []

        # everything stored before the attack is still there, byte for byte
        stored_after = _snapshot(data_dir / "objects")
        for key, digest in stored_before.items():
            assert stored_after.get(key) == digest, key
        assert c.get(doc["file_url"], headers=CLERK).content == pdf_before
        again = c.get(f"/api/v1/components/{first['id']}", headers=CLERK).json()
        assert again["status"] == "done" and again["documents"][0]["id"] == doc["id"]
        # no upload temp file left behind
        assert not list((data_dir / "tmp").glob("upload-*"))
    print(f"\nhostile inputs tried: {tried}; outcomes: {outcomes}")
