"""A live ``sohoa serve`` for the browser tests: the scan, the register row, the server handle."""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.population import REGISTER_COLUMNS
from tests.fixtures.processes import spawn, stop_group
from tests.web.render_page import render_birth_certificate

REPO = Path(__file__).resolve().parents[2]
# Set to a directory to also write the README screenshots there (e.g. docs/screenshots).
SCREENSHOT_ENV = "SOHOA_WEB_SCREENSHOTS"
# module:function replacing the pipeline, only to work on the pages without the OCR models.
PIPELINE_ENV = "SOHOA_WEB_TEST_PIPELINE"


@dataclass
class Scan:
    """The file the clerk uploads and the register row of the person it is about."""

    path: Path
    person: dict[str, str]
    doc_type: str | None = None


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    secret: str
    log: Path
    scan: Scan
    state: dict[str, Any] = field(default_factory=dict)  # shared along the journeys

    def token(self, role: str, subject: str) -> str:
        from pydantic import SecretStr

        from core.settings import Settings
        from ocr_service.auth import issue_token

        settings = Settings(data_dir=self.data_dir, secret_key=SecretStr(self.secret))
        return issue_token(settings, role=role, subject=subject)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_scan(tmp: Path) -> Scan:
    """A clean birth certificate whose name differs from the register's only in a tone mark
    and whose place of origin differs outright, so the review has both kinds of mismatch.
    (The register holds the odd spelling: the recognizer tends to read a rare one as common.)"""
    page = render_birth_certificate(
        full_name="Nguyễn Thị Minh Hăng",
        printed_name="Nguyễn Thị Minh Hằng",
        register_origin="Xã Tam Giang, huyện Yên Phong, tỉnh Bắc Ninh",
    )
    path = tmp / "giay-khai-sinh.png"
    path.write_bytes(page.png)
    return Scan(path, page.person, "birth_certificate")


def run_sohoa(
    args: list[str], env: dict[str, str], cwd: Path, **kw: Any
) -> subprocess.Popen[bytes]:
    code = "from ocr_service.cli import main; main()"
    return spawn([sys.executable, "-c", code, *args], env=env, cwd=cwd, **kw)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("sohoa serve exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("sohoa serve did not answer:\n" + log.read_text(errors="replace")[-3000:])


@contextlib.contextmanager
def serve_with_pipeline(tmp: Path, person: dict[str, str], pipeline: str) -> Iterator[LiveServer]:
    """``sohoa serve`` (development, demo PKI) whose register holds ``person``, running
    ``pipeline`` (module:function) instead of the OCR; scans go to ``tmp/scans``."""
    data_dir = tmp / "data"
    secret = secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(
        SOHOA_DATA_DIR=str(data_dir),
        SOHOA_SECRET_KEY=secret,
        SOHOA_ENVIRONMENT="development",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        OMP_NUM_THREADS="1",
    )
    register = tmp / "population.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(person)
    assert run_sohoa(["population", "import", str(register)], env, tmp).wait(timeout=120) == 0
    pki = run_sohoa(["pki", "demo"], env, tmp, stdout=subprocess.DEVNULL)
    assert pki.wait(timeout=120) == 0, "sohoa pki demo failed"
    port = free_port()
    log = tmp / "serve.log"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--pipeline", pipeline]
    with log.open("wb") as out:
        proc = run_sohoa(args, env, tmp, stdout=out, stderr=subprocess.STDOUT)
    scans = tmp / "scans"
    scans.mkdir()
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, secret, log, Scan(scans, person))
    try:
        wait_until_up(server.url, proc, log, 90)
        yield server
    finally:
        stop_group(proc)
