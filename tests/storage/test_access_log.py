"""The citizen's access log in SQL: their audit rows, minus rows about papers not theirs.

Run on SQLite and on a fresh schema of the real PostgreSQL (the filter reads JSON details).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storage.db import session_scope
from storage.models import Component, Dossier, RegisteredDocument
from storage.repository import (
    ACCESS_LOG_READ,
    add_component,
    append_audit,
    confirm_document_subject,
    create_dossier,
    get_document,
    get_or_create_citizen,
    init_db,
    list_citizen_access_log,
    set_document_subjects,
)
from tests.api.service_env import fresh_pg_schema

A, B, C = "001192012345", "079301000111", "036085000333"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    with fresh_pg_schema("sohoa_access") as url:
        yield url


def _dossier(session: Session, citizen: str) -> tuple[Dossier, Component]:
    dossier = create_dossier(
        session, procedure_code="1.001612", citizen_id_number=citizen, created_by="clerk-1"
    )
    component = add_component(
        session,
        dossier=dossier,
        object_key="scans/x",
        sha256=f"sha-{dossier.id}",
        original_filename="scan.png",
        content_type="image/png",
        size_bytes=1,
        created_by="clerk-1",
    )
    return dossier, component


def _document(session: Session, component: Component, named: str) -> RegisteredDocument:
    document = RegisteredDocument(
        component_id=component.id,
        document_index=0,
        dossier_id=component.dossier_id,
        citizen=get_or_create_citizen(session, id_number=named),
        source_name="scan.png",
        doc_type="birth_certificate",
        fields={"id_number": named},
        digitization_code=f"SH-{component.id}",
        source_key="scans/x",
        review_status="approved",
    )
    session.add(document)
    set_document_subjects(session, document=document, subjects={named: "id_number"})
    return document


def _check(url: str) -> None:
    init_db(url)
    with session_scope(url) as s:
        own, own_component = _dossier(s, A)
        theirs, their_component = _dossier(s, C)  # C's dossier holds a paper printing A's id
        mine = _document(s, own_component, A)
        misread = _document(s, their_component, A)
        rows = {
            "my document": dict(action="document.read", document_id=mine.id),
            "the misread paper": dict(action="document.read", document_id=misread.id),
            "C's dossier": dict(action="dossier.read", detail={"dossier_id": theirs.id}),
            "C's component, old row": dict(
                action="component.read", detail={"component_id": their_component.id}
            ),
            "my dossier": dict(action="dossier.read", detail={"dossier_id": own.id}),
            "my component, old row": dict(
                action="component.read", detail={"component_id": own_component.id}
            ),
            "the admin read my trail": dict(action="audit.read", role="admin"),
            "I read my log": dict(action=ACCESS_LOG_READ, role="citizen"),
        }
        ids: dict[int, str] = {}
        for name, row in rows.items():
            role = str(row.pop("role", "officer"))
            event = append_audit(s, actor="x", role=role, citizen_id_number=A, **row)
            ids[event.id] = name
        append_audit(s, actor="x", role="officer", action="document.read", citizen_id_number=B)
        mine_id, misread_id = mine.id, misread.id

    def shown() -> list[str]:
        with session_scope(url) as s:
            return [ids[e.id] for e in list_citizen_access_log(s, citizen_id_number=A)]

    assert shown() == [
        "the admin read my trail",
        "my component, old row",
        "my dossier",
        "my document",
    ]
    with session_scope(url) as s:  # a clerk confirms the paper is A's: its history is A's too
        confirm_document_subject(
            s,
            document=get_document(s, document_id=misread_id),
            id_number=A,
            relation="child",
            by="clerk-2",
        )
    assert set(shown()) == set(rows) - {"I read my log"}
    with session_scope(url) as s:
        assert list_citizen_access_log(s, citizen_id_number="000000000000") == []
        page = list_citizen_access_log(s, citizen_id_number=A, limit=2, offset=1)
        assert [ids[e.id] for e in page] == shown()[1:3]
    assert mine_id != misread_id


def test_access_log_filter_sqlite(sqlite_url: str) -> None:
    _check(sqlite_url)


@pytest.mark.services
def test_access_log_filter_postgresql(fresh_pg_url: str) -> None:
    _check(fresh_pg_url)
