"""One routes module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from ocr_service.api.routes import (
    access_codes,
    accounts,
    audit,
    auth,
    citizens,
    components,
    documents,
    dossiers,
    me,
    procedures,
    search,
    worklist,
)

__all__ = ["api_router"]

api_router = APIRouter()
for _module in (
    me,
    dossiers,
    components,
    documents,
    citizens,
    search,
    procedures,
    audit,
    auth,
    accounts,
    access_codes,
    worklist,
):
    api_router.include_router(_module.router)
