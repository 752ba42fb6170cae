"""A document's readings by source and its fields to review, from the pipeline through the
store to the API's document answer; a clerk's correction keeps them as evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.records import ExtractionResult
from core.settings import Settings
from ocr_service.api import create_app
from storage.db import session_scope
from storage.models import RegisteredDocument
from tests.api.service_env import CITIZEN, Harness, png_bytes
from workers.faults import extract as fault_extract

# made-up readings: the print read the sex one way, the QR code the other (the QR's taken)
READINGS = {"sex": {"ocr": "male", "qr": "female"}}
REVIEW = {"sex": "ocr/qr disagree; qr taken"}


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    """The fault pipeline's documents, with the sources disagreeing on sex."""
    out = fault_extract(data, name, settings)
    out.documents = [
        replace(
            d,
            fields={**d.fields, "sex": "female"},
            field_source={**d.field_source, "sex": "qr"},
            field_readings={k: dict(v) for k, v in READINGS.items()},
            field_review=dict(REVIEW),
        )
        for d in out.documents
    ]
    return out


@pytest.fixture
def harness(embedded_settings: Settings) -> Iterator[Harness]:
    app = create_app(
        embedded_settings, extractor="tests.api.test_field_readings:extract", backoff=[0]
    )
    with TestClient(app) as client:
        yield Harness(client=client, settings=embedded_settings)


def _document(h: Harness, doc_id: str) -> dict[str, Any]:
    r = h.client.get(f"/api/v1/documents/{doc_id}", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_readings_reach_the_document_answer_and_survive_a_correction(harness: Harness) -> None:
    h = harness
    dossier = h.open_dossier()
    comp = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=41)).json()["id"])
    [listed] = comp["documents"]
    assert listed["field_readings"] == READINGS and listed["field_review"] == REVIEW
    doc = _document(h, listed["id"])
    assert doc["field_readings"] == READINGS and doc["field_review"] == REVIEW
    assert doc["field_review_messages"] == {
        "sex": "Chữ in và mã QR đọc khác nhau; đã lấy theo mã QR — đối chiếu bản giấy."
    }
    r = h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk", "lan"))
    [item] = r.json()["attention"]
    assert item["needs_clerk"] and [(x["code"], x["fields"]) for x in item["reasons"]] == [
        ("field_review", ["sex"])
    ]

    r = h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"sex": "male"}},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 200, r.text
    corrected = r.json()
    assert corrected["fields"]["sex"] == "male"
    assert corrected["field_readings"] == READINGS and corrected["field_review"] == REVIEW
    assert corrected["corrected_fields"]["sex"]["original"] == "female"
    r = h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("clerk", "lan"))
    [item] = r.json()["attention"]
    assert "field_review" not in [x["code"] for x in item["reasons"]]


def test_a_document_without_stored_readings_answers_with_none(harness: Harness) -> None:
    h = harness
    dossier = h.open_dossier()
    comp = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=42)).json()["id"])
    doc_id = comp["documents"][0]["id"]
    with session_scope(h.settings.effective_database_url) as s:
        row = s.get(RegisteredDocument, doc_id)
        assert row is not None
        row.field_readings, row.field_review = None, None  # as registered before migration 0013
    doc = _document(h, doc_id)
    assert doc["field_readings"] == doc["field_review"] == doc["field_review_messages"] == {}
