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


def _sohoa(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ocr_service.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=cwd,
    )


def test_sohoa_pki_demo_in_the_data_dir_is_what_the_embedded_default_signs_with(
    tmp_path: Path, pdfa_copy: bytes
) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(data))
    assert Settings(data_dir=data).signing_backend == "none"  # nothing there yet
    first = _sohoa("pki", "demo", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    folder = data / "demo-pki"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ca.pem", "clerk.p12", "crl.pem", "password", "tsa.p12",
    ]  # fmt: skip
    assert oct((folder / "password").stat().st_mode & 0o777) == "0o600"
    assert "SOHOA_SIGNING_PKCS12_PASSWORD" not in first.stdout  # kept in the folder, not shown
    ca = (folder / "ca.pem").read_bytes()
    again = _sohoa("pki", "demo", env=env, cwd=tmp_path)
    assert again.returncode == 0 and "kept" in again.stdout
    assert (folder / "ca.pem").read_bytes() == ca  # copies it signed stay trusted
    # development, no backend set: the demo PKI signs
    settings = Settings(data_dir=data)
    assert settings.signing_backend == "pkcs12"
    assert settings.signing_pkcs12_path == folder / "clerk.p12"
    trust = trust_from_settings(settings)
    signed = sign_copy(pdfa_copy, signer_from_settings(settings), trust, role="Cán bộ tiếp nhận")
    assert verify_copy(signed, trust).state is SignatureState.VALID
    # a backend set, even "none", turns it off; production never uses it
    assert Settings(data_dir=data, signing_backend="none").signing_backend == "none"
    production = Settings(
        data_dir=data,
        environment="production",
        secret_key="a-private-production-secret-0123456789",  # type: ignore[arg-type]
        agency_code="000.00.00.H49",
    )
    assert production.signing_backend == "none" and production.signing_pkcs12_path is None
