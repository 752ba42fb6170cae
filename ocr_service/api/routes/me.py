"""Who the token says the caller is (the web pages show it and pick their menus)."""

from __future__ import annotations

from fastapi import APIRouter

from ocr_service.api.deps import CurrentUser
from ocr_service.api.schemas import UserPublic, error_responses

__all__ = ["router"]

router = APIRouter(tags=["me"])


@router.get("/me", responses=error_responses(401))
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic(role=user.role, subject=user.subject)
