"""A demo PKI for signing copies: a signing CA, a clerk's certificate, a timestamp authority.

Everything it makes carries the organisation ``O=sohoa demo`` (``DEMO_PKI_ORGANIZATION``), so a
production ``Settings`` recognises and refuses it. Keys are generated on the spot with
``cryptography`` and written only where asked (``sohoa pki demo DIR``, or a test's temporary
folder); the repository holds none. The same helpers issue the odd certificates the tests need
(expired, revoked, from another CA).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.settings import DEMO_PKI_ORGANIZATION

__all__ = [
    "DEMO_CRL_URL",
    "DemoPki",
    "Issued",
    "issue",
    "make_crl",
    "new_ca",
    "pkcs12_bytes",
    "write_demo_pki",
]


DEMO_CRL_URL = "http://sohoa-demo.invalid/ca.crl"  # .invalid: never resolves (RFC 2606)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def _name(common_name: str, organization: str, title: str | None = None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(attrs)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_ca(
    common_name: str = "sohoa demo signing CA",
    *,
    organization: str = DEMO_PKI_ORGANIZATION,
    not_before: datetime | None = None,
    days: int = 3650,
) -> Issued:
    key = _key()
    start = not_before or datetime.now(UTC) - timedelta(hours=1)
    name = _name(common_name, organization)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def issue(
    ca: Issued,
    common_name: str,
    *,
    kind: Literal["signer", "tsa"] = "signer",
    title: str | None = None,
    organization: str | None = None,
    not_before: datetime | None = None,
    days: int = 730,
    crl_url: str | None = DEMO_CRL_URL,
) -> Issued:
    """A certificate signed by ``ca``: a document signer's (non-repudiation) or a TSA's.

    It names ``crl_url`` as its CRL distribution point: a certificate without one is not
    checked for revocation at all (pyhanko-certvalidator's soft-fail)."""
    key = _key()
    start = not_before or datetime.now(UTC) - timedelta(hours=1)
    org = organization or ca.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, str(org), title))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=kind == "signer",
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if crl_url:  # where the CA's CRL would be published; sohoa never fetches it (local CRLs)
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    if kind == "tsa":
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def make_crl(
    ca: Issued, revoked: Sequence[x509.Certificate] = (), *, days: int = 30
) -> x509.CertificateRevocationList:
    now = datetime.now(UTC) - timedelta(minutes=5)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now)
        .next_update(now + timedelta(days=days))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now)
            .build()
        )
    return builder.sign(ca.key, hashes.SHA256())


def pkcs12_bytes(
    issued: Issued, chain: Sequence[x509.Certificate], password: str, *, name: str = "clerk"
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        issued.key,
        issued.cert,
        list(chain),
        serialization.BestAvailableEncryption(password.encode()),
    )


@dataclass(frozen=True)
class DemoPki:
    """Where ``write_demo_pki`` put things, and the settings that use them."""

    directory: Path
    ca_cert: Path
    clerk_p12: Path
    tsa_p12: Path
    crl: Path
    password: str

    def env(self) -> dict[str, str]:
        return {
            "SOHOA_SIGNING_BACKEND": "pkcs12",
            "SOHOA_SIGNING_PKCS12_PATH": str(self.clerk_p12),
            "SOHOA_SIGNING_PKCS12_PASSWORD": self.password,
            "SOHOA_SIGNING_TRUST_ROOTS": str(self.ca_cert),
            "SOHOA_SIGNING_CRLS": f'["{self.crl}"]',
        }


def write_demo_pki(
    directory: Path,
    *,
    clerk_name: str = "Cán bộ một cửa (demo)",
    password: str | None = None,
    keep_password: bool = False,
) -> DemoPki:
    """Write ca.pem, clerk.p12, tsa.p12 (both protected by ``password``, random if not given)
    and crl.pem (the CA's CRL, nothing revoked) into ``directory`` (created, mode 0700).

    ``keep_password`` also writes the password to ``password`` (0600) beside them: what the
    embedded default reads to sign with the demo PKI in the data dir (development only; a
    demo key whose password sits next to it protects nothing, which is why production
    refuses demo certificates)."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    password = password or secrets.token_urlsafe(18)
    ca = new_ca()
    clerk = issue(ca, clerk_name, title="Cán bộ tiếp nhận")
    tsa = issue(ca, "sohoa demo timestamp authority", kind="tsa")
    paths = {
        "ca_cert": directory / "ca.pem",
        "clerk_p12": directory / "clerk.p12",
        "tsa_p12": directory / "tsa.p12",
        "crl": directory / "crl.pem",
    }
    paths["ca_cert"].write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    for key in ("clerk_p12", "tsa_p12"):
        issued = clerk if key == "clerk_p12" else tsa
        paths[key].write_bytes(pkcs12_bytes(issued, [ca.cert], password, name=key[:-4]))
        paths[key].chmod(0o600)
    # the demo folder is kept across `make demo` runs: a CRL as long-lived as the CA
    paths["crl"].write_bytes(make_crl(ca, days=3650).public_bytes(serialization.Encoding.PEM))
    if keep_password:
        secret = directory / "password"
        secret.touch(mode=0o600)
        secret.chmod(0o600)
        secret.write_text(password + "\n")
    return DemoPki(directory=directory, password=password, **paths)
