"""Store faults provoked on purpose: the error bodies never show an internal endpoint, an object
key or a file path (the operator's log has them), and they are 404/503, not 500."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import issue_token
from tests.hostile.corpus import good_png
from tests.reliability.live import free_port

CITIZEN = "001192012345"
SECRET = SecretStr("store-errors-secret-0123456789abcdef0123")


def _leaks(body: bytes, *secrets: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    found = [s for s in secrets if s and s in text]
    for marker in ("scans/", "pages/", "pdf/", "/objects", "Traceback", "sohoa-data"):
        if marker in text:
            found.append(marker)
    return found


@pytest.fixture
def registered(tmp_path: Path) -> Iterator[tuple[TestClient, Settings, dict[str, Any]]]:
    settings = Settings(data_dir=tmp_path / "data", secret_key=SECRET)
    clerk = {"Authorization": f"Bearer {issue_token(settings, role='clerk', subject='lan')}"}
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=clerk,
        ).json()["id"]
        comp = c.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": (f"ks_{CITIZEN}.png", good_png(seed=1601), "image/png")},
            headers=clerk,
        ).json()["id"]
        deadline = time.monotonic() + 30
        while (body := c.get(f"/api/v1/components/{comp}", headers=clerk).json())["status"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield c, settings, {"clerk": clerk, "component": body, "dossier": dossier}


def test_a_missing_object_is_404_without_its_key_or_path(
    registered: tuple[TestClient, Settings, dict[str, Any]],
) -> None:
    client, settings, w = registered
    [doc] = w["component"]["documents"]
    pdfs = list((settings.objects_dir / "pdf").iterdir())
    assert len(pdfs) == 1
    pdfs[0].unlink()
    r = client.get(f"/api/v1/documents/{doc['id']}/file", headers=w["clerk"])
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "not_found"
    assert _leaks(r.content, str(settings.data_dir), pdfs[0].name) == [], r.text


def test_an_unreadable_object_is_503_without_its_path(
    registered: tuple[TestClient, Settings, dict[str, Any]],
) -> None:
    client, settings, w = registered
    [page] = list((settings.objects_dir / "pages").iterdir())
    page.unlink()
    page.mkdir()  # reading it now fails with an OS error (EISDIR)
    try:
        r = client.get(
            f"/api/v1/components/{w['component']['id']}/pages/1/image", headers=w["clerk"]
        )
    finally:
        shutil.rmtree(page)
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "storage_unavailable"
    assert _leaks(r.content, str(settings.data_dir), page.name) == [], r.text


def test_an_unreachable_object_store_is_503_without_its_endpoint(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    settings = Settings(
        data_dir=tmp_path / "data",
        secret_key=SECRET,
        s3_endpoint=f"http://127.0.0.1:{port}",
        s3_access_key="sohoa",
        s3_secret_key=SecretStr("s3-secret-never-shown"),
        s3_bucket="internal-bucket-name",
    )
    clerk = {"Authorization": f"Bearer {issue_token(settings, role='clerk', subject='lan')}"}
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=clerk,
        ).json()["id"]
        r = c.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": ("scan.png", good_png(seed=1602), "image/png")},
            headers=clerk,
        )
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "storage_unavailable"
    secrets = (f"127.0.0.1:{port}", str(port), "internal-bucket-name", "s3-secret-never-shown")
    assert _leaks(r.content, *secrets) == [], r.text
