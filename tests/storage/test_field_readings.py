"""A document's readings by source and its fields to review are stored with it (migration
0013), kept through a clerk's correction, and absent (not failing) on older documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ocr_service.attention import disagreeing_readings, field_review_messages, reasons_of
from storage.db import get_engine, session_scope
from storage.migrations import upgrade
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


def test_a_document_stored_before_0013_shows_no_readings_and_does_not_fail(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0012")
    now = "2026-11-21 10:00:00"
    with get_engine(url).begin() as conn:
        conn.execute(
            text("INSERT INTO citizens (id, id_number, created_at) VALUES (1, :n, :t)"),
            {"n": CITIZEN, "t": now},
        )
        conn.execute(
            text(
                "INSERT INTO dossiers (id, procedure_code, citizen_id, created_by, created_at) "
                "VALUES ('d1', 'p', 1, 'c', :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO components (id, dossier_id, status, attempts, object_key, sha256, "
                "original_filename, content_type, size_bytes, created_by, created_at, updated_at) "
                "VALUES ('c1', 'd1', 'done', 1, 'k', 's', 'f.png', 'image/png', 1, 'c', :t, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO registered_documents (id, component_id, document_index, "
                "dossier_id, citizen_id, source_name, doc_type, doc_type_confidence, fields, "
                "field_confidence, field_source, verification, pages, digitization_code, "
                "source_key, review_status, corrected_fields, created_at, updated_at) VALUES "
                "('old', 'c1', 0, 'd1', 1, 'f.png', 'citizen_id_back', 0.9, "
                "'{\"sex\": \"female\"}', '{}', '{}', '{\"status\": \"match\"}', '[1]', "
                "'SH-old', 'k', 'verified', '{}', :t, :t)"
            ),
            {"t": now},
        )
    init_db(url)  # migrates to the head
    with session_scope(url) as session:
        doc = get_document(session, document_id="old")
        assert doc.field_readings is None and doc.field_review is None
        assert disagreeing_readings(doc) == {} and field_review_messages(doc) == {}
        assert reasons_of(doc) == []
