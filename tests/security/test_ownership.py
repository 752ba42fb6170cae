"""Ownership by verified identity, not by what the OCR read (issue #17, item 1).

A clerk opens a dossier for citizen A and uploads a paper that prints B's id number (a
misread digit, a planted page, or A's child's birth certificate). Before: it went into B's
store and B saw it at once, even while it needed review with a register mismatch. Now: the
dossier's citizen is confirmed by intake; anyone else the paper names is linked unconfirmed,
staff-only, until a clerk confirms how they relate to the dossier's citizen; and a citizen
sees only approved documents of which they are a confirmed subject.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.records import ExtractionResult, Verification
from core.settings import Settings
from ocr_service.api import create_app
from tests.api.service_env import Harness, png_bytes
from workers.faults import extract as fault_extract

CITIZEN_A = "001192012345"
CITIZEN_B = "079301000111"
SECRET = "ownership-tests-secret-key-0123456789abcdef"


def planted(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    """The fault extractor (a 12-digit number in the file name is the paper's id number),
    but ``mismatch`` in the name makes the register disagree: the paper needs review."""
    out = fault_extract(data, name, settings)
    if "mismatch" in name:
        for document in out.documents:
            document.verification = Verification("mismatch", mismatched_fields=["full_name"])
    return out


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    settings = Settings(data_dir=tmp_path / "data", secret_key=SecretStr(SECRET))
    app = create_app(settings, extractor=planted, backoff=[0])
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings)


def _register(h: Harness, dossier_citizen: str, name: str, seed: int) -> dict[str, Any]:
    dossier = h.open_dossier(dossier_citizen)
    component = h.wait(h.upload(dossier, name, png_bytes(seed=seed)).json()["id"])
    assert component["status"] == "done", component
    [document] = component["documents"]
    return dict(document)


def _sees(h: Harness, citizen: str, document: dict[str, Any]) -> bool:
    """What the citizen's token shows of the document, everywhere a citizen can look;
    asserts that every door agrees."""
    auth = h.auth("citizen", citizen)
    doc_id = document["id"]
    listed = h.client.get(f"/api/v1/citizens/{citizen}/documents", headers=auth)
    assert listed.status_code == 200, listed.text
    in_store = doc_id in [d["id"] for d in listed.json()["documents"]]
    statuses = {
        h.client.get(f"/api/v1/documents/{doc_id}{tail}", headers=auth).status_code
        for tail in ("", "/file", "/reuses")
    }
    assert statuses in ({200}, {404}), statuses
    shown = statuses == {200}
    assert in_store == shown
    if not shown:  # no door leaks its code either
        for tail in ("", "/file", "/reuses"):
            r = h.client.get(f"/api/v1/documents/{doc_id}{tail}", headers=auth)
            assert document["digitization_code"] not in r.text
        assert document["digitization_code"] not in listed.text
    return shown


def _confirm(h: Harness, doc_id: str, id_number: str, relation: str, clerk: str = "lan") -> Any:
    return h.client.post(
        f"/api/v1/documents/{doc_id}/subjects/{id_number}/confirm",
        json={"relation": relation},
        headers=h.auth("clerk", clerk),
    )


def _approve(h: Harness, doc_id: str) -> None:
    """Approved; a register mismatch is approved with the reason it needs (item 5)."""
    r = h.client.post(
        f"/api/v1/documents/{doc_id}/approve",
        json={"reason": "Bản chính đã được đối chiếu."},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 200, r.text


def _subjects(h: Harness, doc_id: str) -> dict[str, dict[str, Any]]:
    r = h.client.get(f"/api/v1/documents/{doc_id}", headers=h.auth("officer"))
    assert r.status_code == 200, r.text
    return {s["id_number"]: s for s in r.json()["subjects"]}


def test_a_paper_naming_another_citizen_is_staff_only_until_confirmed_and_approved(
    h: Harness,
) -> None:
    """A's dossier, a birth certificate printing B's id number, a register mismatch."""
    doc = _register(h, CITIZEN_A, f"ks_mismatch_{CITIZEN_B}.png", seed=1)
    assert doc["review_status"] == "needs_review"
    assert doc["verification"]["status"] == "mismatch"
    assert not _sees(h, CITIZEN_B, doc)  # before review (it went to B's store at once before)
    assert not _sees(h, CITIZEN_A, doc)  # nor the dossier's citizen: the paper is not about A

    # staff still see everything, with the unconfirmed subject marked
    officer = h.auth("officer")
    staff_store = h.client.get(f"/api/v1/citizens/{CITIZEN_B}/documents", headers=officer).json()
    [listed] = [d for d in staff_store["documents"] if d["id"] == doc["id"]]
    [subject] = listed["subjects"]
    assert subject["id_number"] == CITIZEN_B and subject["confirmed"] is False
    assert subject["relation"] is None and subject["confirmed_by"] is None

    # not approved while B's relation to A is unconfirmed (issue 16 item 5)
    r = h.client.post(
        f"/api/v1/documents/{doc['id']}/approve",
        json={"reason": "Bản chính đã được đối chiếu."},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "subject_unconfirmed", r.text
    assert not _sees(h, CITIZEN_B, doc)

    r = _confirm(h, doc["id"], CITIZEN_B, "child", clerk="hoa")
    assert r.status_code == 200, r.text
    assert not _sees(h, CITIZEN_B, doc)  # confirmed, not yet approved
    _approve(h, doc["id"])
    assert _sees(h, CITIZEN_B, doc)  # confirmed and approved
    confirmed = _subjects(h, doc["id"])[CITIZEN_B]
    assert confirmed["confirmed"] is True and confirmed["relation"] == "child"
    assert confirmed["confirmed_by"] == "hoa" and confirmed["confirmed_at"]
    # the confirmation is in the audit log: who, which relation, for which dossier
    trail = h.client.get(
        f"/api/v1/audit?citizen_id_number={CITIZEN_B}", headers=h.auth("admin")
    ).json()["events"]
    [row] = [e for e in trail if e["action"] == "document.subject.confirm"]
    assert row["actor"] == "hoa" and row["document_id"] == doc["id"]
    assert row["detail"]["relation"] == "child"
    assert row["detail"]["dossier_id"] == doc["dossier_id"]
    assert _confirm(h, doc["id"], CITIZEN_B, "child").status_code == 409  # once is enough


def test_confirmed_but_not_approved_is_not_shown_either(h: Harness) -> None:
    doc = _register(h, CITIZEN_A, f"ks_mismatch_{CITIZEN_B}.png", seed=2)
    assert _confirm(h, doc["id"], CITIZEN_B, "child").status_code == 200
    assert not _sees(h, CITIZEN_B, doc)
    _approve(h, doc["id"])
    assert _sees(h, CITIZEN_B, doc)


def test_a_citizen_never_sees_a_document_of_their_own_under_review(h: Harness) -> None:
    doc = _register(h, CITIZEN_A, f"ks_mismatch_{CITIZEN_A}.png", seed=3)
    assert doc["review_status"] == "needs_review"
    assert not _sees(h, CITIZEN_A, doc)
    [me] = doc["subjects"]
    assert me["confirmed"] is True and me["relation"] == "self"  # confirmed by intake
    assert me["confirmed_by"] == "clerk-1"  # the clerk who opened the dossier
    _approve(h, doc["id"])
    assert _sees(h, CITIZEN_A, doc)
    # a correction sends it back to review: hidden again until approved again
    r = h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"full_name": "Nguyễn Thị Minh Hà"}},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 200 and r.json()["review_status"] == "needs_review"
    assert not _sees(h, CITIZEN_A, doc)
    # "verified" (the register agrees, no person looked) is not approved either
    verified = _register(h, CITIZEN_A, f"ks_{CITIZEN_A}.png", seed=4)
    assert verified["review_status"] == "verified"
    assert not _sees(h, CITIZEN_A, verified)


def test_marriage_certificate_the_dossiers_spouse_is_confirmed_the_other_after_confirmation(
    h: Harness,
) -> None:
    # the wife (A) opens the dossier; the certificate names the husband (B) first
    doc = _register(h, CITIZEN_A, f"ket_hon_{CITIZEN_B}_{CITIZEN_A}.png", seed=5)
    subjects = _subjects(h, doc["id"])
    assert subjects[CITIZEN_A]["confirmed"] is True and subjects[CITIZEN_A]["relation"] == "self"
    assert subjects[CITIZEN_A]["field"] == "wife_id_number"
    assert subjects[CITIZEN_B]["confirmed"] is False
    assert subjects[CITIZEN_B]["field"] == "husband_id_number"
    refused = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
    assert refused.status_code == 409  # the husband's relation first (issue 16 item 5)
    assert _confirm(h, doc["id"], CITIZEN_B, "spouse").status_code == 200
    assert not _sees(h, CITIZEN_A, doc) and not _sees(h, CITIZEN_B, doc)  # not yet approved
    _approve(h, doc["id"])
    assert _sees(h, CITIZEN_A, doc)
    assert _sees(h, CITIZEN_B, doc)


def test_a_correction_keeps_confirmations_and_a_new_id_starts_unconfirmed(h: Harness) -> None:
    doc = _register(h, CITIZEN_A, f"ket_hon_{CITIZEN_B}_{CITIZEN_A}.png", seed=6)
    assert _confirm(h, doc["id"], CITIZEN_B, "spouse").status_code == 200
    third = "036085000222"
    r = h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"husband_id_number": third}},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 200, r.text
    subjects = {s["id_number"]: s for s in r.json()["subjects"]}
    assert set(subjects) == {CITIZEN_A, third}
    assert subjects[CITIZEN_A]["confirmed"] is True  # kept
    assert subjects[third]["confirmed"] is False  # named by a correction, not yet confirmed
    refused = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
    assert refused.status_code == 409 and refused.json()["error"]["details"] == {
        "id_numbers": [third]
    }
    assert not _sees(h, third, doc) and not _sees(h, CITIZEN_B, doc)


def test_confirming_is_a_clerks_act_on_a_person_the_paper_names(h: Harness) -> None:
    doc = _register(h, CITIZEN_A, f"ks_mismatch_{CITIZEN_B}.png", seed=7)
    for role in ("officer", "admin"):
        r = h.client.post(
            f"/api/v1/documents/{doc['id']}/subjects/{CITIZEN_B}/confirm",
            json={"relation": "child"},
            headers=h.auth(role),
        )
        assert r.status_code == 403, (role, r.text)
    r = h.client.post(
        f"/api/v1/documents/{doc['id']}/subjects/{CITIZEN_B}/confirm",
        json={"relation": "child"},
        headers=h.auth("citizen", CITIZEN_B),
    )
    assert r.status_code == 404  # B cannot claim the paper
    assert _confirm(h, doc["id"], "036085000222", "child").status_code == 404  # not named
    for relation in ("self", "friend", ""):  # only intake makes someone "self"
        assert _confirm(h, doc["id"], CITIZEN_B, relation).status_code == 422, relation
    assert _subjects(h, doc["id"])[CITIZEN_B]["confirmed"] is False
