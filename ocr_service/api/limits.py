"""A bound on request bodies that are not uploads (JSON): refused with 413 before parsing.

FastAPI reads a JSON body whole into memory before validating it, so without a bound one
request of a few hundred megabytes (a 5 MB corrected value, 20,000 fields) costs the server
that much memory and CPU. Scan uploads (multipart/form-data) stream to disk under their own
limit (``ocr_service.api.uploads``) and are not touched here.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import RequestTooLargeError
from core.ids import is_ascii_digits
from ocr_service.api.errors import error_response

__all__ = ["BodyLimit"]


class BodyLimit:
    """ASGI middleware: a non-multipart request body over ``max_bytes`` is answered 413."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = RequestTooLargeError(
            f"The request body is larger than {self.max_bytes // 1024} KiB; send fewer or "
            "shorter values."
        )
        await error_response(error)(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data"):
            await self.app(scope, receive, send)
            return
        length = headers.get(b"content-length", b"").decode("latin-1")
        if is_ascii_digits(length) and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        # No (or a small) declared length: read at most the bound, then replay it to the app.
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay(message, receive), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(body)
            more = bool(message.get("more_body", False))
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay(whole, receive), send)


def _replay(first: Message, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``first`` (the body already read), then the client's
    own ``receive`` (which waits for it to disconnect)."""
    pending = [first]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed
