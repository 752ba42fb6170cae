"""The clerk's digital signature on a digitized copy (ký số bản số hóa), and its verification.

Decree 107/2021/NĐ-CP has the one-stop staff who digitize a dossier component answer for its
fidelity to the paper and sign it digitally; Circular 01/2023/TT-VPCP, Art. 8, has the person
digitizing sign the electronic copy (docs/legal-codes.md). ``sign_copy`` signs a PDF (PAdES
baseline B-B, or B-T with an RFC 3161 timestamp) with a visible block in Vietnamese, always by
**incremental update** (earlier signatures stay valid), so it is the last step, after the QR
code and the PDF/A conversion. Before signing, the certificate is checked against the trust
roots and local CRLs: expired, revoked or untrusted certificates are refused with the
taxonomy's Vietnamese messages, and nothing is signed.

Signers are pluggable (``CopySigner``): a PKCS#12 file, a PKCS#11 token (a USB token, an HSM,
SoftHSM in the tests), or a remote signing service (``RemoteCopySigner``: the seam is there, the
client is not; it says so). ``signer_from_settings`` picks one by ``SOHOA_SIGNING_BACKEND``;
``register_signer_backend`` adds more.

``verify_copy`` tells whether a copy's signatures are valid, invalid, untrusted, or whether it
has none, who signed and when; pyHanko validates, offline.

pyHanko runs its own event loop: call these from a worker thread, not inside a running loop.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import pikepdf
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11.exceptions import PKCS11Error
from pydantic import SecretStr
from pyhanko import stamp
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.registry import SimpleCertificateStore

from core.errors import (
    SigningCertificateExpiredError,
    SigningCertificateRevokedError,
    SigningCertificateUntrustedError,
    SigningNotConfiguredError,
    SigningPinError,
    SigningUnavailableError,
)
from core.settings import DEMO_PKI_ORGANIZATION, Settings
from ocr_service.vietnamese_font import vietnamese_subset

from .codes import VIETNAM_TZ

__all__ = [
    "COPY_STATEMENT",
    "CopySigner",
    "Pkcs11CopySigner",
    "Pkcs12CopySigner",
    "RemoteCopySigner",
    "SignatureInfo",
    "SignatureState",
    "SignatureStatus",
    "Trust",
    "check_signing_certificate",
    "register_signer_backend",
    "sign_copy",
    "signer_from_settings",
    "trust_from_settings",
    "verify_copy",
]

log = logging.getLogger(__name__)

# The signer answers for the copy's fidelity to the paper (Decree 107/2021/NĐ-CP); the texts
# read here give no fixed wording for the block, so this is sohoa's.
COPY_STATEMENT = "Bản số hóa từ bản giấy, đã đối chiếu"
# Noto Sans: Vietnamese, and 1000 units per em (pyHanko writes glyph widths in font units).
SIGNATURE_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # fonts-noto-core
_BOX_W, _BOX_H, _MARGIN = 210.0, 62.0, 14.0  # points; bottom right of the page
# Room for the CMS signature (hex doubles it): with it given, pyHanko does not sign twice to
# measure. A signer certificate and a CA or two take ~4 KB, a timestamp token ~4 KB more.
_RESERVED_BYTES, _RESERVED_BYTES_TS = 12_288, 24_576
# What makes a signature fail for now but not for ever: retry later.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    TimestampRequestError,
    PKCS11Error,
    aiohttp.ClientError,
    OSError,
    TimeoutError,
)


@dataclass(frozen=True)
class _FontInMemory(GlyphAccumulatorFactory):
    """pyHanko's font factory reading the font from bytes held in memory, not from a file: the
    stamp's font cut to Vietnamese Latin (``vietnamese_subset``, cut once per process: the
    whole Noto Sans took 0.4 s of each signature). A temporary copy of it outlived every
    worker stopped by a signal (``atexit`` does not run then). ``font_file`` only names it."""

    data: bytes = b""

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: Any = None
    ) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(self.data),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


# --- trust --------------------------------------------------------------------------------


def _load_certs(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _load_crl(data: bytes) -> asn1_crl.CertificateList:
    if b"-----BEGIN" in data:
        data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
    return asn1_crl.CertificateList.load(data)


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class Trust:
    """Which CAs a signature must chain to, and the CRLs to check it against (all local)."""

    roots: tuple[x509.Certificate, ...]
    crls: tuple[bytes, ...] = ()  # DER or PEM

    @classmethod
    def of(cls, roots: Sequence[x509.Certificate], crls: Sequence[bytes] = ()) -> Trust:
        return cls(tuple(roots), tuple(crls))

    def context(self, at: datetime | None = None) -> ValidationContext:
        return ValidationContext(
            trust_roots=[_asn1(c) for c in self.roots],
            crls=[_load_crl(c) for c in self.crls],
            allow_fetching=False,  # no network: revocation only from the CRLs given
            revocation_mode="soft-fail",  # a CRL that lists the certificate still fails it
            moment=at,
        )


def trust_from_settings(settings: Settings) -> Trust:
    if settings.signing_trust_roots is None:
        raise SigningNotConfiguredError(
            "Chưa cấu hình chứng thư gốc tin cậy (SOHOA_SIGNING_TRUST_ROOTS) nên không kiểm tra "
            "được chữ ký số của bản số hóa."
        )
    roots = _load_certs(settings.signing_trust_roots.read_bytes())
    return Trust.of(roots, [p.read_bytes() for p in settings.signing_crls])


def _common_name(cert: asn1_x509.Certificate) -> str:
    name = cert.subject.native
    return str(name.get("common_name") or cert.subject.human_friendly)


def check_signing_certificate(
    cert: asn1_x509.Certificate,
    trust: Trust,
    *,
    other_certs: Sequence[asn1_x509.Certificate] = (),
    at: datetime | None = None,
) -> None:
    """Refuse a certificate that is expired, revoked or not issued under the trust roots."""
    now = at or datetime.now(UTC)
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    who = _common_name(cert)
    if not not_before <= now <= not_after:
        raise SigningCertificateExpiredError(
            f"Chứng thư số của {who} đã hết hạn hoặc chưa đến ngày có hiệu lực (chỉ có hiệu lực "
            f"từ {not_before:%d/%m/%Y} đến {not_after:%d/%m/%Y}) nên chưa ký bản số hóa; gia hạn "
            "hoặc xin cấp chứng thư số mới rồi phê duyệt lại.",
            not_after=not_after.isoformat(),
        )
    validator = CertificateValidator(
        cert, intermediate_certs=list(other_certs), validation_context=trust.context(now)
    )
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except cv_errors.RevokedError as exc:
        raise SigningCertificateRevokedError(
            f"Chứng thư số của {who} đã bị thu hồi nên chưa ký bản số hóa; liên hệ tổ chức cung "
            "cấp dịch vụ chứng thực chữ ký số để được cấp chứng thư số mới."
        ) from exc
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError) as exc:
        raise SigningCertificateExpiredError() from exc
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError) as exc:
        raise SigningCertificateUntrustedError(
            f"Chứng thư số của {who} không do tổ chức chứng thực được tin cậy cấp (hoặc không "
            "dùng để ký văn bản) nên chưa ký bản số hóa; kiểm tra cấu hình chứng thư số."
        ) from exc
    except cv_errors.InvalidCertificateError as exc:
        raise SigningCertificateUntrustedError() from exc


# --- signers ------------------------------------------------------------------------------


class CopySigner(Protocol):
    """Something that can lend a pyHanko ``Signer`` for the time of one signature."""

    def open(self) -> AbstractContextManager[signers.Signer]:
        """A context manager (``with signer.open() as s``) yielding a ready pyHanko signer."""
        ...


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses (and so re-validates) the RSA key at every signature, 0.09 s
    of each; this one signs with the key object loaded once."""

    def __init__(self, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
        from pyhanko.sign.general import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        return await super().async_sign_raw(data, digest_algorithm, dry_run)


@lru_cache(maxsize=4)
def _unlock_pkcs12(path: Path, mtime_ns: int, password: bytes | None) -> _LoadedKeySigner:
    """The file's signer, decrypted once per process (and again when the file changes)."""
    del mtime_ns  # part of the cache key only
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(path.read_bytes(), password)
    except ValueError as exc:
        raise SigningPinError(
            "Mật khẩu của tệp chứng thư số không đúng (hoặc tệp hỏng) nên chưa ký bản số "
            "hóa; sửa SOHOA_SIGNING_PKCS12_PASSWORD rồi ký lại."
        ) from exc
    if key is None or cert is None:
        raise SigningNotConfiguredError("Tệp PKCS#12 không chứa khóa và chứng thư số để ký.")
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _LoadedKeySigner(
        key,
        signing_cert=_asn1(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in extra]),
    )


