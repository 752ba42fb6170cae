"""Who the token says the caller is (the web pages show it and pick their menus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ocr_service.api.deps import CurrentUser

__all__ = ["router"]

router = APIRouter(tags=["me"])


@router.get("/me")
def read_me(user: CurrentUser) -> dict[str, Any]:
    return {"role": user.role, "subject": user.subject}
