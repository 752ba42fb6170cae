"""Tables of the citizen data store: dossiers, their components, registered documents, audit.

A dossier (hồ sơ) is opened at the counter for one citizen and one procedure; each uploaded
scan is a component (thành phần hồ sơ) processed by a job; every document found in it is
registered in the citizen's store with a digitization result code (mã kết quả số hóa).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.db import Base

__all__ = [
    "COMPONENT_STATUSES",
    "RELATIONS",
    "REVIEW_STATUSES",
    "AuditEvent",
    "Base",
    "Citizen",
    "CitizenAccessCode",
    "Component",
    "DocumentSubject",
    "Dossier",
    "PageOcr",
    "RegisteredDocument",
    "ReuseEvent",
    "RevokedToken",
    "SessionRevocation",
    "StaffAccount",
    "LoginThrottle",
    "WebSession",
    "new_id",
    "utcnow",
]

COMPONENT_STATUSES = ("queued", "processing", "done", "failed")
REVIEW_STATUSES = ("verified", "needs_review", "approved")
# How a person a document names relates to the dossier's citizen (quan hệ với người nộp hồ sơ):
# ``self`` is the dossier's citizen, confirmed by intake; a clerk confirms any other.
RELATIONS = ("self", "spouse", "child", "parent", "ward", "principal")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """Random ids, so no one can walk the store by counting."""
    return uuid.uuid4().hex


_TS = DateTime(timezone=True)


class Citizen(Base):
    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)


class Dossier(Base):
    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # The national dossier code (mã số hồ sơ, Circular 01/2018/TT-VPCP Art. 19), e.g.
    # 000.00.00.H49-261121-0001; NULL for dossiers opened before codes were given.
    code: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)
    procedure_code: Mapped[str] = mapped_column(String(100))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow, index=True)
    # The return date (ngày hẹn trả kết quả): from the catalogue procedure's processing time in
    # working days (ocr_service.procedures); NULL for a procedure not in the catalogue.
    due_on: Mapped[date | None] = mapped_column(Date)
    # The applicant's contact, printed on the receipt; optional.
    applicant_phone: Mapped[str | None] = mapped_column(String(20))
    applicant_email: Mapped[str | None] = mapped_column(String(254))

    citizen: Mapped[Citizen] = relationship(lazy="joined")
    components: Mapped[list[Component]] = relationship(
        back_populates="dossier", order_by="Component.created_at", lazy="selectin"
    )


class Component(Base):
    __tablename__ = "components"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_retryable: Mapped[bool | None] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    object_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(_TS, default=utcnow, onupdate=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(_TS)
    finished_at: Mapped[datetime | None] = mapped_column(_TS)

    dossier: Mapped[Dossier] = relationship(back_populates="components")
    documents: Mapped[list[RegisteredDocument]] = relationship(
        back_populates="component", order_by="RegisteredDocument.document_index", lazy="selectin"
    )
    pages: Mapped[list[PageOcr]] = relationship(order_by="PageOcr.page", lazy="select")


class RegisteredDocument(Base):
    """One document found in a component, registered in its citizen's store."""

    __tablename__ = "registered_documents"
    __table_args__ = (UniqueConstraint("component_id", "document_index"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    component_id: Mapped[str] = mapped_column(ForeignKey("components.id"), index=True)
    document_index: Mapped[int] = mapped_column(Integer)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(300))
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    doc_type_confidence: Mapped[float] = mapped_column(default=0.0)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_confidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {field: {source: value}} where more than one source (ocr, qr, mrz) read the field, and
    # {field: why a person should look}; as the pipeline found them, kept through a clerk's
    # corrections (the evidence). NULL for documents registered before migration 0013.
    field_readings: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)
    field_review: Mapped[dict[str, str] | None] = mapped_column(JSON, default=dict)
    verification: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pages: Mapped[list[int]] = mapped_column(JSON, default=list)
    digitization_code: Mapped[str] = mapped_column(String(100), unique=True)
    source_key: Mapped[str] = mapped_column(String(200))
    pdf_key: Mapped[str | None] = mapped_column(String(200))
    review_status: Mapped[str] = mapped_column(String(16), index=True)
    # {field: {"value", "original", "by", "at"}}; ``fields`` keeps what the pipeline read.
    corrected_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(_TS)
    # The signed copy (QR code, PDF/A, the clerk's signature) made at approval, stored as a new
    # object ``copies/<sha256>`` beside the unsigned searchable PDF (``pdf_key``), and what the
    # signing said: {"status": valid|invalid|untrusted|pending|unsigned, "message", "signer",
    # "code" (why pending or unsigned), "qr" (the QR code's text), "checked_at"}.
    signed_pdf_key: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(_TS)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(_TS, default=utcnow, onupdate=utcnow)

    component: Mapped[Component] = relationship(back_populates="documents")
    # the primary subject (the dossier's citizen when among the subjects); ``subjects`` lists
    # every citizen in whose store the document sits (both spouses for a marriage certificate)
    citizen: Mapped[Citizen] = relationship(lazy="joined")
    subjects: Mapped[list[DocumentSubject]] = relationship(
        back_populates="document",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="DocumentSubject.citizen_id",
    )


