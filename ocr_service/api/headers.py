"""Security headers on every response: CSP, nosniff, no referrer, no framing, no caching.

Pages keep the bearer token in the browser, so nothing from another origin may run on this
one: every response gets a Content-Security-Policy (the web pages set their own, which allows
same-origin scripts; everything else gets one that allows nothing), ``X-Content-Type-Options:
nosniff``, ``Referrer-Policy: no-referrer`` and ``X-Frame-Options``. Everything but the static
assets is ``Cache-Control: no-store``: API answers and page images carry personal data.

The interactive API docs (``/docs``, ``/redoc``) load Swagger UI and ReDoc from a CDN (no
PyPI package ships both), so they exist only on a development machine (``Settings.
api_docs_enabled``) and get a CSP that names that CDN; production keeps ``/openapi.json``.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BASE_HEADERS", "DOCS_PATHS", "SecurityHeaders", "headers_for"]

# For JSON, images, assets: a document opened from them may load and run nothing.
_STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The citizen's page shows a document's PDF in a same-origin iframe.
_PDF_CSP = "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
# Development only: Swagger UI and ReDoc as FastAPI serves them (CDN scripts, inline init).
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; worker-src blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
_STATIC_PREFIX = "/assets/"

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": _STRICT_CSP,
    "Cache-Control": "no-store",
}


def headers_for(path: str, content_type: str) -> dict[str, str]:
    """The security headers a response to ``path`` with ``content_type`` must carry."""
    out = dict(BASE_HEADERS)
    if content_type.startswith("application/pdf"):
        out["Content-Security-Policy"] = _PDF_CSP
        out["X-Frame-Options"] = "SAMEORIGIN"
    elif path in DOCS_PATHS:
        out["Content-Security-Policy"] = _DOCS_CSP
    if path.startswith(_STATIC_PREFIX):
        del out["Cache-Control"]  # the assets route says how they are cached
    return out


class SecurityHeaders:
    """ASGI middleware adding ``headers_for`` to every HTTP response.

    A Content-Security-Policy the route set itself (the web pages') is kept; a Cache-Control
    without ``no-store`` outside the assets is replaced (a page image is a citizen's scan).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in headers_for(path, headers.get("content-type", "")).items():
                    if name == "Content-Security-Policy" and name in headers:
                        continue
                    if name == "Cache-Control" and "no-store" in headers.get(name, ""):
                        continue
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
