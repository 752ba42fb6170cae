"""Production refuses the demo agency code and the demo PKI, as it refuses the default secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pydantic import SecretStr, ValidationError

from core.settings import DEMO_AGENCY_CODE, Settings
from ocr_service.copies import pki

PRIVATE = SecretStr("a-private-secret-key-of-the-agency")


def test_development_accepts_the_demo_agency_code() -> None:
    assert Settings().agency_code == DEMO_AGENCY_CODE


def test_production_refuses_the_demo_agency_code() -> None:
    with pytest.raises(ValidationError, match="SOHOA_AGENCY_CODE"):
        Settings(environment="production", secret_key=PRIVATE)
    ok = Settings(environment="production", secret_key=PRIVATE, agency_code="000.00.00.H49")
    assert ok.agency_code == "000.00.00.H49"


def test_production_refuses_the_demo_pki(tmp_path: Path) -> None:
    demo = pki.write_demo_pki(tmp_path / "demo", password="mat-khau")
    base = {"environment": "production", "secret_key": PRIVATE, "agency_code": "000.00.00.H49"}
    with pytest.raises(ValidationError, match="demo PKI"):
        Settings(**base, signing_trust_roots=demo.ca_cert)
    with pytest.raises(ValidationError, match="demo PKI"):
        Settings(
            **base,
            signing_backend="pkcs12",
            signing_pkcs12_path=demo.clerk_p12,
            signing_pkcs12_password=SecretStr(demo.password),
        )
    # the agency's own CA is accepted; development takes the demo PKI
    own = pki.new_ca("CA của cơ quan", organization="Ủy ban nhân dân tỉnh")
    roots = tmp_path / "roots.pem"
    roots.write_bytes(own.cert.public_bytes(serialization.Encoding.PEM))
    assert Settings(**base, signing_trust_roots=roots).signing_trust_roots == roots
    assert Settings(signing_trust_roots=demo.ca_cert).signing_trust_roots == demo.ca_cert


def test_secrets_are_secret_in_settings(tmp_path: Path) -> None:
    s = Settings(
        signing_pkcs12_password=SecretStr("p12-pass"), signing_pkcs11_pin=SecretStr("9999")
    )
    assert "p12-pass" not in repr(s) and "9999" not in repr(s)
