"""The procedure catalogue (danh mục thủ tục hành chính): components, processing time, source."""

from __future__ import annotations

from fastapi import APIRouter

from ocr_service.api.deps import CurrentUser
from ocr_service.api.schemas import ProceduresPublic, error_responses, procedure_public
from ocr_service.procedures import all_procedures

__all__ = ["router"]

router = APIRouter(prefix="/procedures", tags=["procedures"])


@router.get("", responses=error_responses(401))
def procedures(user: CurrentUser) -> ProceduresPublic:
    """Every procedure of the catalogue with the components it requires (as document types),
    its processing time in working days and its legal source. No personal data."""
    return ProceduresPublic(procedures=[procedure_public(p) for p in all_procedures()])
