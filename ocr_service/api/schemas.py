"""Request bodies (``XCreate``/``XUpdate``) and the JSON the API answers with (``x_public``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from core.ids import ID_NUMBER_PATTERN
from storage.models import (
    AuditEvent,
    Component,
    Dossier,
    PageOcr,
    RegisteredDocument,
    ReuseEvent,
)
from storage.repository import dossier_status, effective_fields, subject_id_numbers

__all__ = [
    "API_PREFIX",
    "DocumentUpdate",
    "DossierCreate",
    "ReuseCreate",
    "audit_public",
    "component_public",
    "document_public",
    "dossier_public",
    "page_public",
    "reuse_public",
]

API_PREFIX = "/api/v1"


class DossierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # printable only: PostgreSQL refuses NUL in text (it would surface as a 503, not a 422)
    procedure_code: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    citizen_id_number: str = Field(pattern=ID_NUMBER_PATTERN, description="12-digit id number")


# Bounds on a correction (#17): a document type has at most 12 fields and sohoa knows 32
# names; the longest value read so far is an address of ~100 characters.
MAX_CORRECTED_FIELDS = 40
MAX_CORRECTED_VALUE = 1000
CorrectedValue = Annotated[str, StringConstraints(max_length=MAX_CORRECTED_VALUE)]


class DocumentUpdate(BaseModel):
    """Corrections: field name → corrected value (``null`` removes a wrongly read field)."""

    model_config = ConfigDict(extra="forbid")

    fields: dict[str, CorrectedValue | None] = Field(min_length=1, max_length=MAX_CORRECTED_FIELDS)

    @field_validator("fields")
    @classmethod
    def _names(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        for name in value:
            if not name.isidentifier() or len(name) > 64:
                raise ValueError(f"{name!r} is not a field name")
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in value.items()}


class ReuseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dossier_id: str = Field(min_length=1, max_length=32)


def _ts(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def document_public(doc: RegisteredDocument) -> dict[str, Any]:
    """The CLI's extract shape plus the store's own fields."""
    return {
        "id": doc.id,
        "digitization_code": doc.digitization_code,
        "source": doc.source_name,
        "pages": list(doc.pages or []),
        "doc_type": doc.doc_type,
        "fields": effective_fields(doc),
        "field_confidence": dict(doc.field_confidence or {}),
        "verification": dict(doc.verification or {}),
        "doc_type_confidence": doc.doc_type_confidence,
        "field_source": dict(doc.field_source or {}),
        "review_status": doc.review_status,
        "corrected_fields": dict(doc.corrected_fields or {}),
        "approved_by": doc.approved_by,
        "approved_at": _ts(doc.approved_at),
        "component_id": doc.component_id,
        "dossier_id": doc.dossier_id,
        "citizen_id_number": doc.citizen.id_number,
        # everyone whose store holds it (both spouses for a marriage certificate)
        "subject_id_numbers": subject_id_numbers(doc),
        "created_at": _ts(doc.created_at),
        "updated_at": _ts(doc.updated_at),
        "file_url": f"{API_PREFIX}/documents/{doc.id}/file" if doc.pdf_key else None,
    }


def page_public(page: PageOcr) -> dict[str, Any]:
    return {
        "page": page.page,
        "width": page.width,
        "height": page.height,
        "rotation": page.rotation,
        "image_url": f"{API_PREFIX}/components/{page.component_id}/pages/{page.page}/image",
        "lines": list(page.lines or []),
    }


def component_public(component: Component, *, pages: list[PageOcr] | None = None) -> dict[str, Any]:
    error = None
    if component.error_code:
        error = {
            "code": component.error_code,
            "message": component.error_message,
            "retryable": bool(component.error_retryable),
        }
    body: dict[str, Any] = {
        "id": component.id,
        "dossier_id": component.dossier_id,
        "status": component.status,
        "original_filename": component.original_filename,
        "content_type": component.content_type,
        "size": component.size_bytes,
        "sha256": component.sha256,
        "attempts": component.attempts,
        "error": error,
        "created_at": _ts(component.created_at),
        "updated_at": _ts(component.updated_at),
        "started_at": _ts(component.started_at),
        "finished_at": _ts(component.finished_at),
        "documents": [document_public(d) for d in component.documents],
    }
    if pages is not None:
        body["pages"] = [page_public(p) for p in pages]
    return body


def dossier_public(dossier: Dossier) -> dict[str, Any]:
    return {
        "id": dossier.id,
        "procedure_code": dossier.procedure_code,
        "citizen_id_number": dossier.citizen.id_number,
        "created_by": dossier.created_by,
        "created_at": _ts(dossier.created_at),
        "status": dossier_status(dossier),
        "components": [component_public(c) for c in dossier.components],
    }


def reuse_public(event: ReuseEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "document_id": event.document_id,
        "dossier_id": event.dossier_id,
        "actor": event.actor,
        "role": event.role,
        "created_at": _ts(event.created_at),
    }


def audit_public(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": _ts(event.at),
        "actor": event.actor,
        "role": event.role,
        "action": event.action,
        "document_id": event.document_id,
        "citizen_id_number": event.citizen_id_number,
        "request_id": event.request_id,
        "detail": dict(event.detail or {}),
    }
