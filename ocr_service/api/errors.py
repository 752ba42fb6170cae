"""Every error leaves the API as ``{"error": {"code", "message"}}``, mapped from the taxonomy."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    DatabaseUnavailableError,
    InvalidInputError,
    NotFoundError,
    SohoaError,
)
from ocr_service.api.headers import BASE_HEADERS

__all__ = ["error_response", "install_error_handlers"]

log = logging.getLogger(__name__)

_HTTP_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "file_too_large",
    415: "unsupported_file",
}


def error_response(error: SohoaError, request: Request | None = None) -> JSONResponse:
    # also here: a 500 is answered outside the middleware that adds them to other responses
    headers = dict(BASE_HEADERS)
    if error.http_status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    request_id = getattr(request.state, "request_id", None) if request is not None else None
    if request_id:
        headers["X-Request-ID"] = request_id
    return JSONResponse(error.to_json(), status_code=error.http_status, headers=headers)


async def _sohoa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SohoaError)
    if exc.http_status >= 500:
        log.warning("%s %s -> %s: %s", request.method, request.url.path, exc.code, exc.message)
    return error_response(exc, request)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            return error_response(
                InvalidInputError("The request body is not valid JSON; check its syntax."), request
            )
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    message = "The request is not valid: " + "; ".join(problems) + "."
    return error_response(InvalidInputError(message), request)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        error: SohoaError = NotFoundError("There is nothing at this address.")
    else:
        kind = type(
            "HttpError",
            (SohoaError,),
            {
                "code": _HTTP_CODES.get(exc.status_code, "http_error"),
                "http_status": exc.status_code,
            },
        )
        error = kind(str(exc.detail))
    response = error_response(error, request)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return error_response(DatabaseUnavailableError(), request)


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """The database refused a value the caller sent (e.g. NUL in an id): their mistake, 422."""
    log.info("database refused a value on %s %s", request.method, request.url.path)
    return error_response(
        InvalidInputError(
            "The request contains a value the database cannot store or compare "
            "(e.g. a NUL character); check the ids and fields."
        ),
        request,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(SohoaError(), request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SohoaError, _sohoa_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
