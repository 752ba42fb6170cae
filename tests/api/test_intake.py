"""Intake starts from the citizen (issue 16 item 2): the register's name and date of birth,
the id number's structure as warnings, the card's QR code as text or as a photo."""

from __future__ import annotations

import io
from typing import Any

import segno

from core.records import PersonRecord
from storage.population import open_register
from tests.api.service_env import Harness
from tests.hostile.corpus import good_png

WOMAN_1992 = "001192012345"  # Hà Nội, digit 1: female, 1900s, year 92
NAME = "Trần Thị Thử Nghiệm"
CARD_TEXT = f"{WOMAN_1992}||{NAME}|04031992|Nữ|Số 1 phố Thử, Hà Nội|15082021"


def _register(h: Harness, *people: PersonRecord) -> None:
    open_register(h.settings).upsert(list(people))


def _audit(h: Harness, citizen: str) -> list[dict[str, Any]]:
    r = h.client.get(f"/api/v1/audit?citizen_id_number={citizen}", headers=h.auth("admin"))
    assert r.status_code == 200
    return [e for e in r.json()["events"] if e["action"] == "citizen.register"]


def test_the_register_answers_name_and_date_of_birth_and_is_audited(embedded: Harness) -> None:
    h = embedded
    _register(h, PersonRecord(WOMAN_1992, NAME, "1992-03-04", "female"))
    r = h.client.get(f"/api/v1/citizens/{WOMAN_1992}/register", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["found"] is True
    assert body["person"] == {"full_name": NAME, "date_of_birth": "1992-03-04", "sex": "female"}
    assert body["structure"]["province"] == "Hà Nội"
    assert body["structure"]["birth_year"] == 1992 and body["structure"]["findings"] == []
    [row] = _audit(h, WOMAN_1992)
    assert row["actor"] == "lan" and row["detail"]["found"] is True


def test_a_structure_finding_is_a_warning_not_a_refusal(embedded: Harness) -> None:
    h = embedded
    # the register holds a man born 2005 under a number whose digit 4 says 1900s, female
    wrong = "003105000111"
    _register(h, PersonRecord(wrong, "Lê Văn Mẫu", "2005-01-01", "male"))
    r = h.client.get(f"/api/v1/citizens/{wrong}/register", headers=h.auth("clerk"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["found"] is True and body["person"]["full_name"] == "Lê Văn Mẫu"
    codes = [f["code"] for f in body["structure"]["findings"]]
    assert codes == ["unknown_province", "century_mismatch", "sex_mismatch"]
    assert all(f["message"] for f in body["structure"]["findings"])
    [row] = _audit(h, wrong)
    assert row["detail"]["findings"] == codes
    # nothing was stored for the citizen: no dossier opened
    r = h.client.get("/api/v1/dossiers", headers=h.auth("clerk"))
    assert r.json()["dossiers"] == []


def test_a_number_not_in_the_register(embedded: Harness) -> None:
    h = embedded
    r = h.client.get(f"/api/v1/citizens/{WOMAN_1992}/register", headers=h.auth("clerk"))
    assert r.status_code == 200
    assert r.json()["found"] is False and r.json()["person"] is None
    assert len(_audit(h, WOMAN_1992)) == 1  # a lookup that finds nothing is a read too


def test_who_may_ask_the_register(embedded: Harness) -> None:
    h = embedded
    url = f"/api/v1/citizens/{WOMAN_1992}/register"
    assert h.client.get(url, headers=h.auth("officer")).status_code == 403
    assert h.client.get(url, headers=h.auth("admin")).status_code == 403
    assert h.client.get(url, headers=h.auth("citizen", WOMAN_1992)).status_code == 404
    assert h.client.get(url).status_code == 401
    for bad in ("00119201234", "00119201234x", "００１192012345"):
        r = h.client.get(f"/api/v1/citizens/{bad}/register", headers=h.auth("clerk"))
        assert r.status_code == 422, (bad, r.text)


def test_the_card_qr_text(embedded: Harness) -> None:
    h = embedded
    r = h.client.post(
        "/api/v1/citizens/card-qr", json={"payload": CARD_TEXT}, headers=h.auth("clerk")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["card"]["id_number"] == WOMAN_1992 and body["card"]["full_name"] == NAME
    assert body["card"]["date_of_birth"] == "1992-03-04" and body["card"]["sex"] == "female"
    assert body["structure"]["findings"] == []
    # the card's own date of birth against its number
    r = h.client.post(
        "/api/v1/citizens/card-qr",
        json={"payload": CARD_TEXT.replace("04031992", "04032002")},
        headers=h.auth("clerk"),
    )
    assert [f["code"] for f in r.json()["structure"]["findings"]] == ["century_mismatch"]
    for bad in ("hello", "12|34", "x" * 2001):
        r = h.client.post(
            "/api/v1/citizens/card-qr", json={"payload": bad}, headers=h.auth("clerk")
        )
        assert r.status_code == 422 and r.json()["error"]["message"], bad
    r = h.client.post(
        "/api/v1/citizens/card-qr", json={"payload": CARD_TEXT}, headers=h.auth("officer")
    )
    assert r.status_code == 403


def _qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def test_the_card_qr_photo_is_decoded_on_the_server(embedded: Harness) -> None:
    h = embedded
    r = h.client.post(
        "/api/v1/citizens/card-qr/photo",
        files={"file": ("the.png", _qr_png(CARD_TEXT), "image/png")},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["card"]["full_name"] == NAME
    # a photo without a QR code: a message saying so
    r = h.client.post(
        "/api/v1/citizens/card-qr/photo",
        files={"file": ("the.png", good_png(seed=3), "image/png")},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 422 and "QR" in r.json()["error"]["message"]
    # not an image
    r = h.client.post(
        "/api/v1/citizens/card-qr/photo",
        files={"file": ("the.txt", b"plain text, not a photo", "text/plain")},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 415, r.text
