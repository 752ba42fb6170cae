"""``PATCH /documents/{id}`` is bounded: the number of fields, each value's length, and the
body's size (413/422 with the JSON error body; the document is left as it was)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.api.schemas import MAX_CORRECTED_FIELDS, MAX_CORRECTED_VALUE
from ocr_service.auth import issue_token
from tests.hostile.corpus import good_png

CITIZEN = "001192012345"


@pytest.fixture(scope="module")
def doc(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, str, dict[str, str]]]:
    data: Path = tmp_path_factory.mktemp("corrections") / "data"
    settings = Settings(data_dir=data, secret_key=SecretStr("corrections-secret-0123456789abcdef"))
    clerk = {"Authorization": f"Bearer {issue_token(settings, role='clerk', subject='clerk-lan')}"}
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=clerk,
        ).json()["id"]
        comp = c.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": (f"ks_{CITIZEN}.png", good_png(seed=1301), "image/png")},
            headers=clerk,
        ).json()["id"]
        deadline = time.monotonic() + 30
        while (body := c.get(f"/api/v1/components/{comp}", headers=clerk).json())["status"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        [document] = body["documents"]
        yield c, document["id"], clerk


def _patch(c: TestClient, doc_id: str, headers: dict[str, str], body: Any) -> Any:
    return c.patch(f"/api/v1/documents/{doc_id}", json=body, headers=headers)


def _unchanged(c: TestClient, doc_id: str, headers: dict[str, str], before: dict[str, Any]) -> None:
    after = c.get(f"/api/v1/documents/{doc_id}", headers=headers).json()
    assert after["fields"] == before["fields"]
    assert after["corrected_fields"] == before["corrected_fields"]


def test_a_5_mb_value_is_413(doc: tuple[TestClient, str, dict[str, str]]) -> None:
    c, doc_id, clerk = doc
    before = c.get(f"/api/v1/documents/{doc_id}", headers=clerk).json()
    r = _patch(c, doc_id, clerk, {"fields": {"full_name": "A" * 5_000_000}})
    assert r.status_code == 413, r.text[:300]
    assert r.json()["error"]["code"] == "request_too_large"
    assert len(r.content) < 1000  # the answer does not echo the value
    _unchanged(c, doc_id, clerk, before)


def test_20000_fields_are_refused(doc: tuple[TestClient, str, dict[str, str]]) -> None:
    c, doc_id, clerk = doc
    before = c.get(f"/api/v1/documents/{doc_id}", headers=clerk).json()
    r = _patch(c, doc_id, clerk, {"fields": {f"field_{i:05d}": "x" for i in range(20_000)}})
    assert r.status_code in (413, 422), r.text[:300]
    assert r.json()["error"]["code"] in ("request_too_large", "invalid_input")
    _unchanged(c, doc_id, clerk, before)


def test_too_many_fields_in_a_small_body_is_422(
    doc: tuple[TestClient, str, dict[str, str]],
) -> None:
    c, doc_id, clerk = doc
    before = c.get(f"/api/v1/documents/{doc_id}", headers=clerk).json()
    fields = {f"f{i}": "x" for i in range(MAX_CORRECTED_FIELDS + 1)}
    r = _patch(c, doc_id, clerk, {"fields": fields})
    assert r.status_code == 422, r.text[:300]
    assert r.json()["error"]["code"] == "invalid_input"
    _unchanged(c, doc_id, clerk, before)


def test_an_overlong_value_is_422_without_echoing_it(
    doc: tuple[TestClient, str, dict[str, str]],
) -> None:
    c, doc_id, clerk = doc
    before = c.get(f"/api/v1/documents/{doc_id}", headers=clerk).json()
    value = "Nguyễn" * (MAX_CORRECTED_VALUE // 6 + 1)
    r = _patch(c, doc_id, clerk, {"fields": {"full_name": value}})
    assert r.status_code == 422, r.text[:300]
    assert value[:50] not in r.text
    _unchanged(c, doc_id, clerk, before)


def test_a_chunked_oversized_body_is_413(doc: tuple[TestClient, str, dict[str, str]]) -> None:
    """No Content-Length to refuse early: the body is counted as it arrives."""
    c, doc_id, clerk = doc

    def body() -> Iterator[bytes]:
        yield b'{"fields": {"full_name": "'
        for _ in range(100):
            yield b"A" * 50_000
        yield b'"}}'

    r = c.patch(
        f"/api/v1/documents/{doc_id}",
        content=body(),
        headers={**clerk, "Content-Type": "application/json"},
    )
    assert r.status_code == 413, r.text[:300]
    assert r.json()["error"]["code"] == "request_too_large"


def test_an_ordinary_correction_still_works(doc: tuple[TestClient, str, dict[str, str]]) -> None:
    c, doc_id, clerk = doc
    fields = {"full_name": "Nguyễn Thị Minh Hằng", "place_of_birth": "Hà Nội " * 100}
    r = _patch(c, doc_id, clerk, {"fields": fields})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["fields"]["full_name"] == "Nguyễn Thị Minh Hằng"
    assert len(json.dumps(fields).encode()) < 256 * 1024
