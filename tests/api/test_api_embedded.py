"""The HTTP API end to end on the embedded defaults (SQLite, local folder, in-process jobs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.settings import Settings
from ocr_service.registration import is_valid_digitization_code
from storage.db import session_scope
from storage.models import AuditEvent, Component, RegisteredDocument
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes


def _count(h: Harness, model: type) -> int:
    with session_scope(h.settings.effective_database_url) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _objects(h: Harness) -> list[Path]:
    root = h.settings.objects_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_is_processed_and_registered_in_the_citizens_store(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    r = h.upload(dossier, f"khai_sinh_{CITIZEN}.png", png_bytes(seed=1))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    component = h.wait(r.json()["id"])
    assert component["status"] == "done" and component["error"] is None
    assert component["attempts"] == 1
    assert component["content_type"] == "image/png"
    [doc] = component["documents"]
    assert doc["doc_type"] == "birth_certificate"
    assert doc["review_status"] == "verified"
    assert is_valid_digitization_code(doc["digitization_code"])
    assert doc["citizen_id_number"] == CITIZEN
    [page] = component["pages"]
    assert page["width"] == 200 and page["height"] == 300 and page["lines"][0]["text"] == "Trang 1"

    img = h.client.get(page["image_url"], headers=h.auth("officer"))
    assert img.status_code == 200 and img.content[:3] == b"\xff\xd8\xff"

    # the dossier view (spec) shows the component with its documents
    d = h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("officer")).json()
    assert d["components"][0]["status"] == "done"
    assert d["components"][0]["documents"][0]["digitization_code"] == doc["digitization_code"]
    assert d["status"] == "done"

    # the searchable PDF, first page stamped with the code (stamp text is in the PDF)
    h.approve(doc["id"])  # the citizen sees it once approved
    pdf = h.client.get(doc["file_url"], headers=h.auth("citizen"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(pdf.content)[0].get_textpage().get_text_range()
    assert doc["digitization_code"] in text.replace("\n", "").replace(" ", "") or (
        doc["digitization_code"] in text
    )


def test_citizen_sees_only_their_own_and_every_read_is_audited(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    comp = h.wait(h.upload(dossier, f"cccd_{CITIZEN}.png", png_bytes(seed=2)).json()["id"])
    doc_id = comp["documents"][0]["id"]
    h.approve(doc_id)
    before = _count(h, AuditEvent)

    mine = h.client.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=h.auth("citizen"))
    assert mine.status_code == 200 and [d["id"] for d in mine.json()["documents"]] == [doc_id]
    assert h.client.get(f"/api/v1/documents/{doc_id}", headers=h.auth("citizen")).status_code == 200

    other = h.auth("citizen", OTHER_CITIZEN)
    for path in (
        f"/api/v1/documents/{doc_id}",
        f"/api/v1/documents/{doc_id}/file",
        f"/api/v1/citizens/{CITIZEN}/documents",
        f"/api/v1/dossiers/{dossier}",
        f"/api/v1/components/{comp['id']}",
    ):
        r = h.client.get(path, headers=other)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"

    assert _count(h, AuditEvent) == before + 2  # the refused reads touched nothing
    audit = h.client.get(f"/api/v1/audit?citizen_id_number={CITIZEN}", headers=h.auth("admin"))
    assert audit.status_code == 200
    reads = [e for e in audit.json()["events"] if e["document_id"] == doc_id]
    actions = {(e["action"], e["role"]) for e in reads}
    assert {("document.list", "citizen"), ("document.read", "citizen")} <= actions
    assert all(e["request_id"] for e in reads)
    assert _count(h, AuditEvent) == before + 3  # the admin's read of the log is logged too
    # non-admins cannot read the audit log
    assert h.client.get("/api/v1/audit", headers=h.auth("officer")).status_code == 403


def test_documents_routed_to_their_subject_and_listed_newest_first(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier(CITIZEN)
    first = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=3)).json()["id"])
    second = h.wait(h.upload(dossier, f"ks_{CITIZEN}_b.png", png_bytes(seed=4)).json()["id"])
    child = h.wait(h.upload(dossier, f"ks_{OTHER_CITIZEN}.png", png_bytes(seed=5)).json()["id"])
    plain = h.wait(h.upload(dossier, "don.png", png_bytes(seed=6)).json()["id"])
    assert child["documents"][0]["citizen_id_number"] == OTHER_CITIZEN
    assert plain["documents"][0]["citizen_id_number"] == CITIZEN  # no subject: dossier's citizen
    assert plain["documents"][0]["review_status"] == "needs_review"

    officer = h.auth("officer")
    listed = h.client.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=officer).json()
    ids = [d["id"] for d in listed["documents"]]
    expected = [plain, second, first]
    assert ids == [c["documents"][0]["id"] for c in expected]
    by_type = h.client.get(
        f"/api/v1/citizens/{CITIZEN}/documents?doc_type=birth_certificate", headers=officer
    ).json()["documents"]
    assert [d["id"] for d in by_type] == [second["documents"][0]["id"], first["documents"][0]["id"]]


def test_clerk_corrects_and_approves_officer_reuses(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    doc = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=7)).json()["id"])[
        "documents"
    ][0]
    clerk, officer = h.auth("clerk", "lan"), h.auth("officer")
    patched = h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"full_name": "Nguyễn Thị Minh Hà"}},
        headers=clerk,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["fields"]["full_name"] == "Nguyễn Thị Minh Hà"
    correction = body["corrected_fields"]["full_name"]
    assert correction["original"] == "Nguyễn Thị Minh Hằng" and correction["by"] == "lan"
    assert body["review_status"] == "needs_review"
    # officers may not correct; malformed bodies are refused
    assert (
        h.client.patch(
            f"/api/v1/documents/{doc['id']}", json={"fields": {"x": "y"}}, headers=officer
        ).status_code
        == 403
    )
    assert (
        h.client.patch(
            f"/api/v1/documents/{doc['id']}", json={"fields": {}}, headers=clerk
        ).status_code
        == 422
    )

    approved = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=clerk)
    assert approved.status_code == 200 and approved.json()["review_status"] == "approved"
    assert h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=clerk).status_code == 409

    new_dossier = h.open_dossier()
    reuse = h.client.post(
        f"/api/v1/documents/{doc['id']}/reuse", json={"dossier_id": new_dossier}, headers=officer
    )
    assert reuse.status_code == 201 and reuse.json()["dossier_id"] == new_dossier
    assert (
        h.client.post(
            f"/api/v1/documents/{doc['id']}/reuse", json={"dossier_id": "nope"}, headers=officer
        ).status_code
        == 404
    )
    assert (
        h.client.post(
            f"/api/v1/documents/{doc['id']}/reuse",
            json={"dossier_id": new_dossier},
            headers=h.auth("citizen"),
        ).status_code
        == 404
    )
    reuses = h.client.get(f"/api/v1/documents/{doc['id']}/reuses", headers=h.auth("citizen"))
    assert [e["dossier_id"] for e in reuses.json()["reuses"]] == [new_dossier]


def test_bad_input_is_refused_with_json_errors_and_nothing_stored(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    clerk = h.auth("clerk")
    components_before, objects_before = _count(h, Component), _objects(h)

    cases = [
        (h.upload(dossier, "scan.png", b"GIF89a not a scan at all"), 415, "unsupported_file"),
        (h.upload(dossier, "scan.jpg", b"x" * 300_000), 413, "file_too_large"),
        (h.upload(dossier, "empty.png", b""), 422, "empty_file"),
        (h.upload("no-such-dossier", "scan.png", png_bytes()), 404, "not_found"),
        (
            h.client.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"other": ("x.png", png_bytes(), "image/png")},
                headers=clerk,
            ),
            422,
            "invalid_input",
        ),
        (
            h.client.post(
                f"/api/v1/dossiers/{dossier}/components", json={"file": "x"}, headers=clerk
            ),
            422,
            "invalid_input",
        ),
        (
            h.client.post(
                "/api/v1/dossiers",
                content=b'{"procedure_code": "1",',
                headers={**clerk, "Content-Type": "application/json"},
            ),
            422,
            "invalid_input",
        ),
        (
            h.client.post(
                "/api/v1/dossiers",
                json={"procedure_code": "1", "citizen_id_number": "12345"},
                headers=clerk,
            ),
            422,
            "invalid_input",
        ),
        (h.client.get("/api/v1/no/such/route", headers=clerk), 404, "not_found"),
        (h.client.get("/api/v1/components/nope", headers=clerk), 404, "not_found"),
        (h.client.get("/api/v1/me"), 401, "unauthenticated"),
        (
            h.client.get("/api/v1/me", headers={"Authorization": "Bearer x.y.z"}),
            401,
            "unauthenticated",
        ),
        (
            h.client.post(
                f"/api/v1/dossiers/{dossier}/components",
                headers=h.auth("officer"),
                files={"file": ("a.png", png_bytes(), "image/png")},
            ),
            403,
            "forbidden",
        ),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] == code, response.text
        assert response.json()["error"]["message"]
    assert _count(h, Component) == components_before
    assert _objects(h) == objects_before
    assert not list((h.settings.data_dir / "tmp").glob("upload-*"))  # temp files cleaned up


def test_failures_are_visible_and_retry_requeues(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    permanent = h.wait(h.upload(dossier, "fail-permanent.png", png_bytes(seed=8)).json()["id"])
    assert permanent["status"] == "failed"
    assert permanent["error"]["code"] == "corrupt_file"
    assert permanent["error"]["retryable"] is False
    assert permanent["attempts"] == 1  # not retried

    retryable = h.wait(h.upload(dossier, "fail-retryable.png", png_bytes(seed=9)).json()["id"])
    assert retryable["status"] == "failed" and retryable["error"]["retryable"] is True
    assert retryable["attempts"] == 3  # 1 + job_max_retries

    flaky = h.wait(h.upload(dossier, "flaky.png", png_bytes(seed=10)).json()["id"])
    assert flaky["status"] == "done" and flaky["attempts"] == 2 and len(flaky["documents"]) == 1

    # retry: only failed components; it re-queues and the job runs again
    clerk = h.auth("clerk")
    assert (
        h.client.post(f"/api/v1/components/{flaky['id']}/retry", headers=clerk).status_code == 409
    )
    r = h.client.post(f"/api/v1/components/{permanent['id']}/retry", headers=clerk)
    assert r.status_code == 202 and r.json()["status"] == "queued"
    again = h.wait(permanent["id"])
    assert again["status"] == "failed" and again["attempts"] == 2


def test_storage_down_answers_503_and_records_nothing(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier()
    before = _count(h, Component)
    objects = h.settings.objects_dir
    shutil.rmtree(objects, ignore_errors=True)
    objects.write_bytes(b"not a folder")  # the store cannot write (root ignores chmod)
    try:
        r = h.upload(dossier, "scan.png", png_bytes(seed=11))
    finally:
        objects.unlink()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "storage_unavailable"
    assert _count(h, Component) == before


def test_openapi_and_me(embedded: Harness) -> None:
    h = embedded
    spec = h.client.get("/openapi.json").json()
    for path in (
        "/api/v1/dossiers",
        "/api/v1/dossiers/{dossier_id}/components",
        "/api/v1/dossiers/{dossier_id}",
        "/api/v1/citizens/{id_number}/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/file",
    ):
        assert path in spec["paths"], path
    upload = spec["paths"]["/api/v1/dossiers/{dossier_id}/components"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    me = h.client.get("/api/v1/me", headers=h.auth("officer", "hoa"))
    assert me.json() == {"role": "officer", "subject": "hoa"}
    assert me.headers["X-Request-ID"]


def test_cookie_token_opens_files_but_not_writes(embedded: Harness) -> None:
    h = embedded
    token = h.auth("clerk")["Authorization"].split()[1]
    h.client.cookies.set("sohoa_token", token)
    try:
        assert h.client.get("/api/v1/me").status_code == 200
        r = h.client.post(
            "/api/v1/dossiers", json={"procedure_code": "1", "citizen_id_number": CITIZEN}
        )
        assert r.status_code == 401
    finally:
        h.client.cookies.clear()


@pytest.mark.parametrize("role", ["officer", "citizen", "admin"])
def test_only_clerks_open_dossiers(embedded: Harness, role: str) -> None:
    r = embedded.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1", "citizen_id_number": CITIZEN},
        headers=embedded.auth(role),
    )
    assert r.status_code == (404 if role == "citizen" else 403)


def test_documents_are_registered_once(embedded: Harness) -> None:
    """Running the job again for a done component registers nothing twice."""
    from workers.jobs import get_context, run_component

    h = embedded
    comp = h.wait(h.upload(h.open_dossier(), f"x_{CITIZEN}.png", png_bytes(seed=12)).json()["id"])
    before = _count(h, RegisteredDocument)
    ctx = get_context()
    with session_scope(h.settings.effective_database_url) as s:
        s.get(Component, comp["id"]).status = "processing"  # as if a worker died mid-way
    assert run_component(comp["id"], ctx=ctx) == "done"
    assert run_component(comp["id"], ctx=ctx) == "done"
    assert _count(h, RegisteredDocument) == before


def test_a_component_stuck_in_processing_can_be_retried(embedded: Harness) -> None:
    """A worker killed mid-job leaves ``processing`` behind; after 2× the time limit, retry."""
    from datetime import timedelta

    from storage.models import utcnow

    h = embedded
    comp = h.wait(h.upload(h.open_dossier(), "don.png", png_bytes(seed=13)).json()["id"])
    clerk = h.auth("clerk")
    with session_scope(h.settings.effective_database_url) as s:
        row = s.get(Component, comp["id"])
        row.status = "processing"
        row.updated_at = utcnow()
    assert h.client.post(f"/api/v1/components/{comp['id']}/retry", headers=clerk).status_code == 409
    with session_scope(h.settings.effective_database_url) as s:
        row = s.get(Component, comp["id"])
        row.updated_at = utcnow() - timedelta(seconds=3 * h.settings.job_timeout_seconds)
    assert h.client.post(f"/api/v1/components/{comp['id']}/retry", headers=clerk).status_code == 202
    again = h.wait(comp["id"])
    assert again["status"] == "done" and len(again["documents"]) == 1  # nothing registered twice


def test_queue_down_keeps_the_scan_and_shows_a_retryable_failure(
    embedded_settings: Settings,
) -> None:
    """Redis unreachable: 503, but the stored scan is recorded so the clerk can retry."""
    from fastapi.testclient import TestClient

    from ocr_service.api import create_app
    from tests.api.service_env import free_port

    settings = embedded_settings.model_copy(
        update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"}
    )
    with TestClient(create_app(settings, extractor="workers.faults:extract")) as client:
        h = Harness(client=client, settings=settings)
        r = h.upload(h.open_dossier(), "scan.png", png_bytes(seed=14))
        assert r.status_code == 503 and r.json()["error"]["code"] == "queue_unavailable"
        component_id = r.json()["error"]["details"]["component_id"]
        comp = client.get(f"/api/v1/components/{component_id}", headers=h.auth("clerk")).json()
        assert comp["status"] == "failed" and comp["error"]["retryable"] is True
        assert (settings.objects_dir / "scans" / comp["sha256"]).is_file()


def test_phone_photos_in_webp_and_heic_are_taken_like_jpeg(embedded: Harness) -> None:
    """Photos as phones send them: WebP and HEIC are accepted, stored and processed."""
    import io

    from PIL import Image
    from pillow_heif import from_pillow

    h = embedded
    dossier = h.open_dossier()
    page = Image.open(io.BytesIO(png_bytes(seed=4242))).convert("RGB")
    webp, heic = io.BytesIO(), io.BytesIO()
    page.save(webp, format="WEBP", quality=95)
    from_pillow(page).save(heic, format="HEIF", quality=90)
    for name, data in (("anh.webp", webp.getvalue()), ("IMG_0001.HEIC", heic.getvalue())):
        r = h.upload(dossier, name, data)
        assert r.status_code == 202, r.text
        done = h.wait(r.json()["id"])
        assert done["status"] == "done", done
        assert done["content_type"] in ("image/webp", "image/heic"), done
