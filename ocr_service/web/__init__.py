"""Web pages (Vietnamese) for clerks, officers and citizens, served beside the JSON API.

Include with ``app.include_router(ocr_service.web.router)``; the router serves its own
assets under ``/assets/``, so no static mount is needed.
"""

from __future__ import annotations

from ocr_service.web.routes import router

__all__ = ["router"]
