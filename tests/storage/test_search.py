"""Search on SQLite (FTS5) and PostgreSQL (GIN on to_tsvector): accent-insensitive, paged, kept
up to date by the session hook, and a citizen finds only what is theirs to see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.errors import InvalidInputError
from storage.db import get_engine, session_scope
from storage.migrations import upgrade
from storage.models import Component, Dossier, PageOcr, RegisteredDocument
from storage.population import PopulationRow
from storage.repository import (
    add_component,
    approve_document,
    correct_fields,
    create_dossier,
    init_db,
    set_document_subjects,
)
from storage.search import (
    DOCUMENT,
    SearchEntry,
    fold_for_search,
    query_groups,
    query_words,
    rebuild,
    search_documents,
    search_dossiers,
    snippet,
)
from tests.api.service_env import fresh_pg_schema

AN = "001192012345"
BINH = "079301000111"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        init_db(url)
        yield url
    else:
        with fresh_pg_schema("sohoa_search") as url:
            init_db(url)
            yield url


def _dossier(session: Session, citizen: str, code: str | None = None) -> tuple[Dossier, Component]:
    dossier = create_dossier(
        session,
        procedure_code="1.001612",
        citizen_id_number=citizen,
        created_by="clerk-1",
        code=code,
    )
    component = add_component(
        session,
        dossier=dossier,
        object_key=f"scans/{dossier.id}",
        sha256=dossier.id * 2,
        original_filename="scan.png",
        content_type="image/png",
        size_bytes=1,
        created_by="clerk-1",
    )
    return dossier, component


def _document(
    session: Session,
    component: Component,
    lines: list[str],
    *,
    index: int = 0,
    full_name: str | None = None,
    approved: bool = True,
) -> RegisteredDocument:
    page = index + 1
    session.add(
        PageOcr(
            component_id=component.id,
            page=page,
            width=100,
            height=100,
            image_key=f"pages/{component.id}-{page}",
            lines=[{"text": t, "box": [[0, 0]] * 4, "confidence": 0.9} for t in lines],
        )
    )
    document = RegisteredDocument(
        component_id=component.id,
        document_index=index,
        dossier_id=component.dossier.id,
        citizen=component.dossier.citizen,
        source_name="scan.png",
        doc_type="birth_certificate",
        fields={"full_name": full_name} if full_name else {},
        pages=[page],
        digitization_code=f"SH-{component.id[:8]}-{index}",
        source_key=component.object_key,
        review_status="needs_review",
    )
    session.add(document)
    set_document_subjects(session, document=document, subjects={})
    if approved:
        approve_document(session, document=document, by="clerk-1")
    return document


def test_folding_keeps_the_length_and_drops_diacritics() -> None:
    for raw in ("Nguyễn Văn Đức", "ĐỖ THỊ HƯƠNG", "Số: 12/2026-KS", "İstanbul"):
        assert len(fold_for_search(raw)) == len(raw)
    assert fold_for_search("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold_for_search("ĐỖ THỊ HƯƠNG") == "do thi huong"
    assert query_words("  Nguyễn,  văn!! nguyen ") == ["nguyen", "van"]
    with pytest.raises(InvalidInputError):
        query_words(" .,-!? ")
    with pytest.raises(InvalidInputError):
        query_words(" ".join(f"w{i}" for i in range(13)))
    piece = snippet("GIẤY KHAI SINH\nHọ và tên: Nguyễn Văn Đức", ["duc"])
    assert "Nguyễn Văn Đức" in piece


def test_documents_are_found_by_their_text_without_diacritics(url: str) -> None:
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        found = _document(s, comp, ["GIẤY KHAI SINH", "Họ và tên: Nguyễn Văn Đức"]).id
        _, other = _dossier(s, BINH)
        _document(s, other, ["GIẤY CHỨNG NHẬN KẾT HÔN", "Họ và tên: Trần Thị Bình"])
    with session_scope(url) as s:
        for q in ("nguyen van duc", "NGUYỄN VĂN", "nguy", "khai sinh", "Đức"):
            hits = search_documents(s, q=q)
            assert hits.ids == [found], q
            assert "Nguyễn Văn Đức" in hits.snippets[found] or q == "khai sinh"
        assert search_documents(s, q="nguyen binh").ids == []  # every word must match
        assert search_documents(s, q="tran thi").total == 1
        assert search_documents(s, q="van duc nguyen").ids == [found]  # in any order


def test_a_citizen_finds_only_their_own_approved_documents(url: str) -> None:
    with session_scope(url) as s:
        _, comp_a = _dossier(s, AN)
        mine = _document(s, comp_a, ["Giấy khai sinh Nguyễn Văn Đức"]).id
        under_review = _document(
            s, comp_a, ["Giấy khai sinh Nguyễn Văn Đức bản sao"], index=1, approved=False
        ).id
        _, comp_b = _dossier(s, BINH)
        theirs = _document(s, comp_b, ["Giấy khai sinh Nguyễn Văn Đức"]).id
    with session_scope(url) as s:
        assert set(search_documents(s, q="khai sinh").ids) == {mine, under_review, theirs}
        assert search_documents(s, q="khai sinh", citizen_id_number=AN).ids == [mine]
        assert search_documents(s, q="khai sinh", citizen_id_number=BINH).ids == [theirs]
        assert search_documents(s, q="khai sinh", citizen_id_number="036085000999").ids == []


def test_pages_are_whole_and_stable(url: str) -> None:
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        ids = {_document(s, comp, [f"Tờ khai số {i} của Lê Văn Tám"], index=i).id for i in range(7)}
    with session_scope(url) as s:
        seen: list[str] = []
        page, pages = 1, 0
        while True:
            hits = search_documents(s, q="le van tam", page=page, page_size=3)
            assert hits.total == 7
            seen += hits.ids
            pages += 1
            if hits.next_page is None:
                break
            page = hits.next_page
        assert pages == 3 and len(seen) == 7 and set(seen) == ids
        assert search_documents(s, q="le van tam", page=4, page_size=3).ids == []
        with pytest.raises(InvalidInputError):
            search_documents(s, q="tam", page=0)


def test_dossiers_by_code_id_number_or_name(url: str) -> None:
    code = "000.00.00.H49-261121-0007"
    with session_scope(url) as s:
        s.add(
            PopulationRow(
                id_number=AN, full_name="Phạm Thị Ngọc Ánh", date_of_birth="1992-01-01", sex="Nữ"
            )
        )
        s.flush()
        dossier, comp = _dossier(s, AN, code=code)
        _, comp_b = _dossier(s, BINH, code="000.00.00.H49-261121-0008")
        _document(s, comp_b, ["Giấy khai sinh"], full_name="Hoàng Văn Bình")
    with session_scope(url) as s:
        assert search_dossiers(s, q=code).ids == [dossier.id]
        assert search_dossiers(s, q="261121-0007").ids == [dossier.id]
        assert search_dossiers(s, q=AN[:6]).ids == [dossier.id]
        assert search_dossiers(s, q="pham thi ngoc anh").ids == [dossier.id]  # the register's
        assert len(search_dossiers(s, q="hoang van binh").ids) == 1  # read on their documents
        assert search_dossiers(s, q="h49 261121").total == 2


def test_corrections_are_searchable_at_once(url: str) -> None:
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        doc = _document(s, comp, ["Giấy khai sinh"], full_name="Nguyen Van Dux")
        correct_fields(s, document=doc, fields={"full_name": "Nguyễn Văn Xuân"}, by="clerk-1")
    with session_scope(url) as s:
        assert search_documents(s, q="xuan").ids == [doc.id]
        assert search_documents(s, q="dux").ids == []


def test_the_migration_backfills_existing_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    init_db(url)
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        doc = _document(s, comp, ["Giấy chứng nhận quyền sử dụng đất"]).id
    engine = get_engine(url)
    with engine.begin() as conn:  # as if the rows were written before migration 0009
        head = conn.scalar(text("SELECT version_num FROM alembic_version"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0008'"))
        conn.execute(text("DROP TRIGGER search_entries_ai"))
        conn.execute(text("DROP TRIGGER search_entries_ad"))
        conn.execute(text("DROP TRIGGER search_entries_au"))
        conn.execute(text("DROP TABLE search_entries_fts"))
        conn.execute(text("DROP TABLE search_entries"))
    upgrade(url, "0009")  # 0009 alone: the later migrations' tables are there already
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    with session_scope(url) as s:
        assert search_documents(s, q="quyen su dung dat").ids == [doc]
        assert s.scalar(select(func.count()).select_from(SearchEntry)) == 2  # dossier + doc
        with engine.begin() as conn:
            assert rebuild(conn) == 2


def test_an_entry_follows_its_record(url: str) -> None:
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        doc = _document(s, comp, ["Giấy khai sinh"])
    with session_scope(url) as s:
        rows = s.scalars(select(SearchEntry).where(SearchEntry.kind == DOCUMENT)).all()
        assert [r.ref_id for r in rows] == [doc.id]
        page = s.scalar(select(PageOcr).where(PageOcr.component_id == comp.id))
        assert page is not None
        page.lines = [{"text": "Trích lục kết hôn", "box": [[0, 0]] * 4, "confidence": 1.0}]
    with session_scope(url) as s:
        assert search_documents(s, q="trich luc ket hon").ids == [doc.id]
        assert search_documents(s, q="khai sinh").ids == []


def test_entries_are_written_at_commit_and_a_rolled_back_write_leaves_none(url: str) -> None:
    with session_scope(url) as s:
        _, comp = _dossier(s, AN)
        doc = _document(s, comp, ["Giấy khai sinh Vũ Thị Lụa"])
        s.flush()
        # a savepoint that fails (a concurrent citizen insert) keeps what came before it
        try:
            with s.begin_nested():
                s.add(PopulationRow(id_number="bad", full_name="x", date_of_birth="", sex=""))
                raise RuntimeError("savepoint rolled back")
        except RuntimeError:
            pass
    with session_scope(url) as s:
        assert search_documents(s, q="vu thi lua").ids == [doc.id]
    with pytest.raises(RuntimeError), session_scope(url) as s:
        _, comp = _dossier(s, BINH)
        _document(s, comp, ["Giấy khai sinh Đinh Công Tráng"])
        s.flush()
        raise RuntimeError("the request failed")
    with session_scope(url) as s:
        assert search_documents(s, q="dinh cong trang").ids == []
        assert s.scalar(select(func.count()).select_from(SearchEntry)) == 2  # A's dossier, doc


def test_what_is_typed_without_spaces_is_found_as_typed(url: str) -> None:
    """A code or a date is a phrase: its parts are not matched anywhere in the entry (the
    code's last part '0011' also starts AN's id number 001192012345)."""
    with session_scope(url) as s:
        x, _ = _dossier(s, BINH, code="000.00.00.H49-261121-0011")
        _dossier(s, AN, code="000.00.00.H49-261121-0012")
        _, comp = _dossier(s, BINH)
        born = _document(s, comp, ["Ngày sinh: 12/03/1990", "Số: 1990/12"]).id
        _, comp = _dossier(s, BINH)
        _document(s, comp, ["Ngày sinh: 03/12/1990"])
    with session_scope(url) as s:
        assert search_dossiers(s, q="000.00.00.H49-261121-0011").ids == [x.id]
        assert search_dossiers(s, q="H49-261121-001").total == 2  # the last part a prefix
        assert search_documents(s, q="12/03/1990").ids == [born]
        assert search_documents(s, q="12 03 1990").total == 2  # spaces: words in any order
    assert query_groups("Nguyễn  H49-261121-0011 ,") == [["nguyen"], ["h49", "261121", "0011"]]