@dataclass
class Pkcs12CopySigner:
    """The key and certificate in a PKCS#12 file (``.p12``/``.pfx``) protected by a password.

    The unlocked key stays in this process's memory (as in any signing server), never on disk."""

    path: Path
    password: SecretStr | None = None

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        try:
            mtime = self.path.stat().st_mtime_ns
        except OSError as exc:
            raise SigningUnavailableError(
                f"Không đọc được tệp chứng thư số {self.path.name}; tài liệu đã phê duyệt nhưng "
                "chưa ký. Kiểm tra tệp rồi ký lại."
            ) from exc
        password = self.password.get_secret_value().encode() if self.password else None
        yield _unlock_pkcs12(self.path, mtime, password)


@dataclass
class Pkcs11CopySigner:
    """A key on a PKCS#11 token (USB token, HSM; SoftHSM2 in the tests)."""

    module: Path
    token_label: str
    pin: SecretStr | None
    key_label: str | None = None
    cert_label: str | None = None

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as hanko_p11

        unavailable = (
            "Không kết nối được thiết bị ký số «{token}» ({why}); tài liệu đã phê duyệt nhưng "
            "chưa ký. Cắm thiết bị ký số (hoặc kiểm tra dịch vụ) rồi ký lại."
        )
        if not self.module.is_file():
            raise SigningUnavailableError(
                unavailable.format(token=self.token_label, why=f"không có {self.module}")
            )
        try:
            session = hanko_p11.open_pkcs11_session(
                str(self.module),
                token_criteria=TokenCriteria(label=self.token_label),
                user_pin=self.pin.get_secret_value() if self.pin else None,
            )
        except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as exc:
            raise SigningPinError() from exc
        except p11.PinLocked as exc:
            raise SigningPinError(
                "Thiết bị ký số đã khóa mã PIN sau nhiều lần nhập sai; mở khóa thiết bị rồi ký lại."
            ) from exc
        except (p11.PKCS11Error, hanko_p11.PKCS11Error, OSError) as exc:
            raise SigningUnavailableError(
                unavailable.format(token=self.token_label, why=type(exc).__name__)
            ) from exc
        try:
            yield hanko_p11.PKCS11Signer(
                session,
                key_label=self.key_label,
                cert_label=self.cert_label or self.key_label,
            )
        finally:
            session.close()


