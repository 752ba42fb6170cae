"""The one place sohoa reads its configuration from (environment ``SOHOA_*`` and ``.env``)."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "DEMO_AGENCY_CODE",
    "DEMO_PKI_DIRNAME",
    "DEMO_PKI_ORGANIZATION",
    "DEV_SECRET",
    "Settings",
    "get_settings",
]

DEV_SECRET = "sohoa-development-secret-change-me"
# A well-formed agency code (QCVN 102:2016/BTTTT shape) that belongs to no agency: dossier codes
# made with it are demo codes, so production refuses it like the development secret.
DEMO_AGENCY_CODE = "000.00.00.Z99"
# The organisation (O=) of every certificate `sohoa pki demo` writes; production refuses them.
DEMO_PKI_ORGANIZATION = "sohoa demo"
# Where `sohoa pki demo` (no folder given) writes the demo PKI inside the data dir; in development
# with no signing backend set, the embedded default signs approved copies with it.
DEMO_PKI_DIRNAME = "demo-pki"


class Settings(BaseSettings):
    """Embedded defaults: with nothing set, everything runs on one machine under ``data_dir``."""

    model_config = SettingsConfigDict(env_prefix="SOHOA_", env_file=".env", extra="ignore")

    environment: str = "development"
    data_dir: Path = Path("sohoa-data")

    # Production components; unset means the embedded default.
    database_url: str | None = None
    register_database_url: str | None = None
    redis_url: str | None = None
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_bucket: str = "sohoa"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    # At rest: "sse-s3" has MinIO/S3 encrypt each object with its own keys; "sse-c" with
    # storage_encryption_key (S3 then needs https). The local store seals every object with
    # AES-256-GCM when storage_encryption_key is set (storage.sealed); objects stored before
    # stay readable. The key: 32 random bytes as 64 hex digits or base64.
    s3_encryption: Literal["none", "sse-s3", "sse-c"] = "none"
    storage_encryption_key: SecretStr | None = None

    # OCR. Tesseract reads the lines and asterocr re-reads its doubtful words: 1.6 CPU-s a
    # page on the evaluation set against 3.3 for asterocr reading every line with a vote,
    # at the same CER (1.41% vs 1.43% generated, 4.46% vs 4.47% real; README, "Measured
    # results"). "asterocr" is the slower reader, for when time does not matter.
    recognizer: str = "tesseract"
    ocr_threads: int = 1
    # Long side the text detector sees; 1280 keeps small print (x-height ~4 px) found
    # (960 saved ~0.35 s a page but took real-page CER from 4.68% to 5.45%).
    ocr_det_limit: int = 1280
    # The detector's weights: "int8" (quantized from rapidocr's fp32 ones, committed in
    # ocr_service/engine/models) or "fp32" (rapidocr's own). int8: an A4 page in 1.39-1.56
    # CPU-s against 1.63-1.80 (quiet, runs in between), generated CER 1.25% vs 1.36%, real
    # 4.39% vs 4.46%. Its boxes jitter, so with int8 each line is read from a box grown by
    # 6% above and below (engine.INT8_LINE_PAD): fields 1418/1444 vs 1416, verification
    # 258/262 vs 260 (without the growth 1396 and 253).
    ocr_det_weights: Literal["int8", "fp32"] = "int8"
    # The second reading of tone marks. With asterocr: each line read again from a crop
    # padded above, Tesseract breaking ties (engine.vote; fields 95.2% -> 98.4% on the tuning
    # subset). With tesseract: asterocr re-reads the words Tesseract doubts (engine.word_vote).
    ocr_tone_vote: bool = True
    # A born-digital PDF page is read from its own text layer when it can be trusted
    # (ocr_service.text_layer), not OCRed from its rendering; False OCRs every page.
    pdf_text_layer: bool = True

    # Input limits
    max_upload_bytes: int = 50 * 1024 * 1024
    # Any other request body (JSON): corrections are at most 40 fields of 1,000 characters.
    max_json_body_bytes: int = 256 * 1024
    max_image_pixels: int = 80_000_000
    max_pdf_pages: int = 200
    # All pages of one file together, as decoded (3 bytes a pixel). 600 Mpx is about 100 A4
    # pages at 250 dpi, about what one job OCRs within its time limit; the pages are decoded
    # one at a time, but the pipeline keeps every OCR'd page until the file is registered.
    max_total_pixels: int = 600_000_000

    # Temporaries (a partial upload, an object being written) older than this are left by a
    # killed process: removed at start (storage.tempfiles).
    stale_temp_seconds: int = 3600

    # Jobs
    queue_name: str = "sohoa-pipeline"
    job_timeout_seconds: int = 600
    job_max_retries: int = 3

    # Auth
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    token_ttl_seconds: int = 8 * 3600
    # No token lives longer (exp - iat), whoever signed it: a working day and a half.
    token_max_ttl_seconds: int = 12 * 3600

    # Staff accounts and the pages' sessions (ocr_service.accounts). A page session lives as
    # long as a token may; its cookie (sohoa_session, HttpOnly, SameSite=Lax) is Secure unless
    # set to false, and by default everywhere but a development machine.
    session_ttl_seconds: int = 8 * 3600
    session_cookie_secure: bool | None = None
    # Sign-in: after this many failures for one user name within the window, that name is
    # locked out (every attempt refused, even the right password) for the lock-out period.
    login_max_failures: int = 5
    login_failure_window_seconds: int = 15 * 60
    login_lockout_seconds: int = 15 * 60
    # A citizen's one-time code (XXXX-XXXX), issued by a clerk at the counter: how long it
    # lasts and how many wrong codes for that citizen void it.
    citizen_code_ttl_seconds: int = 15 * 60
    citizen_code_max_attempts: int = 5

    # The digitized copy (ocr_service.copies; docs/legal-codes.md). The agency's identifier
    # code (QCVN 102:2016/BTTTT) heads every dossier code (Circular 01/2018/TT-VPCP, Art. 19).
    agency_code: str = DEMO_AGENCY_CODE
    # "Tên hệ thống thông tin cung cấp dữ liệu" in the copy's QR code (Circular 01/2023/TT-VPCP).
    system_name: str = "sohoa"
    # The digitization result code's structure (Circular 01/2023/TT-VPCP, Art. 10 cl. 1): a
    # template (ocr_service.copies.codes.DigitizationCodeTemplate, with {seq}) or a preset's
    # name ("one-stop-component", a one-stop system's structure, unconfirmed); unset: sohoa's
    # own SH-YYYYMMDD-XXXXXXXX-C, until the Circular's structure is confirmed
    # (docs/legal-codes.md §3). Resolved when a worker starts.
    digitization_code_template: str | None = None
    # Who signs approved copies: "none" (unsigned), "pkcs12", "pkcs11" or "remote".
    signing_backend: Literal["none", "pkcs12", "pkcs11", "remote"] = "none"
    signing_pkcs12_path: Path | None = None
    signing_pkcs12_password: SecretStr | None = None
    signing_pkcs11_module: Path | None = None  # e.g. /usr/lib/softhsm/libsofthsm2.so
    signing_pkcs11_token_label: str | None = None
    signing_pkcs11_key_label: str | None = None
    signing_pkcs11_cert_label: str | None = None
    signing_pkcs11_pin: SecretStr | None = None
    signing_remote_url: str | None = None
    # PEM file of the CA certificates a signature must chain to, and local CRL files (DER or
    # PEM) checked before signing and when verifying; nothing is fetched from the network.
    signing_trust_roots: Path | None = None
    signing_crls: list[Path] = []
    signing_tsa_url: str | None = None  # RFC 3161 timestamp authority; unset: no timestamp
    signing_role: str = "Cán bộ tiếp nhận, Bộ phận Một cửa"
    # Whose certificate signs a copy at approval: "agency" (the signer configured above) or
    # "clerk" (the approving clerk's own PKCS#12 file, <signing_clerk_pkcs12_dir>/<the clerk's
    # token subject>.p12, unlocked by signing_clerk_pkcs12_passwords[subject], else by
    # SOHOA_SIGNING_PKCS12_PASSWORD). Trust roots, CRLs and the TSA are the same for both.
    signing_signer: Literal["agency", "clerk"] = "agency"
    signing_clerk_pkcs12_dir: Path | None = None
    signing_clerk_pkcs12_passwords: dict[str, SecretStr] = {}

    # The counter (issue 16). The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Circular
    # 01/2018/TT-VPCP Mẫu số 01) is headed by the agency's name and dated at its place.
    agency_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    receipt_place: str = ""  # e.g. "Hà Nội"; empty: the receipt leaves dots to write it in
    # Days off besides Saturdays and Sundays, counted out of a procedure's processing time:
    # ISO dates ("2027-02-08") and yearly dates ("09-02"); a JSON list in SOHOA_HOLIDAYS.
    # The default: the fixed-date public holidays of the Labour Code 2019 (Art. 112); Tết and
    # the Hùng Kings' day follow the lunar calendar, so each year's dates must be added.
    holidays: list[str] = ["01-01", "04-30", "05-01", "09-02"]

    @model_validator(mode="after")
    def _holidays_are_dates(self) -> Settings:
        for day in self.holidays:
            try:
                date.fromisoformat(day if len(day) == 10 else f"2000-{day}")
            except ValueError:
                raise ValueError(
                    f"SOHOA_HOLIDAYS: {day!r} is neither an ISO date (2027-02-08) nor a "
                    "yearly date (09-02)"
                ) from None
        return self

    @model_validator(mode="after")
    def _use_the_demo_pki_when_present(self) -> Settings:
        """Development only, SOHOA_SIGNING_BACKEND not set: sign with `sohoa pki demo`'s PKI
        when <data_dir>/demo-pki holds it (what `make demo` writes). Setting the backend, even
        to "none", turns this off; production never gets here (and refuses demo certificates)."""
        if self.environment != "development" or "signing_backend" in self.model_fields_set:
            return self
        pki = self.demo_pki_dir
        files = [pki / n for n in ("clerk.p12", "password", "ca.pem", "crl.pem")]
        if not all(f.is_file() for f in files):
            return self
        self.signing_backend = "pkcs12"
        self.signing_pkcs12_path = pki / "clerk.p12"
        self.signing_pkcs12_password = SecretStr((pki / "password").read_text().strip())
        if self.signing_trust_roots is None:
            self.signing_trust_roots = pki / "ca.pem"
            self.signing_crls = [*self.signing_crls, pki / "crl.pem"]
        return self

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        """The published development secret signs tokens anyone can forge: refuse it whenever
        this is not a development machine, whatever ``SOHOA_ENVIRONMENT`` says. The demo PKI
        and the demo agency code are refused the same way.

        A production component configured (PostgreSQL, Redis, S3) means production even with
        ``SOHOA_ENVIRONMENT`` unset.
        """
        components = self.production_components
        production = self.environment != "development" or bool(components)
        if production and self.secret_key.get_secret_value() == DEV_SECRET:
            why = (
                f"production components are configured ({', '.join(components)})"
                if components
                else f"SOHOA_ENVIRONMENT is {self.environment!r}"
            )
            raise ValueError(
                f"SOHOA_SECRET_KEY is the published development secret, but {why}: set "
                "SOHOA_SECRET_KEY to a private random value (e.g. `openssl rand -hex 32`)"
            )
        if production and _names_demo_pki(self):
            raise ValueError(
                "the signing certificate or trust roots are sohoa's demo PKI "
                f"(O={DEMO_PKI_ORGANIZATION}); configure the agency's own outside development"
            )
        # The agency code is refused by SOHOA_ENVIRONMENT alone: a test bed with PostgreSQL
        # and Redis but no agency of its own still numbers dossiers with the demo code.
        if self.environment != "development" and self.agency_code == DEMO_AGENCY_CODE:
            raise ValueError(
                "SOHOA_AGENCY_CODE must be set to the agency's own code outside development"
            )
        return self

    @model_validator(mode="after")
    def _token_ttl_within_maximum(self) -> Settings:
        if not 0 < self.token_ttl_seconds <= self.token_max_ttl_seconds:
            raise ValueError(
                f"SOHOA_TOKEN_TTL_SECONDS ({self.token_ttl_seconds}) must be between 1 and "
                f"SOHOA_TOKEN_MAX_TTL_SECONDS ({self.token_max_ttl_seconds})"
            )
        return self

    @model_validator(mode="after")
    def _sign_in_limits_positive(self) -> Settings:
        for name in (
            "session_ttl_seconds",
            "login_max_failures",
            "login_failure_window_seconds",
            "login_lockout_seconds",
            "citizen_code_ttl_seconds",
            "citizen_code_max_attempts",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"SOHOA_{name.upper()} must be at least 1")
        if self.session_ttl_seconds > self.token_max_ttl_seconds:
            raise ValueError(
                f"SOHOA_SESSION_TTL_SECONDS ({self.session_ttl_seconds}) must not exceed "
                f"SOHOA_TOKEN_MAX_TTL_SECONDS ({self.token_max_ttl_seconds})"
            )
        return self

    @model_validator(mode="after")
    def _encryption_usable(self) -> Settings:
        self.storage_key()  # refuses a malformed key at start, not at the first upload
        if self.s3_encryption == "sse-c":
            if self.storage_encryption_key is None:
                raise ValueError(
                    "SOHOA_S3_ENCRYPTION=sse-c needs SOHOA_STORAGE_ENCRYPTION_KEY "
                    "(e.g. `openssl rand -hex 32`)"
                )
            if self.s3_endpoint and not (self.s3_secure or self.s3_endpoint.startswith("https://")):
                raise ValueError(
                    "SOHOA_S3_ENCRYPTION=sse-c sends the key with every request: S3 accepts it "
                    "only over https (an https:// SOHOA_S3_ENDPOINT or SOHOA_S3_SECURE=true)"
                )
        return self

    def storage_key(self) -> bytes | None:
        """``storage_encryption_key`` as 32 bytes (from 64 hex digits or base64), or None."""
        if self.storage_encryption_key is None:
            return None
        text = self.storage_encryption_key.get_secret_value().strip()
        raw: bytes | None = None
        if len(text) == 64:
            try:
                raw = bytes.fromhex(text)
            except ValueError:
                raw = None
        if raw is None:
            try:
                raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                raw = None
        if raw is None or len(raw) != 32:
            raise ValueError(
                "SOHOA_STORAGE_ENCRYPTION_KEY must be 32 random bytes as 64 hex digits or "
                "base64 (e.g. `openssl rand -hex 32`)"
            )
        return raw

    @property
    def production_components(self) -> list[str]:
        """The ``SOHOA_*`` variables set that switch a part to its production component."""
        found = []
        for name, url in (
            ("SOHOA_DATABASE_URL", self.database_url),
            ("SOHOA_REGISTER_DATABASE_URL", self.register_database_url),
        ):
            if url and not url.startswith("sqlite"):
                found.append(name)
        if self.redis_url:
            found.append("SOHOA_REDIS_URL")
        if self.s3_endpoint:
            found.append("SOHOA_S3_ENDPOINT")
        return found

    @property
    def is_production(self) -> bool:
        """Not a development machine: SOHOA_ENVIRONMENT says so, or a production component is
        configured (what refuses the development secret and the demo PKI refuses demo accounts)."""
        return self.environment != "development" or bool(self.production_components)

    @property
    def cookies_secure(self) -> bool:
        """Whether the pages' cookies carry ``Secure`` (sent over https only)."""
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.is_production

    @property
    def api_docs_enabled(self) -> bool:
        """``/docs`` and ``/redoc`` (they load scripts from a CDN): development machines only."""
        return self.environment == "development" and not self.production_components

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "sohoa.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def effective_register_url(self) -> str:
        return self.register_database_url or self.effective_database_url

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def demo_pki_dir(self) -> Path:
        return self.data_dir / DEMO_PKI_DIRNAME


def _names_demo_pki(settings: Settings) -> bool:
    """Whether a configured certificate file holds a certificate of the demo PKI."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    certs: list[x509.Certificate] = []
    roots = settings.signing_trust_roots
    if roots is not None and roots.is_file():
        certs += x509.load_pem_x509_certificates(roots.read_bytes())
    p12 = settings.signing_pkcs12_path
    if settings.signing_backend == "pkcs12" and p12 is not None and p12.is_file():
        password = settings.signing_pkcs12_password
        try:
            _key, cert, extra = pkcs12.load_key_and_certificates(
                p12.read_bytes(), password.get_secret_value().encode() if password else None
            )
        except ValueError:
            extra, cert = [], None  # a wrong password is reported when signing
        certs += [c for c in [cert, *extra] if c is not None]
    return any(
        attr.value == DEMO_PKI_ORGANIZATION
        for c in certs
        for attr in c.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
