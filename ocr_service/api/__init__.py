"""The HTTP API (prefix ``/api/v1``): dossiers, components, the citizen store, audit."""

from __future__ import annotations

from ocr_service.api.app import create_app

__all__ = ["create_app"]