@dataclass
class RemoteCopySigner:
    """A remote signing service (ký số từ xa). Not implemented: the seam for it.

    A client implements ``open`` by yielding a pyHanko ``Signer`` whose ``async_sign_raw``
    sends the digest to the service and returns the signature, and whose ``signing_cert`` is
    the clerk's certificate as the service reports it; ``sign_copy`` does the rest.
    """

    url: str | None = None

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        raise SigningNotConfiguredError(
            "Ký số từ xa chưa được cài đặt trong sohoa (SOHOA_SIGNING_BACKEND=remote); dùng "
            "pkcs12 hoặc pkcs11. Tài liệu đã phê duyệt nhưng chưa ký."
        )
        yield  # pragma: no cover  (a generator, for contextmanager)


_BACKENDS: dict[str, Callable[[Settings], CopySigner]] = {}


def register_signer_backend(name: str, factory: Callable[[Settings], CopySigner]) -> None:
    _BACKENDS[name] = factory


def _pkcs12(settings: Settings) -> CopySigner:
    if settings.signing_pkcs12_path is None:
        raise SigningNotConfiguredError("Chưa cấu hình SOHOA_SIGNING_PKCS12_PATH.")
    return Pkcs12CopySigner(settings.signing_pkcs12_path, settings.signing_pkcs12_password)


def _pkcs11(settings: Settings) -> CopySigner:
    if settings.signing_pkcs11_module is None or not settings.signing_pkcs11_token_label:
        raise SigningNotConfiguredError(
            "Chưa cấu hình SOHOA_SIGNING_PKCS11_MODULE và SOHOA_SIGNING_PKCS11_TOKEN_LABEL."
        )
    return Pkcs11CopySigner(
        settings.signing_pkcs11_module,
        settings.signing_pkcs11_token_label,
        settings.signing_pkcs11_pin,
        settings.signing_pkcs11_key_label,
        settings.signing_pkcs11_cert_label,
    )


