"""Every answer is one the OpenAPI documents: its status, media type and body schema.

The flow below calls each API operation on real data (a processed scan, a correction, a
reuse, the audit log) and with the errors a caller meets, and checks each response against
what the app's own OpenAPI declares for that operation and status: the ``XPublic`` models
and ``ErrorPublic``. A model that drifts from the body it describes fails here. The fuzz
tests (tests/fuzz) check the same on generated requests, which rarely reach real documents.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno

from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes

jsonschema_rs = pytest.importorskip("jsonschema_rs")


class _Checker:
    """Calls the API and checks every answer against the operation's documented response."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.openapi: dict[str, Any] = h.client.get("/openapi.json").json()
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, method: str, path: str, role: str | None, status: int, **kwargs: Any) -> Any:
        ids = {k: kwargs.pop(k) for k in list(kwargs) if "{" + k + "}" in path}
        headers = dict(self.h.auth(*role.split(":"))) if role else {}
        if kwargs.pop("json_type", False):
            headers["content-type"] = "application/json"
        response = self.h.client.request(method, path.format(**ids), headers=headers, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        operation = self.openapi["paths"][path][method.lower()]
        documented = operation["responses"].get(str(status))
        assert documented is not None, f"{method} {path}: {status} is not documented"
        if status == 204:  # No Content: nothing to check against a schema
            assert not response.content and not documented.get("content")
            self.seen.add((method, path, status))
            return response
        media_type = response.headers["content-type"].split(";")[0]
        content = documented.get("content", {})
        assert media_type in content, f"{method} {path} {status}: {media_type} not documented"
        schema = content[media_type].get("schema")
        if schema is not None:
            validator = jsonschema_rs.Draft202012Validator(
                {**schema, "components": self.openapi["components"]}
            )
            body = response.json()
            errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(body)]
            assert not errors, f"{method} {path} {status}: {errors}\n{body}"
        self.seen.add((method, path, status))
        return response


