"""A look-only preview of the web pages on made-up data (no database, no OCR).

For iterating on layout while the API is busy or absent:
``python -m tests.web.preview_app --port 8765`` then sign in with the token ``clerk``,
``officer`` or ``citizen:001192012345``. The browser tests use the real app instead.
"""

from __future__ import annotations

import argparse
import itertools
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ocr_service.web import router
from tests.web.render_page import render_birth_certificate

__all__ = ["create_preview_app"]

CITIZEN = "001192012345"


def create_preview_app() -> FastAPI:
    """The real page router plus an in-memory imitation of the JSON API."""
    app = FastAPI()
    app.include_router(router)
    page = render_birth_certificate(id_number=CITIZEN)
    png, lines, width, height = page.png, page.lines, page.width, page.height
    lines[3]["confidence"] = 0.91
    lines[7]["confidence"] = 0.64
    lines[10]["confidence"] = 0.58
    now = datetime.now(UTC).isoformat()
    ids = itertools.count(1)
    doc: dict[str, Any] = {
        "id": "doc-1",
        "source": "giay-khai-sinh.jpg",
        "pages": [1],
        "doc_type": "birth_certificate",
        "doc_type_confidence": 0.96,
        "fields": {
            "full_name": "Nguyễn Thị Minh Hằng",
            "date_of_birth": "1992-08-15",
            "sex": "female",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "place_of_birth": "Bệnh viện Phụ sản Hà Nội",
            "place_of_origin": "Xã Yên Phụ, huyện Yên Phong, tỉnh Bắc Ninh",
            "id_number": CITIZEN,
            "mother_name": "Trần Thị Lan",
            "father_name": "Nguyễn Văn Hung",
            "registration_date": "1992-08-20",
            "registration_number": "334",
        },
        "field_confidence": {"full_name": 0.93, "place_of_origin": 0.64, "father_name": 0.58},
        "field_source": {"id_number": "qr"},
        "verification": {
            "status": "mismatch",
            "mismatched_fields": ["father_name", "place_of_origin"],
            "diacritics_only_fields": ["father_name"],
        },
        "digitization_code": "SH-2026-000123-7",
        "review_status": "needs_review",
        "component_id": "comp-1",
        "dossier_id": "HS-000001",
        "created_at": now,
        "file_url": "/api/v1/documents/doc-1/file",
        "corrected_fields": {},
    }
    cccd = dict(
        doc,
        id="doc-2",
        doc_type="citizen_id_front",
        digitization_code="SH-2026-000120-3",
        review_status="verified",
        verification={"status": "match", "mismatched_fields": [], "diacritics_only_fields": []},
        fields={
            "id_number": CITIZEN,
            "full_name": "Nguyễn Thị Minh Hằng",
            "date_of_birth": "1992-08-15",
            "sex": "female",
        },
        field_confidence={},
    )
    state: dict[str, Any] = {
        "components": {
            "comp-1": {
                "id": "comp-1",
                "dossier_id": "HS-000001",
                "filename": "giay-khai-sinh.jpg",
                "status": "done",
                "attempts": 1,
                "documents": [doc],
                "pages": [
                    {
                        "page": 1,
                        "width": width,
                        "height": height,
                        "image_url": "/api/v1/components/comp-1/pages/1/image",
                        "lines": lines,
                    }
                ],
            },
            "comp-2": {
                "id": "comp-2",
                "dossier_id": "HS-000001",
                "filename": "to-khai.pdf",
                "status": "processing",
                "attempts": 1,
                "documents": [],
                "pages": [],
            },
            "comp-3": {
                "id": "comp-3",
                "dossier_id": "HS-000001",
                "filename": "anh-mo.jpg",
                "status": "failed",
                "attempts": 3,
                "documents": [],
                "pages": [],
                "error": {"code": "corrupt_file", "message": "damaged", "retryable": False},
            },
        },
        "docs": {"doc-1": doc, "doc-2": cccd},
    }

    def me(request: Request) -> dict[str, str]:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or request.cookies.get("sohoa_token", "")
        role, _, subject = token.partition(":")
        return {"role": role, "subject": subject or f"{role}-01"}

    @app.get("/api/v1/me")
    def get_me(request: Request) -> Any:
        who = me(request)
        if who["role"] not in ("clerk", "officer", "citizen", "admin"):
            return JSONResponse({"error": {"code": "unauthenticated", "message": "x"}}, 401)
        return who

    @app.get("/api/v1/dossiers")
    def dossiers() -> Any:
        return [
            {
                "id": "HS-000001",
                "procedure_code": "dang-ky-khai-sinh",
                "citizen_id_number": CITIZEN,
                "created_at": now,
                "components": list(state["components"].values()),
            }
        ]

    @app.post("/api/v1/dossiers", status_code=201)
    def open_dossier() -> Any:
        return {"id": "HS-000001"}

    @app.get("/api/v1/dossiers/{dossier_id}")
    def dossier(dossier_id: str) -> Any:
        return {
            "id": dossier_id,
            "procedure_code": "dang-ky-khai-sinh",
            "citizen_id_number": CITIZEN,
            "created_at": now,
            "components": list(state["components"].values()),
        }

    @app.post("/api/v1/dossiers/{dossier_id}/components", status_code=202)
    async def add(dossier_id: str, request: Request) -> Any:
        await request.body()
        cid = f"comp-{next(ids) + 10}"
        state["components"][cid] = {
            "id": cid,
            "dossier_id": dossier_id,
            "filename": "tai-len.jpg",
            "status": "queued",
            "attempts": 0,
            "documents": [],
            "pages": [],
        }
        return {"id": cid, "status": "queued"}

    @app.get("/api/v1/components/{cid}")
    def component(cid: str) -> Any:
        return state["components"][cid]

    @app.get("/api/v1/components/{cid}/pages/{n}/image")
    def image(cid: str, n: int) -> Response:
        return Response(png, media_type="image/png")

    @app.patch("/api/v1/documents/{doc_id}")
    async def patch(doc_id: str, request: Request) -> Any:
        body = await request.json()
        d = state["docs"][doc_id]
        for k, v in body["fields"].items():
            d["corrected_fields"][k] = {"value": v, "original": d["fields"].get(k)}
            d["fields"][k] = v
        return d

    @app.post("/api/v1/documents/{doc_id}/approve")
    def approve(doc_id: str) -> Any:
        state["docs"][doc_id]["review_status"] = "approved"
        return state["docs"][doc_id]

    @app.get("/api/v1/citizens/{id_number}/documents")
    def citizen_docs(id_number: str) -> Any:
        return list(state["docs"].values()) if id_number == CITIZEN else []

    @app.post("/api/v1/documents/{doc_id}/reuse", status_code=201)
    def reuse(doc_id: str) -> Any:
        return {"id": "r1", "created_at": datetime.now(UTC).isoformat()}

    @app.get("/api/v1/documents/{doc_id}/reuses")
    def reuses(doc_id: str) -> Any:
        return [{"dossier_id": "HS-000002", "by": "officer-01", "created_at": now}]

    @app.get("/api/v1/me/access-log")
    def access_log() -> Any:
        entry = {
            "at": now,
            "action": "document.reuse",
            "action_label": "Sử dụng lại giấy tờ",
            "actor": "officer-01",
            "actor_role": "officer",
            "actor_label": "Cán bộ giải quyết",
            "document_id": "doc-1",
            "doc_type": "birth_certificate",
            "digitization_code": "SH-2026-000123-7",
            "dossier_id": "HS-000002",
            "procedure_code": "1.001612",
        }
        return {"entries": [entry], "next_offset": None}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(create_preview_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
