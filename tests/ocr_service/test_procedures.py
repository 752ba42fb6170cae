"""The procedure catalogue: its records, the return date in working days, the checklist."""

from __future__ import annotations

from datetime import UTC, date, datetime

from classifiers import doctypes
from ocr_service.procedures import DocumentRef, all_procedures, checklist, due_date, find_procedure
from ocr_service.web.labels import PROCEDURES

ASKED = {
    "dang-ky-khai-sinh",
    "dang-ky-ket-hon",
    "dang-ky-thuong-tru",
    "xac-nhan-tinh-trang-hon-nhan",
    "dang-ky-ho-kinh-doanh",
    "cap-gcn-quyen-su-dung-dat",
}


def test_the_catalogue_has_the_common_procedures_with_sources_and_known_types() -> None:
    procedures = all_procedures()
    codes = [p.code for p in procedures]
    assert set(codes) >= ASKED and len(codes) == len(set(codes))
    known = {t.name for t in doctypes.all_types()}
    for p in procedures:
        assert p.legal_source and p.read and p.processing_time, p.code
        assert p.processing_days >= 0
        assert any(c.required for c in p.components), p.code
        keys = [c.key for c in p.components]
        assert len(keys) == len(set(keys)), p.code
        for c in p.components:
            assert c.doc_types and set(c.doc_types) <= known, (p.code, c.key)
        assert p.result_doc_type is None or p.result_doc_type in known
    # the intake page's list names the same procedures, by the same codes
    assert set(PROCEDURES) == set(codes)
    assert find_procedure("1.001612") is None


def _vn(y: int, m: int, d: int, hour: int = 9) -> datetime:
    return datetime(y, m, d, hour - 7, tzinfo=UTC)  # that hour in Vietnam


def test_the_return_date_counts_working_days_in_vietnam() -> None:
    # Thursday 3 Dec 2026 + 3 working days: Fri 4, Mon 7, Tue 8
    assert due_date(_vn(2026, 12, 3), 3) == date(2026, 12, 8)
    # same day when 0; a Saturday receipt moves to Monday
    assert due_date(_vn(2026, 12, 3), 0) == date(2026, 12, 3)
    assert due_date(_vn(2026, 12, 5), 0) == date(2026, 12, 7)
    # 23:30 UTC on Wednesday is already Thursday in Vietnam
    assert due_date(datetime(2026, 12, 2, 23, 30, tzinfo=UTC), 0) == date(2026, 12, 3)
    # holidays: a yearly one (2 September) and a dated one
    assert due_date(_vn(2026, 9, 1), 1, ["09-02"]) == date(2026, 9, 3)
    assert due_date(_vn(2026, 9, 1), 1, []) == date(2026, 9, 2)
    assert due_date(_vn(2027, 2, 5), 1, ["2027-02-08", "2027-02-09"]) == date(2027, 2, 10)
    # seven working days over a weekend (residence registration)
    assert due_date(_vn(2026, 12, 3), 7) == date(2026, 12, 14)


def ref(i: str, t: str) -> DocumentRef:
    return DocumentRef(i, f"SH-{i}", t)


def test_the_checklist() -> None:
    residence = find_procedure("dang-ky-thuong-tru")
    assert residence is not None
    items = checklist(
        residence,
        received=[ref("a", "application_form")],
        reused=[],
        in_store=[ref("b", "birth_certificate"), ref("o", "other"), ref("c", "diploma")],
    )
    status = {i.component.key: i.status for i in items}
    assert status == {
        "to-khai": "received",
        "cho-o-hop-phap": "missing",  # an "other" paper in the store is never offered
        "quan-he-nhan-than": "available",
    }
    [available] = [i for i in items if i.status == "available"]
    assert [c.id for c in available.candidates] == ["b"]
    # once reused, it is listed as such
    items = checklist(residence, received=[], reused=[ref("b", "birth_certificate")], in_store=[])
    assert {i.component.key: i.status for i in items}["quan-he-nhan-than"] == "reused"
    assert {i.component.key: i.status for i in items}["to-khai"] == "missing"
    # a document fulfils one component only
    marriage = find_procedure("dang-ky-ket-hon")
    assert marriage is not None
    items = checklist(marriage, received=[ref("x", "application_form")], reused=[], in_store=[])
    assert [i.status for i in items] == ["received", "missing", "missing"]
