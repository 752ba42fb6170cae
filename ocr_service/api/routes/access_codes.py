"""A citizen's one-time code (mã truy cập một lần): issued by a clerk at the counter, after
checking the citizen's identity card, for the citizen to open their store on the web pages."""

from __future__ import annotations

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from core.ids import ID_NUMBER_PATTERN
from ocr_service.accounts import issue_citizen_code
from ocr_service.api.deps import ClerkUser, RequestId, SessionDep, SettingsDep
from ocr_service.api.schemas import Timestamp, error_responses

__all__ = ["router"]

router = APIRouter(prefix="/citizens", tags=["citizens"])


class AccessCodePublic(BaseModel):
    """The code, shown this once (only its keyed hash is kept), and when it stops working."""

    model_config = ConfigDict(extra="forbid")

    citizen_id_number: str
    code: str
    expires_at: Timestamp
    sign_in_url: str


@router.post(
    "/{id_number}/access-codes", status_code=201, responses=error_responses(401, 403, 404, 422)
)
def issue_access_code(
    user: ClerkUser,
    session: SessionDep,
    settings: SettingsDep,
    request_id: RequestId,
    id_number: str = Path(pattern=ID_NUMBER_PATTERN),
) -> AccessCodePublic:
    """A code of the form XXXX-XXXX, good once, for SOHOA_CITIZEN_CODE_TTL_SECONDS."""
    issued = issue_citizen_code(
        session, settings, citizen_id_number=id_number, by=user, request_id=request_id
    )
    session.commit()
    return AccessCodePublic(
        citizen_id_number=id_number,
        code=issued.code,
        expires_at=issued.expires_at,
        sign_in_url="/dang-nhap/cong-dan",
    )
