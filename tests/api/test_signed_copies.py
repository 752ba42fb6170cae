"""Approval signs the digitized copy; every read checks it (issue #15, wired into the counter flow).

On the embedded app with the fake pipeline: a dossier gets its national code, approving a
document stores a signed PDF/A copy carrying the QR code, reads verify it, a byte flipped in
the store makes it invalid (not reusable, audited), a certificate that may not sign refuses
the approval with nothing recorded, a missing token leaves it approved-but-pending until
``POST /documents/{id}/sign``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from core.errors import StorageUnavailableError
from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.copies import pki
from ocr_service.copies.codes import parse_dossier_code, receipt_day
from ocr_service.copies.qr import QrPayload
from ocr_service.copies.signing import SignatureState, trust_from_settings, verify_copy
from storage.db import session_scope
from storage.models import AuditEvent, Dossier, RegisteredDocument, ReuseEvent
from storage.objects import LocalObjectStore, ObjectInfo, sha256_hex
from storage.repository import create_dossier
from tests.api.service_env import CITIZEN, Harness, png_bytes
from tests.ocr_service.copies.copy_kit import decode_qr, rasterise

PASSWORD = "mat-khau-thu"


@contextmanager
def harness(settings: Settings) -> Iterator[Harness]:
    app = create_app(settings, extractor="workers.faults:extract", backoff=[0])
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings)


def _document(h: Harness, dossier: str | None = None, seed: int = 1) -> dict[str, Any]:
    """A birth certificate registered from an A4 page scanned at 150 dpi (fake pipeline)."""
    dossier = dossier or h.open_dossier()
    r = h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(1240, 1754, seed=seed))
    assert r.status_code == 202, r.text
    component = h.wait(r.json()["id"])
    [doc] = component["documents"]
    return dict(doc)


def _row(h: Harness, document_id: str) -> RegisteredDocument:
    with session_scope(h.settings.effective_database_url) as s:
        row = s.get(RegisteredDocument, document_id)
        assert row is not None
        s.expunge(row)
        return row


def _audit(h: Harness, action: str, document_id: str) -> list[AuditEvent]:
    with session_scope(h.settings.effective_database_url) as s:
        rows = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == action, AuditEvent.document_id == document_id
            )
        ).all()
        for row in rows:
            s.expunge(row)
        return list(rows)


def _copies(h: Harness) -> list[Path]:
    root = h.settings.objects_dir / "copies"
    return sorted(root.iterdir()) if root.exists() else []


def _qr_of(pdf: bytes) -> dict[str, Any]:
    [text] = decode_qr(rasterise(pdf, 0, dpi=200))
    decoded: dict[str, Any] = json.loads(text)
    return decoded


# --- the dossier code -----------------------------------------------------------------------


def test_a_dossier_gets_the_national_code_and_is_found_by_it_or_by_its_id(
    embedded: Harness,
) -> None:
    h, clerk = embedded, embedded.auth("clerk")
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    first = h.client.post("/api/v1/dossiers", json=body, headers=clerk).json()
    second = h.client.post("/api/v1/dossiers", json=body, headers=clerk).json()
    for dossier, number in ((first, 1), (second, 2)):
        code = parse_dossier_code(dossier["code"])  # V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX
        assert code.agency_code == h.settings.agency_code == "000.00.00.Z99"
        assert code.received_on == receipt_day(datetime.now(UTC))  # the day in Vietnam
        assert code.sequence == number
        assert dossier["code"].endswith(f"-{number:04d}")
    # found by code and by id; both give the same dossier
    by_code = h.client.get(f"/api/v1/dossiers/{first['code']}", headers=clerk)
    by_id = h.client.get(f"/api/v1/dossiers/{first['id']}", headers=clerk)
    assert by_code.status_code == by_id.status_code == 200
    assert by_code.json()["id"] == first["id"] and by_id.json()["code"] == first["code"]
    assert h.client.get(f"/api/v1/dossiers/{first['code']}9", headers=clerk).status_code == 404
    # the code serves where the id did: uploading into it, reusing for it
    doc = _document(h, first["code"])
    assert doc["dossier_id"] == first["id"]
    reuse = h.client.post(
        f"/api/v1/documents/{doc['id']}/reuse",
        json={"dossier_id": second["code"]},
        headers=h.auth("officer"),
    )
    assert reuse.status_code == 201 and reuse.json()["dossier_id"] == second["id"]
    # a dossier opened before codes keeps code null and resolves by its id
    with session_scope(h.settings.effective_database_url) as s:
        old = create_dossier(
            s, procedure_code="1.001612", citizen_id_number=CITIZEN, created_by="old"
        ).id
    listed = h.client.get(f"/api/v1/dossiers/{old}", headers=clerk).json()
    assert listed["id"] == old and listed["code"] is None
    with session_scope(h.settings.effective_database_url) as s:
        codes = s.scalars(select(Dossier.code).where(Dossier.code.is_not(None))).all()
    assert sorted(codes) == sorted([first["code"], second["code"]])


# --- approval signs the copy ----------------------------------------------------------------


def test_approval_stores_a_signed_pdfa_copy_with_the_qr_code(embedded: Harness) -> None:
    h = embedded
    dossier = h.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "dang-ky-khai-sinh", "citizen_id_number": CITIZEN},
        headers=h.auth("clerk"),
    ).json()
    doc = _document(h, dossier["id"])
    assert doc["signature"]["status"] == "unsigned" and doc["qr_url"] is None
    unsigned_pdf = h.client.get(doc["file_url"], headers=h.auth("officer")).content
    before = _row(h, doc["id"])

    r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text
    approved = r.json()
    signature = approved["signature"]
    assert approved["review_status"] == "approved" and approved["approved_by"] == "lan"
    assert signature["status"] == "valid", signature
    assert signature["signer"] == "Cán bộ một cửa (demo)" and signature["signed_by"] == "lan"
    assert signature["signed_at"] and approved["qr_url"].endswith(f"/documents/{doc['id']}/qr")

    row = _row(h, doc["id"])
    assert row.signed_pdf_key and row.signed_pdf_key.startswith("copies/")
    assert row.pdf_key == before.pdf_key  # the searchable PDF is kept, never overwritten
    assert row.pdf_key is not None
    stored_unsigned = (h.settings.objects_dir / row.pdf_key).read_bytes()
    assert stored_unsigned == unsigned_pdf and sha256_hex(stored_unsigned) in row.pdf_key
    signed_path = h.settings.objects_dir / row.signed_pdf_key
    assert sha256_hex(signed_path.read_bytes()) == row.signed_pdf_key.split("/")[1]

    # the document's PDF is now the signed copy, which pyHanko validates
    served = h.client.get(doc["file_url"], headers=h.auth("citizen"))
    assert served.status_code == 200 and served.headers["x-signature-status"] == "valid"
    assert served.content == signed_path.read_bytes()
    status = verify_copy(served.content, trust_from_settings(h.settings))
    assert status.state is SignatureState.VALID and status.signer == "Cán bộ một cửa (demo)"
    # PDF/A-2b, the scan kept, the invisible text layer kept
    with pikepdf.open(io.BytesIO(served.content)) as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        assert b"pdfaid" in xmp and (b"<pdfaid:part>2" in xmp or b'pdfaid:part="2"' in xmp)
        assert "/OutputIntents" in pdf.Root
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(served.content)[0].get_textpage().get_text_range()
    assert "Trang 1" in text
    # the QR code in the upper left of page 1: the Circular's data and nothing more
    qr = _qr_of(served.content)
    assert qr == {
        "ma_ho_so": dossier["code"],
        "ma_tthc": "dang-ky-khai-sinh",
        "ma_dinh_danh": CITIZEN,
        "ten_giay_to": "Giấy khai sinh",
        "he_thong": "sohoa",
        "thoi_diem_xuat_ban": qr["thoi_diem_xuat_ban"],
    }
    assert qr["thoi_diem_xuat_ban"].endswith("+07:00")
    # ... and the same symbol on screen
    svg = h.client.get(approved["qr_url"], headers=h.auth("citizen"))
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    assert QrPayload.decode(json.dumps(qr)).dossier_code == dossier["code"]

    # every read checks it now
    read = h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("officer")).json()
    assert read["signature"]["status"] == "valid" and read["signature"]["checked_at"]
    audit = _audit(h, "document.approve", doc["id"])
    assert audit and audit[0].detail["signature"] == "valid"


def test_a_flipped_byte_makes_the_copy_invalid_unreusable_and_audited(embedded: Harness) -> None:
    h = embedded
    doc = _document(h)
    clerk, officer = h.auth("clerk"), h.auth("officer")
    assert h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=clerk).status_code == 200
    reuse_into = h.open_dossier()
    reused = h.client.post(
        f"/api/v1/documents/{doc['id']}/reuse", json={"dossier_id": reuse_into}, headers=officer
    )
    assert reused.status_code == 201  # intact: reusable

    row = _row(h, doc["id"])
    assert row.signed_pdf_key
    path = h.settings.objects_dir / row.signed_pdf_key
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte, in the middle of the file
    path.write_bytes(bytes(data))

    read = h.client.get(f"/api/v1/documents/{doc['id']}", headers=officer).json()
    assert read["signature"]["status"] == "invalid"
    assert "không hợp lệ" in read["signature"]["message"]
    served = h.client.get(doc["file_url"], headers=officer)
    assert served.headers["x-signature-status"] == "invalid"
    refused = h.client.post(
        f"/api/v1/documents/{doc['id']}/reuse", json={"dossier_id": reuse_into}, headers=officer
    )
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "conflict" and "không được sử dụng lại" in error["message"]
    with session_scope(h.settings.effective_database_url) as s:
        reuses = s.scalars(select(ReuseEvent).where(ReuseEvent.document_id == doc["id"])).all()
        assert len(reuses) == 1  # the refused reuse recorded nothing
    # the event is audited at each read that found it, the refused reuse too
    events = _audit(h, "document.signature_invalid", doc["id"])
    assert len(events) >= 3
    assert {e.actor for e in events} == {"officer-1"}
    assert all(e.citizen_id_number == CITIZEN for e in events)
    assert events[0].detail["signed_pdf_key"] == row.signed_pdf_key
    # what was found is kept on the document: the dossier view (which does not re-read
    # the copy) and the clerk's review say it too
    dossier = h.client.get(f"/api/v1/dossiers/{doc['dossier_id']}", headers=clerk).json()
    [listed] = [d for c in dossier["components"] for d in c["documents"]]
    assert listed["signature"]["status"] == "invalid"
    component = h.client.get(f"/api/v1/components/{doc['component_id']}", headers=clerk).json()
    assert component["documents"][0]["signature"]["status"] == "invalid"
    # put back, it is valid again (the hash matches, the verdict is pyHanko's)
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    again = h.client.get(f"/api/v1/documents/{doc['id']}", headers=officer).json()
    assert again["signature"]["status"] == "valid"


# --- refusals: nothing recorded -------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo CA with its signers: good, expired, revoked; another CA's; CRL listing the
    revoked one."""
    folder = tmp_path_factory.mktemp("odd-pki")
    ca, other = pki.new_ca(), pki.new_ca("another CA", organization="Khác")
    long_ago = datetime.now(UTC) - timedelta(days=800)
    signers = {
        "good": pki.issue(ca, "Nguyễn Thị Lan"),
        "expired": pki.issue(ca, "Trần Văn Cũ", not_before=long_ago, days=365),
        "revoked": pki.issue(ca, "Lê Văn Thu Hồi"),
        "untrusted": pki.issue(other, "Người Lạ"),
    }
    paths = {}
    for name, issued in signers.items():
        chain = [(other if name == "untrusted" else ca).cert]
        paths[name] = folder / f"{name}.p12"
        paths[name].write_bytes(pki.pkcs12_bytes(issued, chain, PASSWORD, name=name))
    (folder / "ca.pem").write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    crl = pki.make_crl(ca, [signers["revoked"].cert])
    (folder / "crl.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return {"folder": folder, "p12": paths}


def _settings(tmp_path: Path, odd_pki: dict[str, Any], **signing: Any) -> Settings:
    folder = odd_pki["folder"]
    return Settings(
        data_dir=tmp_path / "data",
        signing_trust_roots=folder / "ca.pem",
        signing_crls=[folder / "crl.pem"],
        **signing,
    )


@pytest.mark.parametrize(
    ("signer", "password", "code", "words"),
    [
        ("expired", PASSWORD, "signing_certificate_expired", "đã hết hạn"),
        ("revoked", PASSWORD, "signing_certificate_revoked", "đã bị thu hồi"),
        ("untrusted", PASSWORD, "signing_certificate_untrusted", "không do tổ chức chứng thực"),
        ("good", "sai-mat-khau", "signing_pin_refused", "Mã PIN"),
    ],
)
def test_a_certificate_that_may_not_sign_refuses_the_approval_and_records_nothing(
    tmp_path: Path, odd_pki: dict[str, Any], signer: str, password: str, code: str, words: str
) -> None:
    settings = _settings(
        tmp_path,
        odd_pki,
        signing_backend="pkcs12",
        signing_pkcs12_path=odd_pki["p12"][signer],
        signing_pkcs12_password=SecretStr(password),
    )
    with harness(settings) as h:
        doc = _document(h)
        before = _row(h, doc["id"])
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == code and words in error["message"], error
        row = _row(h, doc["id"])
        assert (row.review_status, row.approved_by, row.approved_at) == (
            before.review_status,
            None,
            None,
        )
        assert row.review_status != "approved"
        assert (row.signed_pdf_key, row.signed_at, row.signed_by, row.signature) == (
            None,
            None,
            None,
            None,
        )
        assert _copies(h) == []  # no half-signed copy stored
        assert _audit(h, "document.approve", doc["id"]) == []
        read = h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("clerk")).json()
        assert read["review_status"] != "approved"
        assert read["signature"]["status"] == "unsigned"
    # the good certificate with its password signs (the refusals were the certificates')
    good = _settings(
        tmp_path / "ok",
        odd_pki,
        signing_backend="pkcs12",
        signing_pkcs12_path=odd_pki["p12"]["good"],
        signing_pkcs12_password=SecretStr(PASSWORD),
    )
    with harness(good) as h:
        doc = _document(h)
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
        assert r.status_code == 200 and r.json()["signature"]["status"] == "valid", r.text


