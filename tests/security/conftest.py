"""A small world for the security tests: two citizens, each with one registered document
(A's approved, so signed with the session's demo PKI)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import issue_token
from tests.hostile.corpus import good_png

CITIZEN_A = "001192012345"
CITIZEN_B = "079301000111"
SECRET = "security-tests-secret-key-0123456789abcdef"


@dataclass
class World:
    client: TestClient
    settings: Settings
    tokens: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    seed: int = 1000

    def headers(self, who: str) -> dict[str, str]:
        token = self.tokens[who]
        return {"Authorization": f"Bearer {token}"} if token else {}

    def next_png(self) -> bytes:
        self.seed += 1
        return good_png(seed=self.seed)

    def wait(self, component_id: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            r = self.client.get(f"/api/v1/components/{component_id}", headers=self.headers("clerk"))
            body: dict[str, Any] = r.json()
            if body["status"] in ("done", "failed"):
                return body
            assert time.monotonic() < deadline, body
            time.sleep(0.05)


def make_tokens(settings: Settings) -> dict[str, str | None]:
    other_key = Settings(secret_key=SecretStr("a-different-secret-key-0123456789abcdef"))
    return {
        "clerk": issue_token(settings, role="clerk", subject="clerk-lan"),
        "officer": issue_token(settings, role="officer", subject="officer-minh"),
        "owner": issue_token(settings, role="citizen", subject=CITIZEN_A),
        "other": issue_token(settings, role="citizen", subject=CITIZEN_B),
        "admin": issue_token(settings, role="admin", subject="admin-hai"),
        "none": None,
        "expired": issue_token(settings, role="admin", subject="admin-hai", ttl_seconds=-120),
        "foreign": issue_token(other_key, role="admin", subject="admin-hai"),
    }


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, signing_settings: dict[str, Any]
) -> Iterator[World]:
    data: Path = tmp_path_factory.mktemp("security") / "data"
    settings = Settings(
        data_dir=data, secret_key=SecretStr(SECRET), job_max_retries=0, **signing_settings
    )
    app = create_app(settings, extractor="workers.faults:extract", backoff=[0])
    with TestClient(app) as client:
        w = World(client=client, settings=settings, tokens=make_tokens(settings))
        for label, citizen in (("a", CITIZEN_A), ("b", CITIZEN_B)):
            r = client.post(
                "/api/v1/dossiers",
                json={"procedure_code": "1.001612", "citizen_id_number": citizen},
                headers=w.headers("clerk"),
            )
            dossier = r.json()["id"]
            r = client.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"file": (f"ks_{citizen}.png", w.next_png(), "image/png")},
                headers=w.headers("clerk"),
            )
            comp = w.wait(r.json()["id"])
            assert comp["status"] == "done", comp
            [doc] = comp["documents"]
            assert doc["citizen_id_number"] == citizen
            r = client.post(  # approved: its citizen sees it (they are confirmed by intake)
                f"/api/v1/documents/{doc['id']}/approve", headers=w.headers("clerk")
            )
            assert r.status_code == 200, r.text
            w.ids.update(
                {
                    f"dossier_{label}": dossier,
                    f"component_{label}": comp["id"],
                    f"document_{label}": doc["id"],
                    f"code_{label}": doc["digitization_code"],
                }
            )
        r = client.get(  # approved above, so A's document has a signed copy and its QR code
            f"/api/v1/documents/{w.ids['document_a']}", headers=w.headers("clerk")
        )
        assert r.status_code == 200 and r.json()["signature"]["status"] == "valid", r.text
        r = client.post(  # one reuse, so A's document has a reuse history to read
            f"/api/v1/documents/{w.ids['document_a']}/reuse",
            json={"dossier_id": w.ids["dossier_b"]},
            headers=w.headers("officer"),
        )
        assert r.status_code == 201, r.text
        yield w
