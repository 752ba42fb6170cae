"""A document's readings by source and its fields to review are stored with it (migration
0013) and kept through a clerk's correction (older documents: tests/storage/test_migrations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr_service.attention import disagreeing_readings, reasons_of
from storage.db import session_scope
from storage.models import RegisteredDocument
from storage.repository import (
    add_component,
    correct_fields,
    create_dossier,
    get_document,
    get_or_create_citizen,
    init_db,
)
from tests.api.service_env import pg_url  # noqa: F401

CITIZEN = "001192012345"
# made-up values: the print, the QR code and the MRZ read the birth date three ways
READINGS = {
    "date_of_birth": {"ocr": "1990-03-08", "qr": "1990-08-03", "mrz": "1990-08-03"},
    "sex": {"qr": "female", "mrz": "female"},
}
REVIEW = {"date_of_birth": "mrz/ocr/qr disagree; mrz taken"}


def _store_document(url: str) -> str:
    with session_scope(url) as session:
        dossier = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        component = add_component(
            session,
            dossier=dossier,
            object_key="scans/" + "e" * 64,
            sha256="e" * 64,
            original_filename="card.png",
            content_type="image/png",
            size_bytes=1,
            created_by="clerk-1",
        )
        doc = RegisteredDocument(
            component_id=component.id,
            document_index=0,
            dossier_id=dossier.id,
            citizen=get_or_create_citizen(session, id_number=CITIZEN),
            source_name="card.png",
            doc_type="citizen_id_back",
            fields={"date_of_birth": "1990-08-03", "sex": "female"},
            field_source={"date_of_birth": "mrz", "sex": "mrz"},
            field_readings=READINGS,
            field_review=REVIEW,
            digitization_code="SH-20261121-7KQ2M9XD-R",
            source_key=component.object_key,
            review_status="verified",
        )
        session.add(doc)
        session.flush()
        return doc.id


def _round_trip(url: str) -> None:
    doc_id = _store_document(url)
    with session_scope(url) as session:
        doc = get_document(session, document_id=doc_id)
        assert doc.field_readings == READINGS and doc.field_review == REVIEW
        # only the birth date was read differently; sex was read the same by both
        assert disagreeing_readings(doc) == {"date_of_birth": READINGS["date_of_birth"]}
        assert [(r.code, r.fields) for r in reasons_of(doc)] == [
            ("field_review", ["date_of_birth"])
        ]
        correct_fields(session, document=doc, fields={"date_of_birth": "1990-08-03"}, by="lan")
    with session_scope(url) as session:
        doc = get_document(session, document_id=doc_id)
        # the clerk set the value: the readings stay as evidence, the field needs no more look
        assert doc.field_readings == READINGS and doc.field_review == REVIEW
        assert doc.corrected_fields["date_of_birth"]["value"] == "1990-08-03"
        assert "field_review" not in [r.code for r in reasons_of(doc)]


def test_readings_round_trip_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    init_db(url)
    _round_trip(url)


@pytest.mark.services
def test_readings_round_trip_on_postgresql(pg_url: str) -> None:  # noqa: F811
    init_db(pg_url)
    _round_trip(pg_url)