def test_approving_all_verified_with_a_certificate_that_may_not_sign_records_nothing(
    tmp_path: Path, odd_pki: dict[str, Any]
) -> None:
    """Approve all verified (issue 16 item 4) is one transaction: the first refusal of the
    certificate leaves every document as it was, nothing signed, nothing audited."""
    settings = _settings(
        tmp_path,
        odd_pki,
        signing_backend="pkcs12",
        signing_pkcs12_path=odd_pki["p12"]["expired"],
        signing_pkcs12_password=SecretStr(PASSWORD),
    )
    with harness(settings) as h:
        dossier = h.open_dossier()
        docs = [_document(h, dossier, seed=seed) for seed in (71, 72)]
        r = h.client.post(f"/api/v1/dossiers/{dossier}/approve-verified", headers=h.auth("clerk"))
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "signing_certificate_expired"
        for doc in docs:
            row = _row(h, doc["id"])
            assert (row.review_status, row.approved_by, row.signed_pdf_key) == (
                "verified",
                None,
                None,
            )
            assert _audit(h, "document.approve", doc["id"]) == []
        assert _copies(h) == []


def test_a_missing_token_leaves_it_approved_pending_until_signed_again(
    tmp_path: Path, odd_pki: dict[str, Any]
) -> None:
    token = {
        "signing_backend": "pkcs11",
        "signing_pkcs11_module": tmp_path / "no-such" / "libtoken.so",  # the token is not there
        "signing_pkcs11_token_label": "sohoa",
        "signing_pkcs11_pin": SecretStr("246810"),
        "signing_pkcs11_key_label": "clerk",
    }
    settings = _settings(tmp_path, odd_pki, **token)
    with harness(settings) as h:
        clerk = h.auth("clerk", "lan")
        doc = _document(h)
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=clerk)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["review_status"] == "approved"
        assert body["signature"]["status"] == "pending"
        assert body["signature"]["code"] == "signing_unavailable"
        assert "chưa ký" in body["signature"]["message"]
        assert _copies(h) == [] and _row(h, doc["id"]).signed_pdf_key is None
        # visible in the clerk's queue and on the document; its PDF is the searchable one
        queue = h.client.get("/api/v1/dossiers", headers=clerk).json()["dossiers"]
        listed = [d for x in queue for c in x["components"] for d in c["documents"]]
        assert [d["signature"]["status"] for d in listed if d["id"] == doc["id"]] == ["pending"]
        pdf = h.client.get(doc["file_url"], headers=clerk)
        assert pdf.headers["x-signature-status"] == "pending" and pdf.content.startswith(b"%PDF")
        # retrying while the token is still missing: the same error, still pending
        retry = h.client.post(f"/api/v1/documents/{doc['id']}/sign", headers=clerk)
        assert retry.status_code == 503 and retry.json()["error"]["code"] == "signing_unavailable"
        assert _row(h, doc["id"]).signature["status"] == "pending"  # type: ignore[index]
        # the token back (here: the agency's PKCS#12 configured): the retry signs
        h.client.app.state.settings = _settings(  # type: ignore[attr-defined]
            tmp_path,
            odd_pki,
            signing_backend="pkcs12",
            signing_pkcs12_path=odd_pki["p12"]["good"],
            signing_pkcs12_password=SecretStr(PASSWORD),
        )
        signed = h.client.post(f"/api/v1/documents/{doc['id']}/sign", headers=clerk)
        assert signed.status_code == 200, signed.text
        assert signed.json()["signature"]["status"] == "valid"
        assert signed.json()["signature"]["signed_by"] == "lan"
        again = h.client.post(f"/api/v1/documents/{doc['id']}/sign", headers=clerk)
        assert again.status_code == 409  # signed once, never re-signed
        assert [e.detail["signature"] for e in _audit(h, "document.sign", doc["id"])] == [
            "pending",
            "valid",
        ]
        served = h.client.get(doc["file_url"], headers=clerk)
        status = verify_copy(served.content, trust_from_settings(h.client.app.state.settings))  # type: ignore[attr-defined]
        assert status.state is SignatureState.VALID
        assert _qr_of(served.content)["ma_dinh_danh"] == CITIZEN