def test_every_answer_matches_its_documented_response(embedded: Harness) -> None:
    check = _Checker(embedded)
    h = embedded

    check("GET", "/api/v1/me", "clerk", 200)
    check("GET", "/api/v1/me", None, 401)

    dossiers = "/api/v1/dossiers"
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    dossier = check("POST", dossiers, "clerk", 201, json=body).json()["id"]
    other_dossier = check("POST", dossiers, "clerk", 201, json=body).json()["id"]
    check("POST", dossiers, "officer", 403, json=body)
    check("POST", dossiers, "citizen", 404, json=body)
    check("POST", dossiers, "clerk", 422, json={"procedure_code": "", "citizen_id_number": "1"})
    not_utf8 = {"content": b'{"procedure_code": "\xff"}', "json_type": True}
    check("POST", dossiers, "clerk", 400, **not_utf8)

    upload = "/api/v1/dossiers/{dossier_id}/components"
    files = {"file": (f"khai_sinh_{CITIZEN}.png", png_bytes(seed=1), "image/png")}
    accepted = check("POST", upload, "clerk", 202, dossier_id=dossier, files=files).json()
    h.wait(accepted["id"])
    again = check("POST", upload, "clerk", 202, dossier_id=dossier, files=files).json()
    assert again["status"] == "done" and again["component"]["documents"]
    marriage = {"file": (f"ket_hon_{CITIZEN}_{OTHER_CITIZEN}.png", png_bytes(seed=2), "image/png")}
    h.wait(check("POST", upload, "clerk", 202, dossier_id=dossier, files=marriage).json()["id"])
    failing = {"file": ("fail-permanent.png", png_bytes(seed=3), "image/png")}
    failed = check("POST", upload, "clerk", 202, dossier_id=dossier, files=failing).json()["id"]
    assert h.wait(failed)["error"]["code"] == "corrupt_file"
    check("POST", upload, "clerk", 404, dossier_id="nope", files=files)
    check("POST", upload, "clerk", 415, dossier_id=dossier, files={"file": ("a.png", b"text")})
    check("POST", upload, "clerk", 422, dossier_id=dossier, files={"file": ("a.png", b"")})
    big = {"file": ("a.png", b"\x89PNG" + bytes(300_000), "image/png")}
    check("POST", upload, "clerk", 413, dossier_id=dossier, files=big)
    check("POST", upload, "officer", 403, dossier_id=dossier, files=files)

    check("GET", dossiers, "officer", 200, params={"limit": 1})
    check("GET", dossiers, "clerk", 200, params={"status": "failed"})
    check("GET", dossiers, "clerk", 422, params={"status": "zzz"})
    check("GET", dossiers, "admin", 403)
    one = "/api/v1/dossiers/{dossier_id}"
    read = check("GET", one, "officer", 200, dossier_id=dossier).json()
    check("GET", one, "officer", 404, dossier_id="nope")
    check("GET", one, "citizen", 404, dossier_id=dossier)

    component_id = accepted["id"]
    component = "/api/v1/components/{component_id}"
    assert check("GET", component, "clerk", 200, component_id=component_id).json()["pages"]
    check("GET", component, "clerk", 200, component_id=failed)
    check("GET", component, "clerk", 404, component_id="nope")
    image = "/api/v1/components/{component_id}/pages/{page}/image"
    check("GET", image, "officer", 200, component_id=component_id, page=1)
    check("GET", image, "officer", 404, component_id=component_id, page=9)
    check("GET", image, "officer", 422, component_id=component_id, page="x")
    retry = "/api/v1/components/{component_id}/retry"
    check("POST", retry, "clerk", 409, component_id=component_id)
    check("POST", retry, "clerk", 202, component_id=failed)
    check("POST", retry, "officer", 403, component_id=failed)
    h.wait(failed)

    documents = [d for c in read["components"] for d in c["documents"]]
    [birth] = [d["id"] for d in documents if d["doc_type"] == "birth_certificate"]
    document = "/api/v1/documents/{document_id}"
    check("GET", document, "citizen", 404, document_id=birth)  # not yet approved
    check("POST", document + "/approve", "clerk", 200, document_id=birth)
    check("GET", document, "citizen", 200, document_id=birth)
    check("GET", document, "officer", 200, document_id=birth, params={"dossier_id": dossier})
    check("GET", document, "officer", 422, document_id=birth, params={"dossier_id": "nope"})
    check("GET", document, f"citizen:{OTHER_CITIZEN}", 404, document_id=birth)
    check("GET", document, "admin", 403, document_id=birth)
    check("GET", document + "/file", "officer", 200, document_id=birth)
    check("GET", document + "/file", "officer", 404, document_id="nope")
    fix = {"fields": {"full_name": "Lê Thị Hoa", "sex": None}}
    corrected = check("PATCH", document, "clerk", 200, document_id=birth, json=fix).json()
    assert corrected["verification"]["checked_after_correction_at"]
    check("PATCH", document, "clerk", 422, document_id=birth, json={"fields": {"1x": "a"}})
    check("PATCH", document, "officer", 403, document_id=birth, json=fix)
    approve = document + "/approve"
    sign = document + "/sign"
    check("POST", sign, "clerk", 409, document_id=birth)  # not approved yet
    approved = check("POST", approve, "clerk", 200, document_id=birth).json()
    assert approved["signature"]["status"] == "valid"
    check("POST", approve, "clerk", 409, document_id=birth)
    check("POST", sign, "clerk", 409, document_id=birth)  # signed already
    check("POST", sign, "officer", 403, document_id=birth)
    qr = document + "/qr"
    check("GET", qr, "citizen", 200, document_id=birth)
    check("GET", qr, f"citizen:{OTHER_CITIZEN}", 404, document_id=birth)
    # the token gone at approval: approved, signing pending (503 on a retry); back: signed
    [marriage_doc] = [d["id"] for d in documents if d["doc_type"] == "marriage_certificate"]
    confirm = document + "/subjects/{id_number}/confirm"
    spouse = {"relation": "spouse"}
    unconfirmed = check("POST", approve, "clerk", 409, document_id=marriage_doc).json()
    assert unconfirmed["error"]["code"] == "subject_unconfirmed"
    check(
        "POST",
        confirm,
        "clerk",
        200,
        document_id=marriage_doc,
        id_number=OTHER_CITIZEN,
        json=spouse,
    )
    register = document + "/register"
    compared = check("GET", register, "clerk", 200, document_id=marriage_doc).json()["fields"]
    assert compared and {f["outcome"] for f in compared} == {"absent"}  # an empty register
    check("GET", register, "officer", 200, document_id=birth, params={"dossier_id": dossier})
    check("GET", register, "citizen", 404, document_id=birth)
    check("GET", register, "clerk", 404, document_id="nope")
    p12 = h.settings.signing_pkcs12_path
    assert p12 is not None
    p12.rename(p12.with_suffix(".away"))
    try:
        pending = check("POST", approve, "clerk", 200, document_id=marriage_doc).json()
        assert pending["signature"]["status"] == "pending"
        check("POST", sign, "clerk", 503, document_id=marriage_doc)
        check("GET", qr, "clerk", 404, document_id=marriage_doc)
    finally:
        p12.with_suffix(".away").rename(p12)
    signed = check("POST", sign, "clerk", 200, document_id=marriage_doc).json()
    assert signed["signature"]["status"] == "valid"
    reuse = document + "/reuse"
    check("POST", reuse, "officer", 201, document_id=birth, json={"dossier_id": other_dossier})
    check("POST", reuse, "officer", 404, document_id=birth, json={"dossier_id": "nope"})
    check("GET", document + "/reuses", "citizen", 200, document_id=birth)
    # the catalogue, a dossier's checklist, reusing from the store by digitization code
    check("GET", "/api/v1/procedures", "citizen", 200)
    check("GET", "/api/v1/procedures", None, 401)
    body = {"procedure_code": "dang-ky-thuong-tru", "citizen_id_number": CITIZEN}
    residence = check("POST", dossiers, "clerk", 201, json=body).json()["id"]
    checklist = one + "/checklist"
    items = check("GET", checklist, "officer", 200, dossier_id=residence).json()["items"]
    assert any(i["status"] == "available" for i in items)
    check("GET", checklist, "officer", 404, dossier_id="nope")
    check("GET", checklist, "admin", 403, dossier_id=residence)
    reuses = one + "/reuses"
    code = {"digitization_code": approved["digitization_code"]}
    check("POST", reuses, "clerk", 201, dossier_id=residence, json=code)
    check("POST", reuses, "clerk", 200, dossier_id=residence, json=code)
    check("POST", reuses, "clerk", 404, dossier_id=residence, json={"digitization_code": "SH-0"})
    check("POST", reuses, "clerk", 409, dossier_id=dossier, json=code)
    check("POST", reuses, "clerk", 422, dossier_id=residence, json={})
    check("POST", reuses, "admin", 403, dossier_id=residence, json=code)
    receipt = one + "/receipt"
    check("GET", receipt, "clerk", 200, dossier_id=residence)
    check("GET", receipt, "officer", 404, dossier_id="nope")
    check("GET", receipt, "citizen", 404, dossier_id=residence)

    store = "/api/v1/citizens/{id_number}/documents"
    check("GET", store, "citizen", 200, id_number=CITIZEN)
    check("GET", store, "officer", 200, id_number=OTHER_CITIZEN, params={"doc_type": "x"})
    check("GET", store, f"citizen:{OTHER_CITIZEN}", 404, id_number=CITIZEN)
    check("GET", store, "officer", 422, id_number="123")
    check("GET", store, "admin", 403, id_number=CITIZEN)

    found = "/api/v1/search/documents"
    assert check("GET", found, "officer", 200, params={"q": "le thi hoa"}).json()["hits"]
    assert check("GET", found, "citizen", 200, params={"q": "hoa", "page": 2}).json()["page"] == 2
    check("GET", found, "officer", 422, params={"q": "?!"})
    check("GET", found, "officer", 422, params={"q": "hoa", "page": 0})
    check("GET", found, "admin", 403, params={"q": "hoa"})
    check("GET", found, None, 401, params={"q": "hoa"})
    found_dossiers = "/api/v1/search/dossiers"
    assert check("GET", found_dossiers, "clerk", 200, params={"q": CITIZEN}).json()["total"] >= 2
    check("GET", found_dossiers, "citizen", 404, params={"q": CITIZEN})
    check("GET", found_dossiers, "clerk", 422)

    [ket_hon] = [d["id"] for d in documents if d["doc_type"] == "marriage_certificate"]
    check("POST", confirm, "clerk", 409, document_id=ket_hon, id_number=OTHER_CITIZEN, json=spouse)
    check("POST", confirm, "clerk", 404, document_id=ket_hon, id_number="036085000222", json=spouse)
    check("POST", confirm, "clerk", 422, document_id=ket_hon, id_number=CITIZEN, json={})
    check("POST", confirm, "officer", 403, document_id=ket_hon, id_number=CITIZEN, json=spouse)

    register = "/api/v1/citizens/{id_number}/register"
    assert check("GET", register, "clerk", 200, id_number=CITIZEN).json()["structure"]
    check("GET", register, "clerk", 422, id_number="12345")
    check("GET", register, "officer", 403, id_number=CITIZEN)
    card_qr = "/api/v1/citizens/card-qr"
    card = {"payload": f"{CITIZEN}||Tên Thẻ Mẫu|01011992|Nữ|Hà Nội|01012021"}
    assert check("POST", card_qr, "clerk", 200, json=card).json()["card"]["id_number"] == CITIZEN
    check("POST", card_qr, "clerk", 422, json={"payload": "not a card"})
    check("POST", card_qr, "citizen", 404, json=card)
    out = io.BytesIO()
    segno.make(card["payload"], error="m").save(out, kind="png", scale=6, border=4)
    photo = {"file": ("the.png", out.getvalue(), "image/png")}
    check("POST", card_qr + "/photo", "clerk", 200, files=photo)
    check("POST", card_qr + "/photo", "clerk", 415, files={"file": ("a.png", b"text")})
    no_qr = {"file": ("a.png", png_bytes(seed=4), "image/png")}
    check("POST", card_qr + "/photo", "clerk", 422, files=no_qr)

    access_log = "/api/v1/me/access-log"
    assert check("GET", access_log, "citizen", 200, params={"limit": 2}).json()["entries"]
    check("GET", access_log, "officer", 403)
    check("GET", access_log, "citizen", 422, params={"limit": 0})

    check("GET", "/api/v1/audit", "admin", 200, params={"limit": 5})
    check("GET", "/api/v1/audit", "clerk", 403)
    check("GET", "/api/v1/audit", "admin", 422, params={"limit": 0})

    accounts = "/api/v1/accounts"
    new_account = {"username": "canbo.lan", "role": "clerk", "password": "mat-khau-du-dai-1"}
    check("POST", accounts, "admin", 201, json=new_account)
    check("POST", accounts, "admin", 409, json=new_account)
    check("POST", accounts, "admin", 422, json={**new_account, "role": "citizen"})
    check("POST", accounts, "clerk", 403, json=new_account)
    assert check("GET", accounts, "admin", 200).json()["accounts"]
    check("GET", accounts, "citizen", 404)
    account = accounts + "/{username}"
    check("POST", account + "/disable", "admin", 200, username="canbo.lan")
    check("POST", account + "/disable", "admin", 404, username="nobody")
    check("POST", account + "/enable", "admin", 200, username="canbo.lan")
    check("POST", account + "/enable", "officer", 403, username="canbo.lan")
    reset = {"password": "mat-khau-moi-dai-2"}
    check("POST", account + "/password", "admin", 200, username="canbo.lan", json=reset)
    check("POST", account + "/password", "admin", 422, username="canbo.lan", json={"password": "x"})
    codes = "/api/v1/citizens/{id_number}/access-codes"
    assert check("POST", codes, "clerk", 201, id_number=CITIZEN).json()["code"]
    check("POST", codes, "officer", 403, id_number=CITIZEN)
    check("POST", codes, "clerk", 422, id_number="123")

    revoke = "/api/v1/auth/revoke"
    bulk = "/api/v1/dossiers/{dossier_id}/approve-verified"
    check("POST", bulk, "clerk", 200, dossier_id=dossier)
    check("POST", bulk, "clerk", 404, dossier_id="nope")
    check("POST", bulk, "officer", 403, dossier_id=dossier)
    worklist = "/api/v1/worklist"
    assert check("GET", worklist, "clerk", 200, params={"filter": "needs_review"}).json()
    check("GET", worklist, "officer", 422, params={"filter": "x"})
    check("GET", worklist, "citizen", 404)

    check("POST", revoke, "admin", 200, json={"subject": "someone-else"})
    check("POST", revoke, "clerk", 403, json={"subject": "someone-else"})
    check("POST", "/api/v1/auth/logout", "officer", 204)  # last: it ends the officer's token

    # every operation was answered with success at least once
    operations = {(m.upper(), p) for p, ops in check.openapi["paths"].items() for m in ops}
    succeeded = {(m, p) for m, p, status in check.seen if status < 300}
    assert operations == succeeded, operations ^ succeeded
