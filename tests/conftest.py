"""Suite-wide hooks: on CI a skipped test is a failure, so a missing service cannot hide one.
Also the demo PKI that signs the copies approved in the API, security and web tests."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped on CI, where every dependency must be present: {reason}"


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A demo PKI (``sohoa pki demo``'s) in a temporary folder, made once per session."""
    from ocr_service.copies.pki import write_demo_pki

    return write_demo_pki(tmp_path_factory.mktemp("demo-pki") / "pki")


@pytest.fixture(scope="session")
def signing_settings(demo_pki: Any) -> dict[str, Any]:
    """``Settings`` keyword arguments that sign approved copies with ``demo_pki``."""
    from pydantic import SecretStr

    return {
        "signing_backend": "pkcs12",
        "signing_pkcs12_path": demo_pki.clerk_p12,
        "signing_pkcs12_password": SecretStr(demo_pki.password),
        "signing_trust_roots": demo_pki.ca_cert,
        "signing_crls": [demo_pki.crl],
    }
