"""Every response carries CSP, nosniff, no-referrer and anti-framing headers; everything but the
static assets is ``no-store``; the CDN-loading API docs exist only on a development machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.api import create_app
from tests.security.conftest import CITIZEN_A, World

CDN = "cdn.jsdelivr.net"


def _check(r: object, *, what: str, cached: bool = False) -> None:
    headers = r.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors" in csp and "base-uri 'none'" in csp, (what, csp)
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("x-frame-options") in ("DENY", "SAMEORIGIN"), what
    if not cached:
        assert "no-store" in headers.get("cache-control", ""), (what, headers.get("cache-control"))
    if "/docs" not in what and "/redoc" not in what:
        assert CDN not in csp and "unsafe-inline" not in csp, (what, csp)


def test_every_kind_of_response_carries_the_headers(world: World) -> None:
    w = world
    calls = [
        ("clerk", f"/api/v1/dossiers/{w.ids['dossier_a']}", 200),
        ("clerk", f"/api/v1/components/{w.ids['component_a']}", 200),
        ("clerk", f"/api/v1/components/{w.ids['component_a']}/pages/1/image", 200),
        ("owner", f"/api/v1/documents/{w.ids['document_a']}", 200),
        ("owner", f"/api/v1/documents/{w.ids['document_a']}/file", 200),
        ("owner", f"/api/v1/citizens/{CITIZEN_A}/documents", 200),
        ("admin", "/api/v1/audit", 200),
        ("other", f"/api/v1/documents/{w.ids['document_a']}", 404),
        ("none", "/api/v1/me", 401),
        ("clerk", "/api/v1/citizens/12/documents", 422),
        ("none", "/openapi.json", 200),
        ("none", "/healthz", 200),
        ("none", "/dang-nhap", 200),
        ("none", "/kho-du-lieu", 200),
        ("none", "/no-such-page", 404),
    ]
    for who, path, status in calls:
        r = w.client.get(path, headers=w.headers(who))
        assert r.status_code == status, (path, r.status_code, r.text[:200])
        _check(r, what=path)
    # a scan's page image was cacheable for an hour; now no copy stays in any cache
    image = w.client.get(
        f"/api/v1/components/{w.ids['component_a']}/pages/1/image", headers=w.headers("clerk")
    )
    assert image.headers["cache-control"] == "no-store"
    # the citizen's page frames the PDF (same origin); nothing else may be framed
    pdf = w.client.get(f"/api/v1/documents/{w.ids['document_a']}/file", headers=w.headers("owner"))
    assert pdf.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf.headers["content-security-policy"]
    page = w.client.get("/dang-nhap")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    api = w.client.get("/api/v1/me", headers=w.headers("clerk"))
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    # static assets keep their own caching, and the other headers
    css = w.client.get("/assets/sohoa.css")
    _check(css, what="/assets/sohoa.css", cached=True)
    assert css.headers["cache-control"] == "no-cache"
    # a write's answer too
    r = w.client.post(
        f"/api/v1/documents/{w.ids['document_a']}/reuse",
        json={"dossier_id": w.ids["dossier_b"]},
        headers=w.headers("officer"),
    )
    assert r.status_code == 201
    _check(r, what="POST reuse")


def test_dev_docs_name_their_cdn_in_their_own_policy(world: World) -> None:
    """On a development machine the docs still work: their CSP allows the CDN they load."""
    for path in ("/docs", "/redoc"):
        r = world.client.get(path)
        assert r.status_code == 200
        assert CDN in r.text and CDN in r.headers["content-security-policy"]
        _check(r, what=path)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"environment": "production"},
        {"environment": "staging"},
    ],
)
def test_production_serves_no_cdn_docs_but_keeps_openapi_json(
    tmp_path: Path, kwargs: dict[str, str]
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        secret_key=SecretStr("production-like-secret-0123456789abcdef"),
        agency_code="000.00.00.H29",  # production refuses the demo agency code too
        **kwargs,  # type: ignore[arg-type]
    )
    app = create_app(settings, extractor="workers.faults:extract", backoff=[0])
    with TestClient(app) as client:
        for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
            r = client.get(path)
            assert r.status_code == 404, (path, r.status_code)
            assert CDN.encode() not in r.content
            _check(r, what=path + " (prod)")
        spec = client.get("/openapi.json")
        assert spec.status_code == 200 and "/api/v1/dossiers" in spec.json()["paths"]
        _check(spec, what="/openapi.json (prod)")
        for path in ("/dang-nhap", "/tiep-nhan"):
            page = client.get(path)
            assert page.status_code == 200 and CDN.encode() not in page.content


def test_production_components_count_as_production_for_the_docs(tmp_path: Path) -> None:
    secret = SecretStr("production-like-secret-0123456789abcdef")
    assert Settings(data_dir=tmp_path, secret_key=secret).api_docs_enabled
    for component in ({"redis_url": "redis://127.0.0.1:6379/0"}, {"s3_endpoint": "http://x:9"}):
        settings = Settings(data_dir=tmp_path, secret_key=secret, **component)  # type: ignore[arg-type]
        assert not settings.api_docs_enabled, component
