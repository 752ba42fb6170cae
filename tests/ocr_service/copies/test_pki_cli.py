"""`sohoa pki demo DIR`: a demo PKI that signs a copy which then validates; keys stay out of sight."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from core.settings import Settings
from ocr_service.copies.signing import (
    SignatureState,
    sign_copy,
    signer_from_settings,
    trust_from_settings,
    verify_copy,
)

REPO = Path(__file__).resolve().parents[3]


def test_sohoa_pki_demo_writes_a_working_demo_pki(
    tmp_path: Path, pdfa_copy: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pki"
    proc = subprocess.run(
        [sys.executable, "-c", "from ocr_service.cli import main; main()", "pki", "demo", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert sorted(p.name for p in out.iterdir()) == ["ca.pem", "clerk.p12", "crl.pem", "tsa.p12"]
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert oct((out / "clerk.p12").stat().st_mode & 0o777) == "0o600"
    env = dict(line.split("=", 1) for line in proc.stdout.splitlines() if line.startswith("SOHOA_"))
    env = {k: v.strip("'") for k, v in env.items()}
    password = env["SOHOA_SIGNING_PKCS12_PASSWORD"]
    assert len(password) >= 16
    # no private key in the clear anywhere in the folder
    for path in out.iterdir():
        assert b"PRIVATE KEY" not in path.read_bytes()
    key, cert, _ = pkcs12.load_key_and_certificates(
        (out / "clerk.p12").read_bytes(), password.encode()
    )
    assert key is not None and cert is not None
    (org,) = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert org.value == "sohoa demo"
    ca = x509.load_pem_x509_certificate((out / "ca.pem").read_bytes())
    assert cert.issuer == ca.subject
    # the printed settings sign a copy that validates
    for key, value in env.items():  # as the operator pastes them into the environment
        monkeypatch.setenv(key, value)
    settings = Settings()
    trust = trust_from_settings(settings)
    signed = sign_copy(pdfa_copy, signer_from_settings(settings), trust, role="Cán bộ tiếp nhận")
    status = verify_copy(signed, trust)
    assert status.state is SignatureState.VALID and status.signer == "Cán bộ một cửa (demo)"