register_signer_backend("pkcs12", _pkcs12)
register_signer_backend("pkcs11", _pkcs11)
register_signer_backend("remote", lambda s: RemoteCopySigner(s.signing_remote_url))


def signer_from_settings(settings: Settings) -> CopySigner:
    factory = _BACKENDS.get(settings.signing_backend)
    if factory is None:
        raise SigningNotConfiguredError()
    return factory(settings)


# --- signing ------------------------------------------------------------------------------


def _is_demo(cert: asn1_x509.Certificate) -> bool:
    return cert.subject.native.get("organization_name") == DEMO_PKI_ORGANIZATION


def _signature_box(pdf_bytes: bytes, page: int, index: int) -> tuple[int, int, int, int]:
    """Bottom right of the page; each further signature stacked above the one before."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _, y1, x2, _ = (float(v) for v in pdf.pages[page].mediabox)
    bottom = y1 + _MARGIN + index * (_BOX_H + 6)
    box = (x2 - _MARGIN - _BOX_W, bottom, x2 - _MARGIN, bottom + _BOX_H)
    return (round(box[0]), round(box[1]), round(box[2]), round(box[3]))


def sign_copy(
    pdf_bytes: bytes,
    signer: CopySigner,
    trust: Trust,
    *,
    role: str,
    timestamper: TimeStamper | str | None = None,
    location: str | None = None,
    page: int = 0,
    refuse_demo: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The PDF signed by ``signer`` (PAdES B-B; B-T when ``timestamper`` is a TSA URL or a
    pyHanko ``TimeStamper``), with a visible block on ``page``, appended as an incremental
    update. ``refuse_demo`` (production) refuses a certificate of sohoa's demo PKI."""
    when = now or datetime.now(UTC)
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    index = len(reader.embedded_signatures)
    with signer.open() as hanko_signer:
        cert = hanko_signer.signing_cert
        if cert is None:
            raise SigningNotConfiguredError("Thiết bị ký số không có chứng thư số để ký.")
        if refuse_demo and _is_demo(cert):
            raise SigningCertificateUntrustedError(
                f"Chứng thư số thử nghiệm ({DEMO_PKI_ORGANIZATION}) không được dùng khi vận hành "
                "thật; cấu hình chứng thư số của cơ quan."
            )
        others = list(hanko_signer.cert_registry) if hanko_signer.cert_registry else []
        check_signing_certificate(cert, trust, other_certs=others, at=when)
        name = _common_name(cert)
        style = stamp.TextStampStyle(
            stamp_text="Ký bởi: %(name)s\nChức vụ: %(role)s\nNgày ký: %(when)s\n%(statement)s",
            text_box_style=text.TextBoxStyle(
                font=_FontInMemory(str(SIGNATURE_FONT), data=vietnamese_subset(SIGNATURE_FONT)),
                font_size=7,
            ),
            border_width=1,
            background=None,
        )
        meta = signers.PdfSignatureMetadata(
            field_name=f"SohoaSignature{index + 1}",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=COPY_STATEMENT,
            location=location,
            name=name,
        )
        if isinstance(timestamper, str):
            timestamper = HTTPTimeStamper(timestamper, timeout=10)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=hanko_signer,
            timestamper=timestamper,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(
                sig_field_name=meta.field_name or "SohoaSignature",
                on_page=page,
                box=_signature_box(pdf_bytes, page, index),
            ),
        )
        try:
            out = pdf_signer.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False),
                bytes_reserved=_RESERVED_BYTES_TS if timestamper else _RESERVED_BYTES,
                appearance_text_params={
                    "name": name,
                    "role": role,
                    "when": when.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M:%S (GMT+7)"),
                    "statement": COPY_STATEMENT,
                },
            )
        except _UNAVAILABLE as exc:  # the token went away mid-signature, the TSA is down…
            raise SigningUnavailableError(
                "Không ký được bản số hóa lúc này (thiết bị ký số hoặc máy chủ dấu thời gian "
                f"không phản hồi: {type(exc).__name__}); tài liệu đã phê duyệt nhưng chưa ký. "
                "Thử ký lại."
            ) from exc
    return bytes(out.getvalue())


