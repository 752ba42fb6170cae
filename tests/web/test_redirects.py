"""The login page's ``?next=`` leads only to a path on this site (no open redirect)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ocr_service.web import router
from ocr_service.web.redirects import safe_next_path

# As the query string arrives at the server (already percent-decoded once by the framework).
HOSTILE = [
    "/\t/127.0.0.1:8899/",  # the reported one: ?next=/%09/127.0.0.1:8899/
    "/\n/127.0.0.1:8899/",
    "/\r/127.0.0.1:8899/",
    "/\r\n/evil.example/",
    "\t//evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example",
    "\\/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    " /evil",
    "/%09/evil.example/",  # decoded once more by a careless hop: still refused
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%0a/evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "/\u0085/evil.example",
    "/" + "a" * 2100,
    "",
]
SAFE = ["/tiep-nhan", "/ho-so/abc123", "/thanh-phan/abc?x=1&y=%E1%BB%85", "/kho-du-lieu#top", "/"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_next_is_refused(value: str) -> None:
    assert safe_next_path(value) is None


@pytest.mark.parametrize("value", SAFE)
def test_same_site_paths_are_kept(value: str) -> None:
    assert safe_next_path(value) == value


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def _data_next(page: str) -> str:
    m = re.search(r'id="login" data-next="([^"]*)"', page)
    assert m, "the login page carries no data-next"
    return html.unescape(m.group(1))


@pytest.mark.parametrize("value", HOSTILE)
def test_the_login_page_hands_the_script_no_hostile_next(client: TestClient, value: str) -> None:
    r = client.get("/dang-nhap?next=" + quote(value, safe=""))
    assert r.status_code == 200
    assert _data_next(r.text) == ""


def test_the_login_page_hands_the_script_a_safe_next(client: TestClient) -> None:
    r = client.get("/dang-nhap?next=" + quote("/ho-so/abc123?x=1", safe=""))
    assert _data_next(r.text) == "/ho-so/abc123?x=1"
    # the reported request, exactly as typed
    r = client.get("/dang-nhap?next=/%09/127.0.0.1:8899/")
    assert _data_next(r.text) == ""
