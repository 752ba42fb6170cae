"""The repository's lookups that routes, registration and jobs call instead of writing queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storage.db import session_scope
from storage.models import Component, Dossier, RegisteredDocument
from storage.repository import (
    add_component,
    create_dossier,
    digitization_code_exists,
    find_component,
    find_component_by_sha256,
    find_dossier,
    get_or_create_citizen,
    init_db,
    list_component_documents,
    list_unfinished_components,
    lock_dossier,
)

CITIZEN = "001192012345"


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    init_db(url)
    return url


def _component(
    session: Session, dossier: Dossier, *, sha: str, status: str = "queued"
) -> Component:
    component = add_component(
        session,
        dossier=dossier,
        object_key=f"scans/{sha}",
        sha256=sha,
        original_filename="scan.png",
        content_type="image/png",
        size_bytes=1,
        created_by="clerk-1",
    )
    component.status = status
    return component


def test_find_returns_none_where_get_would_refuse(url: str) -> None:
    with session_scope(url) as session:
        assert find_dossier(session, dossier_id="nope") is None
        assert find_component(session, component_id="nope") is None
        dossier = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        component = _component(session, dossier, sha="a" * 64)
        lock_dossier(session, dossier_id=dossier.id)  # a no-op on SQLite, but valid SQL
        assert find_dossier(session, dossier_id=dossier.id) is dossier
        assert find_component(session, component_id=component.id) is component


def test_find_component_by_sha256_is_the_first_upload_of_that_scan_in_that_dossier(
    url: str,
) -> None:
    with session_scope(url) as session:
        one = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        other = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        first = _component(session, one, sha="b" * 64)
        first.created_at = datetime(2026, 1, 1, tzinfo=UTC)
        _component(session, one, sha="b" * 64).created_at = datetime(2026, 1, 2, tzinfo=UTC)
        _component(session, other, sha="c" * 64)
        session.flush()
        assert find_component_by_sha256(session, dossier_id=one.id, sha256="b" * 64) is first
        assert find_component_by_sha256(session, dossier_id=one.id, sha256="c" * 64) is None


def test_list_unfinished_components_keeps_young_queued_ones_only_without_a_cutoff(
    url: str,
) -> None:
    now = datetime.now(UTC)
    with session_scope(url) as session:
        dossier = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        ids = {}
        for status in ("queued", "processing", "done", "failed"):
            ids[status] = _component(session, dossier, sha=status[0] * 64, status=status).id
        ids["old"] = _component(session, dossier, sha="o" * 64).id
        session.flush()
        old = session.get(Component, ids["old"])
        assert old is not None
        old.updated_at = now - timedelta(hours=1)
        session.flush()

        every = list_unfinished_components(session)
        assert sorted(cid for cid, _, _ in every) == sorted(
            [ids["queued"], ids["processing"], ids["old"]]
        )
        stale = list_unfinished_components(session, queued_before=now - timedelta(minutes=1))
        assert sorted(stale) == sorted(
            [(ids["processing"], "processing", 0), (ids["old"], "queued", 0)]
        )


def test_registered_documents_of_a_component_and_taken_codes(url: str) -> None:
    with session_scope(url) as session:
        dossier = create_dossier(
            session, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="clerk-1"
        )
        component = _component(session, dossier, sha="d" * 64, status="done")
        session.add(
            RegisteredDocument(
                component_id=component.id,
                document_index=0,
                dossier_id=dossier.id,
                citizen=get_or_create_citizen(session, id_number=CITIZEN),
                source_name="scan.png",
                doc_type="birth_certificate",
                digitization_code="SH-20261121-7KQ2M9XD-R",
                source_key=component.object_key,
                review_status="needs_review",
            )
        )
        session.flush()
        assert [
            d.document_index for d in list_component_documents(session, component_id=component.id)
        ] == [0]
        assert list_component_documents(session, component_id="other") == []
        assert digitization_code_exists(session, code="SH-20261121-7KQ2M9XD-R")
        assert not digitization_code_exists(session, code="SH-20261121-00000000-0")
