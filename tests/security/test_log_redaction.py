"""No personal data in the logs: uvicorn's access log prints no id number from a URL, and a job's
logs name its component, never the client's file name (which carries a name and an id)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from core.redact import ID_MASK, QUERY_MASK, redact, redacting
from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import issue_token
from tests.hostile.corpus import good_png
from tests.reliability.live import free_port

CITIZEN = "001192012345"
OLD_ID = "123456789"  # a 9-digit (CMND) number
PERSON = "Nguyen_Van_An"
SEARCHED = "Phạm Ngoc Ánh"
SECRET = "log-redaction-secret-0123456789abcdef0123"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    """The app under a real uvicorn (in this process, so caplog sees its access log)."""
    settings = Settings(data_dir=tmp_path / "data", secret_key=SecretStr(SECRET), job_max_retries=0)
    app = create_app(settings, extractor="tests.hostile.pipeline:extract", backoff=[0])
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=True)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        srv.should_exit = True
        thread.join(15)


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as its handlers would print it: message, arguments and traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(r) + " " + repr(r.args) for r in caplog.records)


def test_access_and_job_logs_carry_no_id_number_or_file_name(
    server: tuple[str, Settings],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, settings = server
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        # another test may have run uvicorn's own logging config (which stops propagation)
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "propagate", True)
        monkeypatch.setattr(logger, "disabled", False)
        monkeypatch.setattr(logger, "level", logging.DEBUG)
    clerk = {"Authorization": f"Bearer {issue_token(settings, role='clerk', subject='clerk-lan')}"}
    admin = {"Authorization": f"Bearer {issue_token(settings, role='admin', subject='admin-hai')}"}
    with httpx.Client(base_url=url, timeout=30) as c:
        dossier = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=clerk,
        ).json()["id"]
        assert c.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=clerk).status_code == 200
        assert c.get(f"/api/v1/audit?citizen_id_number={CITIZEN}", headers=admin).status_code == 200
        assert c.get(f"/api/v1/citizens/{OLD_ID}/documents", headers=clerk).status_code == 422
        for route in ("documents", "dossiers"):  # a search's words are a name: not logged
            r = c.get(f"/api/v1/search/{route}", params={"q": SEARCHED}, headers=clerk)
            assert r.status_code == 200, r.text
        names = {
            "good": f"CCCD_{PERSON}_{CITIZEN}.png",
            "corrupt": f"KhaiSinh_{PERSON}_{CITIZEN}.png",  # fails in the job, quoting its name
        }
        data = {"good": good_png(seed=1401), "corrupt": b"\x89PNG\r\n\x1a\n" + b"\0" * 500}
        comps = {}
        for kind, name in names.items():
            r = c.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"file": (name, data[kind], "image/png")},
                headers=clerk,
            )
            assert r.status_code == 202, r.text
            comps[kind] = r.json()["id"]
        for kind, comp in comps.items():
            deadline = time.monotonic() + 30
            while (body := c.get(f"/api/v1/components/{comp}", headers=clerk).json())[
                "status"
            ] not in ("done", "failed"):
                assert time.monotonic() < deadline, body
                time.sleep(0.1)
            assert body["status"] == ("done" if kind == "good" else "failed"), body
    time.sleep(0.3)  # the last access-log lines
    logged = _logged(caplog)
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert len(access) >= 8, "the access log was not captured"
    assert any(f"/api/v1/citizens/{ID_MASK}/documents" in r.getMessage() for r in access)
    assert any(f"/api/v1/search/dossiers?q={QUERY_MASK}" in r.getMessage() for r in access)
    # the failed job was logged, by its component
    assert f"component {comps['corrupt']}" in logged
    for secret in (CITIZEN, OLD_ID, PERSON, "KhaiSinh", "CCCD_", "Ph%E1%BA%A1m", "Ngoc"):
        assert secret not in logged, (secret, [ln for ln in logged.splitlines() if secret in ln])


def test_redact_keeps_record_ids_and_hashes() -> None:
    record_id = "0123456789012345678901234567890a"  # 32 hex: a dossier/component id
    sha = "001192012345" + "ab" * 26  # 64 hex beginning with 12 digits
    text = f"GET /api/v1/dossiers/{record_id} sha {sha} citizen {CITIZEN} cmnd {OLD_ID}"
    out = redact(text)
    assert record_id in out and sha in out
    assert f"citizen {ID_MASK} cmnd {ID_MASK}" in out and out.count(ID_MASK) == 2
    assert redact("SH-20261206-ABCDEFGH-1 took 0.25 s, 10 digits 0912345678") == (
        "SH-20261206-ABCDEFGH-1 took 0.25 s, 10 digits 0912345678"
    )
    with redacting(f"CCCD_{PERSON}.png", f"CCCD_{PERSON}", label="component x"):
        assert redact(f"CCCD_{PERSON}.png: damaged") == "component x: damaged"
    assert redact(f"CCCD_{PERSON}.png") == f"CCCD_{PERSON}.png"  # only while the job runs
    assert redact("GET /api/v1/search/documents?page=2&q=nguyen+van+an&page_size=5") == (
        f"GET /api/v1/search/documents?page=2&q={QUERY_MASK}&page_size=5"
    )
    assert redact("faq=1 ?iq=2 the q= in a sentence") == "faq=1 ?iq=2 the q= in a sentence"
