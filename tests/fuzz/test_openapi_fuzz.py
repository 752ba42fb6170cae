"""Property-based fuzzing of every API operation from the app's own OpenAPI (schemathesis).

Requests are generated from the schema (valid and invalid: wrong types, odd strings, random
multipart bodies) and sent with valid tokens of several roles. Whatever arrives, the API
must not answer 5xx, every 4xx under /api/v1 is the taxonomy's JSON error, and every answer
is one the OpenAPI documents for that operation (status, content type, body schema: the
``XPublic`` and ``ErrorPublic`` models). Bounded examples per operation, so it finishes in a
couple of minutes.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
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

pytestmark = pytest.mark.slow

CITIZEN = "001192012345"
_DATA = Path(tempfile.mkdtemp(prefix="sohoa-fuzz-"))  # the app is built at import, for schemathesis
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
_SETTINGS = Settings(data_dir=_DATA, max_upload_bytes=200_000, job_max_retries=0)
APP = create_app(_SETTINGS, extractor="workers.faults:extract", backoff=[0])
TOKENS = {
    role: issue_token(_SETTINGS, role=role, subject=CITIZEN if role == "citizen" else f"{role}-1")
    for role in ("clerk", "officer", "citizen", "admin")
}
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

# the answer is what the OpenAPI says: a documented status, content type and body
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]

# how many failures we saw, per role, for the report (the test asserts none)
SEEN: dict[str, int] = {}


def _fresh(role: str) -> str:
    """A new token per request: fuzzing POST /auth/logout revokes the token it was sent with."""
    return issue_token(_SETTINGS, role=role, subject=CITIZEN if role == "citizen" else f"{role}-1")


def _check(case: Any, role: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_fresh(role)}"})
    SEEN[role] = SEEN.get(role, 0) + 1
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} as {role} → {response.status_code}: "
        f"{response.text[:500]}"
    )
    if 400 <= response.status_code < 500 and case.formatted_path.startswith("/api/"):
        error = response.json()["error"]
        assert isinstance(error["code"], str) and error["message"], response.text
    case.validate_response(response, checks=CONFORMANCE)


_SETTINGS_FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.parametrize()
@_SETTINGS_FUZZ
def test_no_server_error_as_clerk(case: Any) -> None:
    _check(case, "clerk")


@schema.parametrize()
@_SETTINGS_FUZZ
def test_no_server_error_as_citizen(case: Any) -> None:
    _check(case, "citizen")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_as_officer_and_admin(case: Any) -> None:
    _check(case, "officer")
    _check(case, "admin")


def test_fuzzing_reached_every_operation_and_role() -> None:
    """Runs last in this module: the generated requests really went through the app."""
    if not SEEN:
        pytest.skip("run together with the fuzz tests above")
    print(f"\nfuzz requests per role: {SEEN} (total {sum(SEEN.values())})")
    assert set(SEEN) == {"clerk", "citizen", "officer", "admin"}
    assert SEEN["clerk"] >= len(list(schema.get_all_operations()))
