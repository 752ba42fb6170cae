"""Components: status and OCR pages for the review screen, page images, retry."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from core.errors import ConflictError, NotFoundError
from ocr_service.api.deps import (
    ClerkUser,
    QueueDep,
    RequestId,
    SessionDep,
    SettingsDep,
    StaffUser,
    StoreDep,
)
from ocr_service.api.schemas import (
    ComponentAcceptedPublic,
    ComponentWithPagesPublic,
    component_with_pages_public,
    error_responses,
)
from ocr_service.approval import check_copies
from storage.models import utcnow
from storage.repository import (
    append_audit,
    audit_read,
    get_component,
    list_pages,
    requeue_component,
)

__all__ = ["router"]

router = APIRouter(prefix="/components", tags=["components"])


@router.get("/{component_id}", responses=error_responses(401, 403, 404, 422, 503))
def read_component(
    component_id: str,
    user: StaffUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> ComponentWithPagesPublic:
    """The component for the review screen, its documents' signed copies checked now."""
    component = get_component(session, component_id=component_id)
    signatures = check_copies(
        session,
        component.documents,
        store=store,
        settings=settings,
        actor=user.subject,
        role=user.role,
        request_id=request_id,
    )
    body = component_with_pages_public(
        component, list(list_pages(session, component_id=component_id)), signatures
    )
    # audited even before documents are found: the file name and OCR text are personal data
    audit_read(
        session,
        actor=user.subject,
        role=user.role,
        action="component.read",
        first_citizen=component.dossier.citizen.id_number,
        documents=component.documents,
        request_id=request_id,
        detail={
            "component_id": component.id,
            "documents": [d.id for d in component.documents],
            "dossier_id": component.dossier_id,
        },
    )
    session.commit()
    return body


@router.get(
    "/{component_id}/pages/{page}/image",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}},
        **error_responses(401, 403, 404, 422, 503),
    },
)
def page_image(
    component_id: str,
    page: int,
    user: StaffUser,
    session: SessionDep,
    store: StoreDep,
    request_id: RequestId,
) -> Response:
    """The preprocessed page the OCR boxes refer to (a read of the citizen's scan: audited)."""
    component = get_component(session, component_id=component_id)
    for row in list_pages(session, component_id=component_id):
        if row.page == page:
            data = store.get(row.image_key)
            audit_read(
                session,
                actor=user.subject,
                role=user.role,
                action="page.read",
                first_citizen=component.dossier.citizen.id_number,
                documents=component.documents,
                request_id=request_id,
                detail={
                    "component_id": component.id,
                    "page": page,
                    "dossier_id": component.dossier_id,
                },
            )
            session.commit()
            return Response(
                data,
                media_type=row.image_content_type,
                headers={"Cache-Control": "private, max-age=3600"},
            )
    raise NotFoundError("No such page for this component.")


@router.post(
    "/{component_id}/retry",
    status_code=202,
    responses=error_responses(401, 403, 404, 409, 422, 503),
)
def retry_component(
    component_id: str,
    user: ClerkUser,
    session: SessionDep,
    queue: QueueDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> ComponentAcceptedPublic:
    """Re-queue a failed component (or one stuck in processing past the job time limit)."""
    component = get_component(session, component_id=component_id)
    stuck = (
        component.status in ("queued", "processing")
        and component.updated_at is not None
        and _aware(component.updated_at)
        < utcnow() - timedelta(seconds=2 * settings.job_timeout_seconds)
    )
    if component.status != "failed" and not stuck:
        raise ConflictError(
            f"The component is {component.status}; only a failed component can be retried."
        )
    requeue_component(component)
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="component.retry",
        citizen_id_number=component.dossier.citizen.id_number,
        request_id=request_id,
        detail={"component_id": component.id, "dossier_id": component.dossier_id},
    )
    session.commit()
    queue.enqueue_component(component.id)
    return ComponentAcceptedPublic(id=component.id, status="queued")


def _aware(value: Any) -> Any:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
