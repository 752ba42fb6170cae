"""Page routes: server-rendered Vietnamese shells whose scripts call the JSON API, and
signing in and out (a staff account's password, a citizen's one-time code).

The pages carry no data of their own; every document is fetched by the browser from
``/api/v1`` with the page session's cookie (or a pasted bearer token), so the API's role
checks and audit log apply to what the pages show exactly as they do to any other client.
Every form that changes something carries the CSRF token of the ``sohoa_csrf`` cookie.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker

from core.errors import AuthenticationError, CsrfError, SohoaError
from core.settings import Settings
from ocr_service.accounts import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    check_csrf,
    clear_session_cookies,
    csrf_token_for,
    end_session,
    redeem_citizen_code,
    session_principal,
    set_session_cookies,
    start_session,
)
from ocr_service.accounts import authenticate as authenticate_staff
from ocr_service.accounts import sign_out as sign_out_session
from ocr_service.auth import Principal
from ocr_service.web.labels import all_labels
from ocr_service.web.redirects import safe_next_path

__all__ = ["API_PREFIX", "STATIC_DIR", "TEMPLATES_DIR", "router"]

API_PREFIX = "/api/v1"
_HERE = Path(__file__).parent
TEMPLATES_DIR = _HERE / "templates"
STATIC_DIR = _HERE / "static"

_templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

# Pages load scripts and styles from this origin only; images may be blob: (camera preview).
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


# Where each role starts (the same map as the pages' script, sohoa.js HOME).
HOME = {
    "clerk": "/tiep-nhan",
    "officer": "/tai-su-dung",
    "citizen": "/kho-du-lieu",
    "admin": "/nhat-ky",
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _cookies_secure(request: Request) -> bool:
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return settings.cookies_secure if settings is not None else request.url.scheme == "https"


def _db(request: Request) -> Session:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory()


def _viewer(request: Request) -> Principal | None:
    """Who this page session is, or None (no cookie, or one no longer good, or the pages
    served without the API's app, as tests/web/preview_app does)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or not hasattr(request.app.state, "session_factory"):
        return None
    with _db(request) as db:
        try:
            return session_principal(db, _settings(request), token=token)
        except SohoaError:
            return None


def _render(
    request: Request,
    template: str,
    *,
    title: str,
    page: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    viewer = _viewer(request)
    if viewer is not None:
        # signed in: the session's own token, even if the browser lost its cookie meanwhile
        csrf = csrf_token_for(_settings(request), request.cookies.get(SESSION_COOKIE, ""))
    else:
        # the sign-in forms need a CSRF cookie before anyone is signed in (login CSRF)
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    ctx = {
        "title": title,
        "page": page,
        "api_base": API_PREFIX,
        "labels": all_labels(),
        "viewer": viewer,
        "csrf_token": csrf,
        "csrf_field": CSRF_FIELD,
        **context,
    }
    response = _templates.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers.update(_SECURITY_HEADERS)
    if request.cookies.get(CSRF_COOKIE) != csrf:
        response.set_cookie(
            CSRF_COOKIE,
            csrf,
            path="/",
            secure=_cookies_secure(request),
            httponly=False,
            samesite="lax",
        )
    return response


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    """The login page decides where each role goes next."""
    return RedirectResponse("/dang-nhap", status_code=307)


@router.get("/dang-nhap", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    # the page's script goes only where the server allowed (redirects.safe_next_path)
    return _render(
        request, "login.html", title="Đăng nhập", page="login", next_path=safe_next_path(next)
    )


def _signed_in(
    request: Request, db: Session, *, role: str, subject: str, next_path: str | None
) -> Response:
    """The end of a sign-in: the old session (if any) ends, a new one starts (no fixation)."""
    settings = _settings(request)
    end_session(db, token=request.cookies.get(SESSION_COOKIE, ""))
    page = start_session(db, settings, role=role, subject=subject)
    db.commit()
    response = RedirectResponse(safe_next_path(next_path) or HOME[role], status_code=303)
    set_session_cookies(response, settings, page)
    return response


def _check_form_csrf(request: Request, submitted: str, *, session_token: str | None) -> None:
    check_csrf(
        _settings(request),
        cookie=request.cookies.get(CSRF_COOKIE),
        submitted=submitted,
        session_token=session_token,
    )


@router.post("/dang-nhap", response_class=HTMLResponse)
def sign_in(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    csrf_token: str = Form("", max_length=200),
    next: str = Form("", max_length=2000),
) -> Response:
    """A staff member signs in with their user name and password."""

    def again(error: SohoaError) -> Response:
        return _render(
            request,
            "login.html",
            title="Đăng nhập",
            page="login",
            status_code=error.http_status,
            next_path=safe_next_path(next),
            username=username.strip()[:64],
            password_error=error.message,
        )

    try:
        _check_form_csrf(request, csrf_token, session_token=None)
    except CsrfError:
        return again(CsrfError("Trang đăng nhập đã cũ; hãy nhập lại và đăng nhập."))
    with _db(request) as db:
        try:
            account = authenticate_staff(
                db,
                _settings(request),
                username=username,
                password=password,
                request_id=_request_id(request),
            )
        except SohoaError as exc:
            db.commit()  # the failure is counted and audited
            return again(exc)
        return _signed_in(request, db, role=account.role, subject=account.username, next_path=next)


@router.get("/dang-nhap/cong-dan", response_class=HTMLResponse)
def citizen_sign_in_page(request: Request) -> Response:
    return _render(request, "citizen_login.html", title="Công dân đăng nhập", page="citizen-login")


@router.post("/dang-nhap/cong-dan", response_class=HTMLResponse)
def citizen_sign_in(
    request: Request,
    id_number: str = Form("", max_length=40),
    code: str = Form("", max_length=40),
    csrf_token: str = Form("", max_length=200),
) -> Response:
    """A citizen opens their store with the one-time code a clerk gave them at the counter."""
    id_number = id_number.strip()

    def again(error: SohoaError, *, keep_id: bool = True) -> Response:
        return _render(
            request,
            "citizen_login.html",
            title="Công dân đăng nhập",
            page="citizen-login",
            status_code=error.http_status,
            id_number=id_number[:12] if keep_id else "",
            code_error=error.message,
        )

    try:
        _check_form_csrf(request, csrf_token, session_token=None)
    except CsrfError:
        # a post from elsewhere: nothing of what it sent comes back
        return again(CsrfError("Trang đăng nhập đã cũ; hãy nhập lại và đăng nhập."), keep_id=False)
    with _db(request) as db:
        try:
            redeem_citizen_code(
                db,
                _settings(request),
                citizen_id_number=id_number,
                code=code,
                request_id=_request_id(request),
            )
        except AuthenticationError as exc:
            db.commit()  # the wrong try is counted and audited
            return again(exc)
        return _signed_in(request, db, role="citizen", subject=id_number, next_path=None)


@router.post("/dang-xuat", response_class=RedirectResponse)
def sign_out(request: Request, csrf_token: str = Form("", max_length=200)) -> Response:
    """Sign out of the page session: it ends on the server, its cookies are cleared."""
    token = request.cookies.get(SESSION_COOKIE, "")
    response = RedirectResponse("/dang-nhap", status_code=303)
    if token:
        try:
            _check_form_csrf(request, csrf_token, session_token=token)
        except CsrfError as exc:
            return _render(
                request,
                "login.html",
                title="Đăng nhập",
                page="login",
                status_code=exc.http_status,
                password_error=exc.message,
            )
        with _db(request) as db:
            sign_out_session(db, token=token, request_id=_request_id(request))
            db.commit()
    clear_session_cookies(response)
    return response


@router.get("/tiep-nhan", response_class=HTMLResponse)
def intake_page(request: Request) -> Response:
    return _render(request, "intake.html", title="Tiếp nhận hồ sơ", page="intake")


@router.get("/hom-nay", response_class=HTMLResponse)
def worklist_page(request: Request) -> Response:
    return _render(request, "worklist.html", title="Việc hôm nay", page="worklist")


@router.get("/ho-so/{dossier_id}", response_class=HTMLResponse)
def dossier_page(request: Request, dossier_id: str) -> Response:
    return _render(
        request, "dossier.html", title="Thành phần hồ sơ", page="dossier", dossier_id=dossier_id
    )


@router.get("/thanh-phan/{component_id}", response_class=HTMLResponse)
def review_page(request: Request, component_id: str) -> Response:
    return _render(
        request,
        "review.html",
        title="Kiểm tra kết quả số hóa",
        page="review",
        component_id=component_id,
    )


@router.get("/tai-su-dung", response_class=HTMLResponse)
def reuse_page(request: Request) -> Response:
    return _render(request, "reuse.html", title="Tái sử dụng giấy tờ", page="reuse")


@router.get("/kho-du-lieu", response_class=HTMLResponse)
def citizen_page(request: Request) -> Response:
    return _render(request, "citizen.html", title="Kho dữ liệu của tôi", page="citizen")


@router.get("/nhat-ky", response_class=HTMLResponse)
def audit_page(request: Request) -> Response:
    return _render(request, "audit.html", title="Nhật ký truy cập", page="audit")


@router.get("/quan-tri/tai-khoan", response_class=HTMLResponse)
def accounts_page(request: Request) -> Response:
    return _render(request, "accounts.html", title="Tài khoản cán bộ", page="accounts")


@router.get("/assets/{name}")
def asset(name: str) -> FileResponse:
    """Serves the pages' CSS and scripts (flat folder; no path can leave it)."""
    path = STATIC_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(status_code=404)
    media_type = _STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})