class DocumentSubject(Base):
    """A person a registered document is about: the document is in that citizen's store.

    One row per (document, citizen), so a marriage certificate is one document in both
    spouses' stores, never a copy. ``role`` names the field that identified the person
    (``id_number``, ``husband_id_number``, ``wife_id_number``, ...) or ``dossier`` when the
    document named no one and belongs to the dossier's citizen.

    What the OCR read does not make a person an owner: only a ``confirmed`` link does. The
    dossier's citizen is confirmed by intake (``relation`` ``self``, by the clerk who opened
    the dossier); anyone else the paper names stays unconfirmed, staff-only, until a clerk
    confirms how they relate to the dossier's citizen (who, when and which relation are kept).
    """

    __tablename__ = "document_subjects"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("registered_documents.id"), primary_key=True
    )
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(40))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    relation: Mapped[str | None] = mapped_column(String(20))
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None] = mapped_column(_TS)

    document: Mapped[RegisteredDocument] = relationship(back_populates="subjects")
    citizen: Mapped[Citizen] = relationship(lazy="joined")


class PageOcr(Base):
    """One page of a component as the OCR saw it, for the review screen."""

    __tablename__ = "page_ocr"
    __table_args__ = (UniqueConstraint("component_id", "page"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    component_id: Mapped[str] = mapped_column(ForeignKey("components.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    image_key: Mapped[str] = mapped_column(String(200))
    image_content_type: Mapped[str] = mapped_column(String(50), default="image/jpeg")
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ReuseEvent(Base):
    """An officer reused a registered document for another dossier (tái sử dụng)."""

    __tablename__ = "reuse_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("registered_documents.id"), index=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)


class AuditEvent(Base):
    """Append-only: the code has no update or delete path, PostgreSQL refuses them by trigger."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(_TS, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(50))
    document_id: Mapped[str | None] = mapped_column(String(32), index=True)
    citizen_id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RevokedToken(Base):
    """A signed-out token (its ``jti``): refused from now until it would have expired anyway."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)  # the token's exp (epoch s)
    revoked_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)


class SessionRevocation(Base):
    """Every token of ``subject`` issued before ``not_before`` (epoch s) is refused: an
    administrator revoked all of that user's sessions (a lost phone, a clerk who left)."""

    __tablename__ = "session_revocations"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    not_before: Mapped[int] = mapped_column(BigInteger)
    revoked_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)


class StaffAccount(Base):
    """A staff member who signs in to the pages with a user name and password (argon2id hash).

    ``username`` is the subject of their sessions and audit rows, as a token's ``sub`` is."""

    __tablename__ = "staff_accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(_TS)


class LoginThrottle(Base):
    """Failed sign-ins per user name as typed (known or not, so a lock-out says nothing about
    which names exist): the failures in the current window, and until when it is locked."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[int] = mapped_column(BigInteger)  # epoch s
    locked_until: Mapped[int] = mapped_column(BigInteger, default=0)  # epoch s, 0: not locked


class WebSession(Base):
    """A page session: the HttpOnly cookie holds a random token, this row only its SHA-256."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    role: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200), index=True)
    issued_at: Mapped[int] = mapped_column(BigInteger)  # epoch s
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)  # epoch s
    ended_at: Mapped[datetime | None] = mapped_column(_TS)  # signed out, or ended by an admin


class CitizenAccessCode(Base):
    """A one-time code a clerk gives a citizen at the counter (mã truy cập một lần): kept only
    as a keyed hash, good once, until ``expires_at``, voided after too many wrong tries."""

    __tablename__ = "citizen_access_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    citizen_id_number: Mapped[str] = mapped_column(String(12), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 under SOHOA_SECRET_KEY
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(_TS, default=utcnow)
    expires_at: Mapped[int] = mapped_column(BigInteger)  # epoch s
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(_TS)
