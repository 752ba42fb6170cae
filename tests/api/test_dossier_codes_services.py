"""Dossier codes drawn by two `sohoa serve` processes on one PostgreSQL: none twice, none missed."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from core.settings import Settings
from ocr_service.auth import issue_token
from ocr_service.copies.codes import parse_dossier_code
from tests.api.service_env import CITIZEN, fresh_pg_schema
from tests.reliability.live import live_server

pytestmark = pytest.mark.services

SECRET = "dossier-codes-test-secret-0123456789abcdef"
AGENCY = "000.00.00.H49"


def test_two_api_processes_give_unique_gapless_dossier_codes(tmp_path: Path) -> None:
    with fresh_pg_schema("sohoa_codes") as url:
        env = {
            "SOHOA_DATA_DIR": str(tmp_path / "data"),
            "SOHOA_DATABASE_URL": url,
            "SOHOA_SECRET_KEY": SECRET,
            "SOHOA_AGENCY_CODE": AGENCY,
        }
        token = issue_token(Settings(secret_key=SecretStr(SECRET)), role="clerk", subject="lan")
        headers = {"Authorization": f"Bearer {token}"}
        body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
        per_thread, threads_per_server = 10, 3
        codes: list[str] = []
        errors: list[str] = []
        lock = threading.Lock()
        with (
            live_server(env, tmp_path, pipeline="workers.faults:extract") as a,
            live_server(env, tmp_path, pipeline="workers.faults:extract") as b,
        ):

            def open_many(url: str) -> None:
                with httpx.Client(base_url=url, timeout=60) as client:
                    for _ in range(per_thread):
                        r = client.post("/api/v1/dossiers", json=body, headers=headers)
                        with lock:
                            if r.status_code == 201:
                                codes.append(r.json()["code"])
                            else:
                                errors.append(f"{r.status_code} {r.text[:200]}")

            workers = [
                threading.Thread(target=open_many, args=(server.url,))
                for server in (a, b)
                for _ in range(threads_per_server)
            ]
            for w in workers:
                w.start()
            for w in workers:
                w.join(300)
            # each process finds the other's dossiers by code
            with httpx.Client(timeout=30) as client:
                for server, code in ((a, codes[-1]), (b, codes[0])):
                    r = client.get(f"{server.url}/api/v1/dossiers/{code}", headers=headers)
                    assert r.status_code == 200 and r.json()["code"] == code
        assert errors == []
        total = 2 * threads_per_server * per_thread
        assert len(codes) == len(set(codes)) == total
        parsed = [parse_dossier_code(c) for c in codes]
        assert {p.agency_code for p in parsed} == {AGENCY}
        days = {p.received_on for p in parsed}  # one, unless run across midnight in Hà Nội
        for day in days:  # each day's numbers: 1, 2, … with no duplicate and no gap
            numbers = sorted(p.sequence for p in parsed if p.received_on == day)
            assert numbers == list(range(1, len(numbers) + 1))