# --- verification -------------------------------------------------------------------------


class SignatureState(StrEnum):
    VALID = "valid"  # intact, cryptographically valid, chains to a trusted root, not revoked
    INVALID = "invalid"  # the signed bytes changed, or the signature is broken
    UNTRUSTED = "untrusted"  # intact, but the certificate does not chain to a trusted root
    UNSIGNED = "unsigned"


_RANK = {SignatureState.VALID: 0, SignatureState.UNTRUSTED: 1, SignatureState.INVALID: 2}
_MESSAGES = {
    SignatureState.VALID: "Chữ ký số hợp lệ.",
    SignatureState.INVALID: "Chữ ký số không hợp lệ: bản số hóa đã bị thay đổi sau khi ký.",
    SignatureState.UNTRUSTED: "Chữ ký số không do tổ chức chứng thực được tin cậy cấp.",
    SignatureState.UNSIGNED: "Bản số hóa chưa được ký số.",
}


@dataclass(frozen=True)
class SignatureInfo:
    field_name: str
    state: SignatureState
    signer: str | None
    signed_at: datetime | None  # the timestamp authority's time when there is one
    timestamped: bool
    problem: str | None = None


@dataclass(frozen=True)
class SignatureStatus:
    """The copy's signatures as one verdict: the worst of them; signer and time of the last."""

    state: SignatureState
    signer: str | None = None
    signed_at: datetime | None = None
    signatures: tuple[SignatureInfo, ...] = field(default=())

    @property
    def message(self) -> str:
        return _MESSAGES[self.state]

    def export(self) -> dict[str, object]:
        return {
            "state": self.state.value,
            "message": self.message,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "signatures": [
                {
                    "field": s.field_name,
                    "state": s.state.value,
                    "signer": s.signer,
                    "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                    "timestamped": s.timestamped,
                }
                for s in self.signatures
            ],
        }


def _check_one(embedded: object, context: ValidationContext, *, last: bool) -> SignatureInfo:
    from pyhanko.sign.general import CMSExtractionError, CMSStructuralError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    name = str(getattr(embedded, "field_name", "") or "")
    try:
        status = validate_pdf_signature(
            embedded,  # type: ignore[arg-type]
            signer_validation_context=context,
            ts_validation_context=context,
        )
    except (CMSExtractionError, CMSStructuralError, ValueError, KeyError) as exc:
        return SignatureInfo(name, SignatureState.INVALID, None, None, False, str(exc))
    cert = status.signing_cert
    signer = _common_name(cert) if cert is not None else None
    ts = status.timestamp_validity
    signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
    state, problem = SignatureState.VALID, None
    if not (status.intact and status.valid):
        state, problem = SignatureState.INVALID, "the signed bytes do not match the signature"
    elif last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        state, problem = SignatureState.INVALID, "bytes were added after the last signature"
    elif not status.docmdp_ok:
        state, problem = SignatureState.INVALID, "a later revision made disallowed changes"
    elif not status.trusted or (ts is not None and not (ts.intact and ts.valid and ts.trusted)):
        state, problem = SignatureState.UNTRUSTED, str(status.trust_problem_indic or "untrusted")
    return SignatureInfo(name, state, signer, signed_at, ts is not None, problem)


def verify_copy(
    pdf_bytes: bytes,
    trust_roots: Sequence[x509.Certificate] | Trust,
    *,
    at: datetime | None = None,
) -> SignatureStatus:
    """Check every signature of the copy against ``trust_roots`` (and CRLs, given a ``Trust``);
    offline. A file that no longer parses is ``invalid``: its bytes changed."""
    trust = trust_roots if isinstance(trust_roots, Trust) else Trust.of(trust_roots)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file: whatever pyHanko or the parser raises
        log.info("copy does not parse: %s", type(exc).__name__)
        return SignatureStatus(SignatureState.INVALID)
    if not embedded:
        return SignatureStatus(SignatureState.UNSIGNED)
    infos = tuple(
        _check_one(sig, trust.context(at), last=i == len(embedded) - 1)
        for i, sig in enumerate(embedded)
    )
    worst = max(infos, key=lambda s: _RANK[s.state]).state
    last = infos[-1]
    return SignatureStatus(worst, last.signer, last.signed_at, infos)
