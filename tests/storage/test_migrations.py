"""Alembic migrations build the same schema as the models; the audit log only grows."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text

import storage.models
import storage.population  # noqa: F401
import storage.sequences  # noqa: F401
from ocr_service.attention import disagreeing_readings, field_review_messages, reasons_of
from storage.db import Base, get_engine, session_scope
from storage.migrations import upgrade
from storage.models import DocumentSubject
from storage.repository import append_audit, get_document, init_db
from tests.api.service_env import pg_url  # noqa: F401

_TABLES = {
    "citizens",
    "dossiers",
    "components",
    "registered_documents",
    "page_ocr",
    "reuse_events",
    "audit_log",
    "population_register",
    "document_subjects",
    "daily_sequence",
    "search_entries",
}


# Search's index is each database's own, made by migration 0009 outside the metadata: SQLite's
# FTS5 table (and the shadow tables FTS5 keeps), PostgreSQL's GIN index on an expression.
_SEARCH_INDEX = ("search_entries_fts", "ix_search_entries_folded")


def _declared(name: str | None, type_: str, _parent: object) -> bool:
    return not (name or "").startswith(_SEARCH_INDEX)


def _check(url: str) -> None:
    init_db(url)
    init_db(url)  # idempotent at every start
    engine = get_engine(url)
    assert set(inspect(engine).get_table_names()) >= _TABLES
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _declared})
        assert compare_metadata(context, Base.metadata) == []
    with session_scope(url) as s:
        append_audit(s, actor="a", role="admin", action="test")
    for statement in ("UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"):
        with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(statement))
    with session_scope(url) as s:
        assert s.scalar(text("SELECT actor FROM audit_log")) == "a"
    assert hasattr(storage.models, "AuditEvent")


def test_sqlite_migrations(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.mark.services
def test_postgresql_migrations(pg_url: str) -> None:  # noqa: F811
    _check(pg_url)


_NOW = "2026-11-21 10:00:00"


def _old_dossier(conn: Connection, citizens: tuple[str, ...], created_by: str = "c") -> None:
    """Citizens 1.., dossier d1 of citizen 1 and its done component c1, as raw rows (the models
    are the head's, the schema an older revision's)."""
    for cid, number in enumerate(citizens, start=1):
        conn.execute(
            text("INSERT INTO citizens (id, id_number, created_at) VALUES (:i, :n, :t)"),
            {"i": cid, "n": number, "t": _NOW},
        )
    conn.execute(
        text(
            "INSERT INTO dossiers (id, procedure_code, citizen_id, created_by, created_at) "
            "VALUES ('d1', 'p', 1, :by, :t)"
        ),
        {"by": created_by, "t": _NOW},
    )
    conn.execute(
        text(
            "INSERT INTO components (id, dossier_id, status, attempts, object_key, sha256, "
            "original_filename, content_type, size_bytes, created_by, created_at, updated_at) "
            "VALUES ('c1', 'd1', 'done', 1, 'k', 's', 'f.png', 'image/png', 1, 'c', :t, :t)"
        ),
        {"t": _NOW},
    )


def _old_document(
    conn: Connection,
    doc_id: str,
    *,
    index: int = 0,
    doc_type: str | None = None,
    fields: str = "{}",
    verification: str = "{}",
    review_status: str = "verified",
) -> None:
    """A registered document of component c1, citizen 1, as a raw row."""
    conn.execute(
        text(
            "INSERT INTO registered_documents (id, component_id, document_index, "
            "dossier_id, citizen_id, source_name, doc_type, doc_type_confidence, fields, "
            "field_confidence, field_source, verification, pages, digitization_code, "
            "source_key, review_status, corrected_fields, created_at, updated_at) VALUES "
            "(:id, 'c1', :i, 'd1', 1, 'f.png', :type, 0.9, :f, '{}', '{}', :v, '[1]', "
            ":code, 'k', :review, '{}', :t, :t)"
        ),
        {
            "id": doc_id,
            "i": index,
            "type": doc_type or doc_id,
            "f": fields,
            "v": verification,
            "code": f"SH-{doc_id}",
            "review": review_status,
            "t": _NOW,
        },
    )


def test_document_subjects_backfill_links_both_spouses(tmp_path: Path) -> None:
    """Documents registered before 0004 land in their citizen's store and both spouses'."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0003")
    engine = get_engine(url)
    with engine.begin() as conn:
        _old_dossier(conn, ("001192012345",))
        fields = {
            "marriage": '{"husband_id_number": "079301000111", "wife_id_number": "001192012345"}',
            "other": '{"full_name": "A"}',
        }
        for index, (doc_id, doc_fields) in enumerate(fields.items()):
            _old_document(conn, doc_id, index=index, fields=doc_fields)
    init_db(url)
    with session_scope(url) as s:
        links = {
            (d.document_id, d.citizen.id_number, d.role) for d in s.scalars(select(DocumentSubject))
        }
    assert links == {
        ("marriage", "001192012345", "wife_id_number"),
        ("marriage", "079301000111", "husband_id_number"),
        ("other", "001192012345", "dossier"),
    }
    # 0012 copies registered_documents to widen the code (SQLite): codes and references stay
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT digitization_code FROM registered_documents")).scalars()
        assert sorted(codes) == ["SH-marriage", "SH-other"]
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_subject_confirmation_backfill_confirms_only_the_dossiers_citizen(tmp_path: Path) -> None:
    """Links made before 0008 from what the OCR read: only the dossier's citizen is confirmed
    (by the intake of that dossier); the other spouse waits for a clerk."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0006")
    engine = get_engine(url)
    with engine.begin() as conn:
        _old_dossier(conn, ("001192012345", "079301000111"), created_by="clerk-x")
        _old_document(conn, "m", doc_type="marriage_certificate", review_status="approved")
        for cid, role in ((1, "wife_id_number"), (2, "husband_id_number")):
            conn.execute(
                text(
                    "INSERT INTO document_subjects (document_id, citizen_id, role) "
                    "VALUES ('m', :c, :r)"
                ),
                {"c": cid, "r": role},
            )
    init_db(url)
    with session_scope(url) as s:
        links = {d.citizen.id_number: d for d in s.scalars(select(DocumentSubject))}
        wife, husband = links["001192012345"], links["079301000111"]
        assert (wife.confirmed, wife.relation, wife.confirmed_by) == (True, "self", "clerk-x")
        assert wife.confirmed_at is not None and wife.confirmed_at.year == 2026
        assert (husband.confirmed, husband.relation, husband.confirmed_by) == (False, None, None)
        assert husband.confirmed_at is None


def test_a_document_stored_before_0013_shows_no_readings_and_does_not_fail(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0012")
    with get_engine(url).begin() as conn:
        _old_dossier(conn, ("001192012345",))
        _old_document(
            conn,
            "old",
            doc_type="citizen_id_back",
            fields='{"sex": "female"}',
            verification='{"status": "match"}',
        )
    init_db(url)  # migrates to the head
    with session_scope(url) as session:
        doc = get_document(session, document_id="old")
        assert doc.field_readings is None and doc.field_review is None
        assert disagreeing_readings(doc) == {} and field_review_messages(doc) == {}
        assert reasons_of(doc) == []
