"""A live ``sohoa serve`` for the browser tests: the scan, the register row, the server handle."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fixtures.processes import spawn
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
