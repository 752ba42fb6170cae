"""Page routes: server-rendered Vietnamese shells whose scripts call the JSON API.

The pages carry no data of their own; every document is fetched by the browser from
``/api/v1`` with the user's bearer token, so the API's role checks and audit log apply
to what the pages show exactly as they do to any other client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

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


def _render(request: Request, template: str, *, title: str, page: str, **context: Any) -> Response:
    ctx = {"title": title, "page": page, "api_base": API_PREFIX, "labels": all_labels(), **context}
    response = _templates.TemplateResponse(request, template, ctx)
    response.headers.update(_SECURITY_HEADERS)
    return response


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


@router.get("/assets/{name}")
def asset(name: str) -> FileResponse:
    """Serves the pages' CSS and scripts (flat folder; no path can leave it)."""
    path = STATIC_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(status_code=404)
    media_type = _STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})
