"""Who the token says the caller is, and (for a citizen) who processed their data."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ocr_service.api.deps import CitizenUser, CurrentUser, RequestId, SessionDep
from ocr_service.api.schemas import (
    AccessLogEntryPublic,
    AccessLogPublic,
    UserPublic,
    error_responses,
)
from ocr_service.auth import Principal
from ocr_service.web.labels import AUDIT_ACTIONS, ROLES
from storage.models import AuditEvent, Dossier, RegisteredDocument
from storage.repository import (
    ACCESS_LOG_READ,
    append_audit,
    find_documents,
    find_dossiers,
    list_citizen_access_log,
)

__all__ = ["router"]

router = APIRouter(tags=["me"])


@router.get("/me", responses=error_responses(401))
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic(role=user.role, subject=user.subject)


@router.get("/me/access-log", responses=error_responses(401, 403, 404, 422, 503))
def read_access_log(
    user: CitizenUser,
    session: SessionDep,
    request_id: RequestId,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> AccessLogPublic:
    """Ai đã xem giấy tờ của tôi: who read, corrected, approved or reused the citizen's
    documents and dossiers, when, and for which dossier (the right to know about the
    processing of one's personal data, Law 91/2025/QH15 on personal data protection, Art. 4
    cl. 1 a). Staff appear by user name and role. Citizens only: staff have no store of their
    own, and the admin reads anyone's trail at ``/audit``.
    """
    events = list_citizen_access_log(
        session, citizen_id_number=user.subject, limit=limit + 1, offset=offset
    )
    more = len(events) > limit
    events = events[:limit]
    documents = find_documents(session, ids={e.document_id for e in events if e.document_id})
    dossiers = find_dossiers(session, ids={d for e in events if (d := _dossier_of(e))})
    body = AccessLogPublic(
        entries=[_entry(e, user, documents, dossiers) for e in events],
        next_offset=offset + limit if more else None,
    )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action=ACCESS_LOG_READ,
        citizen_id_number=user.subject,
        request_id=request_id,
        detail={"limit": limit, "offset": offset},
    )
    session.commit()
    return body


def _dossier_of(event: AuditEvent) -> str | None:
    value = (event.detail or {}).get("dossier_id")
    return value if isinstance(value, str) else None


def _entry(
    event: AuditEvent,
    user: Principal,
    documents: dict[str, RegisteredDocument],
    dossiers: dict[str, Dossier],
) -> AccessLogEntryPublic:
    document = documents.get(event.document_id or "")
    dossier_id = _dossier_of(event)
    dossier = dossiers.get(dossier_id or "")
    if event.role == "citizen":  # the citizen themselves (another citizen is never named)
        actor, label = None, "Bạn" if event.actor == user.subject else ROLES["citizen"]
    else:
        actor, label = event.actor, ROLES.get(event.role, event.role)
    return AccessLogEntryPublic(
        at=event.at,
        action=event.action,
        action_label=AUDIT_ACTIONS.get(event.action, event.action),
        actor=actor,
        actor_role=event.role,  # type: ignore[arg-type]
        actor_label=label,
        document_id=document.id if document else None,
        doc_type=document.doc_type if document else None,
        digitization_code=document.digitization_code if document else None,
        dossier_id=dossier_id,
        procedure_code=dossier.procedure_code if dossier else None,
    )
