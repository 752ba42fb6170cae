"""Fixtures for the browser tests: a live ``sohoa serve`` on loopback and a headless Chromium."""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.population import REGISTER_COLUMNS
from tests.fixtures.processes import stop_group
from tests.web.server import (
    PIPELINE_ENV,
    REPO,
    SCREENSHOT_ENV,
    LiveServer,
    free_port,
    make_scan,
    run_sohoa,
    wait_until_up,
)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``sohoa serve`` with embedded defaults (SQLite, local objects, in-process jobs)."""
    from tests.web.browser import browser_available

    if not browser_available():
        pytest.skip("needs /usr/bin/chromium and chromedriver (apt-get install chromium-driver)")
    pipeline = os.environ.get(PIPELINE_ENV)
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
    scan = make_scan(tmp)
    register = tmp / "population.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(scan.person)
    imported = run_sohoa(["population", "import", str(register)], env, tmp)
    assert imported.wait(timeout=120) == 0, "sohoa population import failed"
    # as `make demo` does: the demo PKI in the data dir signs the copies the clerk approves
    pki = run_sohoa(["pki", "demo"], env, tmp, stdout=subprocess.DEVNULL)
    assert pki.wait(timeout=120) == 0, "sohoa pki demo failed"

    port = free_port()
    log = tmp / "serve.log"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if pipeline:
        args += ["--pipeline", pipeline]
    with log.open("wb") as out:
        proc = run_sohoa(args, env, tmp, stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, secret, log, scan)
    try:
        wait_until_up(server.url, proc, log, 90)
        yield server
    finally:
        stop_group(proc)


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
