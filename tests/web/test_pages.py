"""The page routes and the Vietnamese labels, without a browser (fast)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from classifiers import doctypes
from classifiers.fields import LabelExtractor
from ocr_service.web import router
from ocr_service.web.labels import (
    COMPONENT_STATUS,
    DOC_TYPE_FIELDS,
    DOC_TYPES,
    ERRORS,
    FIELDS,
    REVIEW_STATUS,
    ROLES,
    VERIFICATION_STATUS,
)

PAGES = [
    "/dang-nhap",
    "/tiep-nhan",
    "/hom-nay",
    "/ho-so/abc123",
    "/thanh-phan/abc123",
    "/tai-su-dung",
    "/kho-du-lieu",
    "/nhat-ky",
]
SPEC_DOC_TYPES = {
    "citizen_id_front", "citizen_id_back", "birth_certificate", "marriage_certificate",
    "marital_status_certificate", "residence_confirmation", "household_business_registration",
    "enterprise_registration", "land_use_certificate", "diploma", "application_form", "other",
}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_vietnamese_with_its_script_and_strict_headers(
    client: TestClient, path: str
) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<html lang="vi">' in html
    assert "Số hóa hồ sơ một cửa" in html
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    # every script the page names is served, and there is no inline script to run
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert client.get(src).status_code == 200, src
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)


def test_labels_reach_the_page_as_json(client: TestClient) -> None:
    html = client.get("/dang-nhap").text
    blob = re.search(
        r'<script id="sohoa-labels" type="application/json">(.*?)</script>', html, re.S
    )
    assert blob is not None
    labels = json.loads(blob.group(1))
    assert labels["docTypes"]["birth_certificate"] == "Giấy khai sinh"
    assert labels["fields"]["full_name"] == "Họ, chữ đệm và tên"


def test_the_ids_in_the_path_are_escaped(client: TestClient) -> None:
    html = client.get('/ho-so/"><script>alert(1)</script>').text
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("name", ["../routes.py", "..%2Froutes.py", ".hidden", "nope.js"])
def test_assets_do_not_leave_their_folder(client: TestClient, name: str) -> None:
    assert client.get("/assets/" + name).status_code == 404


def test_assets_have_their_types(client: TestClient) -> None:
    assert client.get("/assets/sohoa.css").headers["content-type"].startswith("text/css")
    assert client.get("/assets/sohoa.js").headers["content-type"].startswith("text/javascript")


def test_home_goes_to_login(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/dang-nhap"


def test_every_spec_doc_type_and_field_has_a_vietnamese_label() -> None:
    assert set(DOC_TYPES) == SPEC_DOC_TYPES == set(DOC_TYPE_FIELDS)
    for doc_type, names in DOC_TYPE_FIELDS.items():
        missing = [n for n in names if n not in FIELDS]
        assert not missing, f"{doc_type}: {missing}"


def test_every_field_the_extractors_return_has_a_label() -> None:
    form_extractors = [
        t.extractor for t in doctypes.all_types() if isinstance(t.extractor, LabelExtractor)
    ]
    assert len(form_extractors) >= 8  # the A4 forms' label tables
    for extractor in form_extractors:
        assert extractor.doc_type in DOC_TYPES
        missing = [s.name for s in extractor.specs if s.name not in FIELDS]
        assert not missing, f"{extractor.doc_type}: {missing}"


def test_statuses_roles_and_error_codes_are_covered() -> None:
    from core import errors

    assert {"queued", "processing", "done", "failed"} <= set(COMPONENT_STATUS)
    assert set(VERIFICATION_STATUS) == {"match", "mismatch", "not_found", "not_applicable"}
    assert set(REVIEW_STATUS) == {"verified", "needs_review", "approved"}
    assert set(ROLES) == {"clerk", "officer", "citizen", "admin"}
    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.SohoaError)
    }
    missing = sorted(codes - set(ERRORS))
    assert not missing, f"add a Vietnamese message to ocr_service/web/labels.py ERRORS: {missing}"


def test_the_citizens_page_has_who_read_my_documents(client: TestClient) -> None:
    """Kho dữ liệu của tôi renders the access-log section its script fills from the API."""
    html = client.get("/kho-du-lieu").text
    section = re.search(r'<section[^>]*id="access-log".*?</section>', html, re.S)
    assert section is not None
    text = section.group(0)
    assert "Ai đã xem giấy tờ của tôi" in text
    assert "91/2025/QH15" in text  # the right it serves is named
    headers = re.findall(r'<th scope="col">([^<]+)</th>', text)
    assert headers == [
        "Thời điểm",
        "Người thực hiện",
        "Thao tác",
        "Giấy tờ",
        "Hồ sơ được giải quyết",
    ]
    assert 'id="access-log-rows"' in text and 'id="access-log-more"' in text
    script = client.get("/assets/citizen.js").text
    assert '"/me/access-log?limit=50&offset="' in script
    assert "access-log-rows" in script and "next_offset" in script


def test_every_audit_action_and_relation_has_a_vietnamese_label() -> None:
    """The access log shows each action in Vietnamese: every action the code writes has one."""
    from ocr_service.api.schemas import ClerkRelation
    from ocr_service.web.labels import AUDIT_ACTIONS, RELATIONS
    from storage import models, repository

    root = Path(__file__).resolve().parents[2]
    written = {repository.ACCESS_LOG_READ}
    for path in [*(root / "ocr_service").rglob("*.py"), *(root / "storage").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'action="([a-z_.]+)"', source))
        written |= set(re.findall(r'_audit\([^)]*?"([a-z]+\.[a-z_.]+)"', source, re.S))
    assert {"document.read", "audit.read", "document.subject.confirm"} <= written
    missing = sorted(written - set(AUDIT_ACTIONS))
    assert not missing, (
        f"add a Vietnamese label to ocr_service/web/labels.py AUDIT_ACTIONS: {missing}"
    )
    assert tuple(RELATIONS) == models.RELATIONS
    assert get_args(ClerkRelation) == models.RELATIONS[1:]  # all but intake's "self"


def test_every_dossier_stage_and_attention_reason_has_a_vietnamese_label() -> None:
    from ocr_service.attention import REASON_CODES, STAGES
    from ocr_service.web.labels import DOSSIER_STAGE

    assert set(DOSSIER_STAGE) == set(STAGES)
    assert "Đã xử lý xong" not in DOSSIER_STAGE.values()
    assert "Đã xử lý xong" not in COMPONENT_STATUS.values()  # a read scan is not a done dossier
    # the reasons' words come from the server; the page only styles them by code
    assert set(REASON_CODES) >= {"mismatch", "low_confidence", "subject_unconfirmed", "failed"}


def test_the_review_page_names_its_shortcuts(client: TestClient) -> None:
    html = client.get("/thanh-phan/abc123").text
    for key in ("N", "P", "S", "A"):
        assert f"<kbd>Alt</kbd>+<kbd>{key}</kbd>" in html
    script = client.get("/assets/review.js").text
    assert all(f"Key{k}" in script for k in "NPSA")
