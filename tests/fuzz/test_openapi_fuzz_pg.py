"""The same fuzzing on PostgreSQL, which refuses what SQLite lets through (NUL in text,
over-long values): the answers must still be 4xx, never a 503 or 500, and each one the
OpenAPI documents (status, content type, body schema)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.settings import Settings  # noqa: E402
from ocr_service.api import create_app  # noqa: E402
from ocr_service.auth import issue_token  # noqa: E402
from tests.api.service_env import SERVICES_SECRET, fresh_pg_schema  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.services]

_STATE: dict[str, Any] = {}


@pytest.fixture(scope="module")
def pg_schema() -> Iterator[Any]:
    with (
        fresh_pg_schema("sohoa_fuzz") as url,
        tempfile.TemporaryDirectory(prefix="sohoa-fuzz-pg-") as data_dir,
    ):
        settings_ = Settings(
            data_dir=Path(data_dir),
            database_url=url,
            secret_key=SERVICES_SECRET,
            max_upload_bytes=200_000,
            job_max_retries=0,
        )
        app = create_app(settings_, extractor="workers.faults:extract", backoff=[0])
        _STATE["settings"] = settings_
        _STATE["app"] = app
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("pg_schema")


def _token() -> str:
    """A new token per request: fuzzing POST /auth/logout revokes the token it was sent with."""
    return issue_token(_STATE["settings"], role="clerk", subject="clerk-fuzz")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_on_postgresql(case: Any) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_token()}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )
    case.validate_response(
        response,
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
    )


NUL_REQUESTS = [
    ("GET", "/api/v1/documents/a%00b", None),
    ("GET", "/api/v1/dossiers/a%00b", None),
    ("GET", "/api/v1/components/a%00b", None),
    ("GET", "/api/v1/citizens/001192012345/documents?doc_type=a%00", None),
    (
        "POST",
        "/api/v1/dossiers",
        {"procedure_code": "a\u0000b", "citizen_id_number": "001192012345"},
    ),
    ("POST", "/api/v1/documents/a%00b/reuse", {"dossier_id": "x\u0000"}),
]


def test_nul_characters_are_the_callers_mistake_not_a_database_outage(pg_schema: Any) -> None:
    """PostgreSQL refuses NUL in text; that must read as 4xx, never 503 database_unavailable."""
    from fastapi.testclient import TestClient

    headers = {"Authorization": f"Bearer {_token()}"}
    with TestClient(_STATE["app"]) as client:
        for method, url, body in NUL_REQUESTS:
            r = client.request(method, url, json=body, headers=headers)
            assert 400 <= r.status_code < 500, (method, url, r.status_code, r.text)
            assert r.json()["error"]["code"] != "database_unavailable"
