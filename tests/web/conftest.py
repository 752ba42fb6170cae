"""Fixtures for the browser tests: a live ``sohoa serve`` on loopback and a headless Chromium."""

from __future__ import annotations

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

import pytest

from tests.web.render_page import render_birth_certificate

REPO = Path(__file__).resolve().parents[2]
# Set to a directory to also write the README screenshots there (e.g. docs/screenshots).
SCREENSHOT_ENV = "SOHOA_WEB_SCREENSHOTS"
# module:function replacing the pipeline, only to work on the pages without the OCR models.
PIPELINE_ENV = "SOHOA_WEB_TEST_PIPELINE"
_REGISTER_COLUMNS = [
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_origin",
    "place_of_residence",
]


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

        from ocr_service.auth import issue_token
        from ocr_service.settings import Settings

        settings = Settings(data_dir=self.data_dir, secret_key=SecretStr(self.secret))
        return issue_token(settings, role=role, subject=subject)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scan(tmp: Path) -> Scan:
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


def _sohoa(args: list[str], env: dict[str, str], cwd: Path, **kw: Any) -> subprocess.Popen[bytes]:
    code = "from ocr_service.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=cwd, **kw)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
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


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``sohoa serve`` with embedded defaults (SQLite, local objects, in-process jobs)."""
    from tests.web.browser import browser_available

    if not browser_available():
        pytest.skip("needs /usr/bin/chromium and chromedriver (apt-get install chromium-driver)")
    pipeline = os.environ.get(PIPELINE_ENV)
    if not pipeline:
        import ocr_service.pipeline as ocr_pipeline

        if not hasattr(ocr_pipeline, "extract_file"):
            pytest.skip("ocr_service.pipeline.extract_file is not there yet")
    tmp = tmp_path_factory.mktemp("web")
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
    scan = _scan(tmp)
    register = tmp / "population.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=_REGISTER_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(scan.person)
    imported = _sohoa(["population", "import", str(register)], env, tmp)
    assert imported.wait(timeout=120) == 0, "sohoa population import failed"

    port = _free_port()
    log = tmp / "serve.log"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if pipeline:
        args += ["--pipeline", pipeline]
    with log.open("wb") as out:
        proc = _sohoa(args, env, tmp, stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, secret, log, scan)
    try:
        _wait_until_up(server.url, proc, log, 90)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def driver(live_server: LiveServer) -> Iterator[Any]:
    from tests.web.browser import make_driver

    drv = make_driver(1024, 768)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: the env's folder (README images) or a temp folder."""
    target = os.environ.get(SCREENSHOT_ENV)
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
