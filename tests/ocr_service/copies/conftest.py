"""Fixtures for the digitized copy: a demo PKI in a temporary folder, SoftHSM2, a local TSA."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pydantic import SecretStr

from ocr_service.copies import pki
from ocr_service.copies.pdfa import to_pdfa
from ocr_service.copies.signing import Pkcs12CopySigner, Trust
from tests.ocr_service.copies.copy_kit import sample_searchable_pdf

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL, TOKEN_PIN = "sohoa-test", "246810"
PASSWORD = "mat-khau-thu"


@dataclass
class PkiKit:
    directory: Path
    ca: pki.Issued
    other_ca: pki.Issued
    clerk: pki.Issued
    tsa: pki.Issued

    def p12(self, issued: pki.Issued, name: str, ca: pki.Issued | None = None) -> Path:
        path = self.directory / f"{name}.p12"
        path.write_bytes(pki.pkcs12_bytes(issued, [(ca or self.ca).cert], PASSWORD, name=name))
        return path

    def signer(self, issued: pki.Issued | None = None, name: str = "clerk") -> Pkcs12CopySigner:
        return Pkcs12CopySigner(self.p12(issued or self.clerk, name), SecretStr(PASSWORD))

    def trust(self, *, revoked: tuple[pki.Issued, ...] = ()) -> Trust:
        crl = pki.make_crl(self.ca, [r.cert for r in revoked])
        return Trust.of([self.ca.cert], [crl.public_bytes(serialization.Encoding.DER)])


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> PkiKit:
    directory = tmp_path_factory.mktemp("pki")
    ca = pki.new_ca()
    return PkiKit(
        directory=directory,
        ca=ca,
        other_ca=pki.new_ca("another CA", organization="Khác"),
        clerk=pki.issue(ca, "Nguyễn Thị Lan", title="Cán bộ tiếp nhận"),
        tsa=pki.issue(ca, "sohoa test TSA", kind="tsa"),
    )


@pytest.fixture(scope="session")
def pdfa_copy() -> bytes:
    return to_pdfa(sample_searchable_pdf(2))


# --- SoftHSM2 ------------------------------------------------------------------------------


@dataclass
class Token:
    module: Path
    label: str
    pin: str
    key_label: str


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory, test_pki: PkiKit) -> Iterator[Token]:
    """A SoftHSM2 token in a temporary folder holding the clerk's key and certificate.

    SOFTHSM2_CONF is read when the library is first loaded in this process, so the token is
    made once per session, before any test opens it."""
    if not SOFTHSM_MODULE.is_file() or not shutil.which("pkcs11-tool"):
        pytest.skip("softhsm2 and opensc are not installed (Makefile APT_PACKAGES)")
    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
        "--so-pin", "13579", "--pin", TOKEN_PIN)  # fmt: skip
    key_pem, cert_der = home / "clerk-key.pem", home / "clerk.der"
    key_pem.write_bytes(
        test_pki.clerk.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_der.write_bytes(test_pki.clerk.cert.public_bytes(serialization.Encoding.DER))
    run("softhsm2-util", "--import", str(key_pem), "--token", TOKEN_LABEL, "--label", "clerk",
        "--id", "01", "--pin", TOKEN_PIN)  # fmt: skip
    run("pkcs11-tool", "--module", str(SOFTHSM_MODULE), "--token-label", TOKEN_LABEL, "--login",
        "--pin", TOKEN_PIN, "--write-object", str(cert_der), "--type", "cert", "--label", "clerk",
        "--id", "01")  # fmt: skip
    key_pem.unlink()  # the key now lives only in the token
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFTHSM2_CONF", str(conf))
        yield Token(SOFTHSM_MODULE, TOKEN_LABEL, TOKEN_PIN, "clerk")


# --- a timestamp authority on loopback -----------------------------------------------------


@pytest.fixture
def tsa_url(test_pki: PkiKit) -> Iterator[str]:
    """An RFC 3161 TSA (pyHanko's DummyTimeStamper behind a tiny HTTP server), stopped after."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    der_key = test_pki.tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(
            test_pki.tsa.cert.public_bytes(serialization.Encoding.DER)
        ),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
        fixed_dt=datetime.now(UTC) - timedelta(seconds=1),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