def test_without_a_signer_approval_is_as_before_and_says_unsigned(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert settings.signing_backend == "none"
    with harness(settings) as h:
        doc = _document(h)
        unsigned_pdf = h.client.get(doc["file_url"], headers=h.auth("clerk")).content
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
        assert r.status_code == 200 and r.json()["review_status"] == "approved"
        signature = r.json()["signature"]
        assert signature["status"] == "unsigned"
        assert signature["code"] == "signing_not_configured"
        assert "Chưa cấu hình chữ ký số" in signature["message"]
        assert h.client.get(doc["file_url"], headers=h.auth("clerk")).content == unsigned_pdf
        assert _copies(h) == []


def test_clerk_mode_signs_with_the_approving_clerks_own_certificate(
    tmp_path: Path, odd_pki: dict[str, Any]
) -> None:
    folder = tmp_path / "clerks"
    folder.mkdir()
    (folder / "lan.p12").write_bytes(odd_pki["p12"]["good"].read_bytes())
    settings = _settings(
        tmp_path,
        odd_pki,
        signing_signer="clerk",
        signing_clerk_pkcs12_dir=folder,
        signing_clerk_pkcs12_passwords={"lan": SecretStr(PASSWORD)},
    )
    with harness(settings) as h:
        doc = _document(h, seed=1)
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk", "lan"))
        assert r.status_code == 200, r.text
        assert r.json()["signature"]["status"] == "valid"
        assert r.json()["signature"]["signer"] == "Nguyễn Thị Lan"
        # a clerk without a certificate: approved, pending, told what to install
        other = _document(h, seed=2)
        r = h.client.post(
            f"/api/v1/documents/{other['id']}/approve", headers=h.auth("clerk", "minh")
        )
        assert r.status_code == 200 and r.json()["signature"]["status"] == "pending"
        assert "minh" in r.json()["signature"]["message"]


class _StoreRefusingCopies(LocalObjectStore):
    """The object store goes down just when the signed copy is to be written."""

    def put(self, key: str, data: bytes | Path, *, sha256: str) -> ObjectInfo:
        if key.startswith("copies/"):
            raise StorageUnavailableError()
        return super().put(key, data, sha256=sha256)


def test_a_store_down_when_the_signed_copy_is_written_records_nothing(
    tmp_path: Path, signing_settings: dict[str, Any]
) -> None:
    settings = Settings(data_dir=tmp_path / "data", **signing_settings)
    app = create_app(
        settings,
        store=_StoreRefusingCopies(settings.objects_dir),
        extractor="workers.faults:extract",
        backoff=[0],
    )
    with TestClient(app) as client:
        h = Harness(client=client, settings=settings)
        doc = _document(h)
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
        assert r.status_code == 503 and r.json()["error"]["code"] == "storage_unavailable"
        row = _row(h, doc["id"])
        assert row.review_status != "approved" and row.signed_pdf_key is None
        assert row.signature is None and _audit(h, "document.approve", doc["id"]) == []


def test_the_file_served_is_the_signed_copy_as_checked_read_once(
    embedded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy is read from the store once per request: the bytes verified are the bytes
    sent, with no window between the check and the send."""
    h = embedded
    doc = _document(h, seed=77)
    clerk = h.auth("clerk")
    assert h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=clerk).status_code == 200
    key = _row(h, doc["id"]).signed_pdf_key
    assert key
    store = h.client.app.state.store  # type: ignore[attr-defined]
    reads: list[str] = []
    real_get = store.get

    def counting_get(k: str) -> bytes:
        reads.append(k)
        return bytes(real_get(k))

    monkeypatch.setattr(store, "get", counting_get)
    served = h.client.get(doc["file_url"], headers=clerk)
    assert served.status_code == 200 and served.headers["x-signature-status"] == "valid"
    assert reads.count(key) == 1, reads
    assert served.content == (h.settings.objects_dir / key).read_bytes()
