"""Tokens: issued by `sohoa token issue`, checked on every request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jwt
import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from core.errors import AuthenticationError, InvalidInputError
from core.settings import Settings
from ocr_service.auth import decode_token, issue_token
from ocr_service.cli import cli
from tests.api.service_env import REPO, Harness, free_port, wait_port
from tests.fixtures.processes import spawn, stop_group


def test_token_roundtrip_and_claims() -> None:
    s = Settings()
    token = issue_token(s, role="officer", subject="hoa", ttl_seconds=60)
    claims = jwt.decode(token, s.secret_key.get_secret_value(), algorithms=["HS256"])
    assert claims["role"] == "officer" and claims["sub"] == "hoa"
    assert claims["exp"] - claims["iat"] == 60 and claims["jti"]
    assert decode_token(s, token).role == "officer"


def test_expired_forged_and_unknown_tokens_are_refused() -> None:
    s = Settings()
    expired = issue_token(s, role="clerk", subject="a", ttl_seconds=1)
    time.sleep(2.1)
    with pytest.raises(AuthenticationError, match="expired"):
        decode_token(s, expired)
    other = Settings(secret_key=SecretStr("another-secret-of-enough-length-for-hs256"))
    with pytest.raises(AuthenticationError):
        decode_token(s, issue_token(other, role="admin", subject="x"))
    forged = jwt.encode({"sub": "x", "role": "root", "iat": 1, "exp": 2**40}, "k" * 40)
    with pytest.raises(AuthenticationError):
        decode_token(s, forged)
    with pytest.raises(InvalidInputError):
        issue_token(s, role="citizen", subject="not-an-id")


def test_token_cli_prints_a_usable_token(embedded: Harness) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["token", "issue", "--role", "citizen", "--subject", "001192012345", "--ttl", "120"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    me = embedded.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"role": "citizen", "subject": "001192012345"}
    bad = runner.invoke(cli, ["token", "issue", "--role", "citizen", "--subject", "12"])
    assert bad.exit_code == 2
    assert runner.invoke(cli, ["token", "issue", "--role", "boss", "--subject", "x"]).exit_code == 2


def test_sohoa_serve_answers_over_http(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("SOHOA_REDIS_URL", None)
    proc = spawn(
        [
            sys.executable,
            "-c",
            "from ocr_service.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=5) as r:
            assert b"/api/v1/dossiers" in r.read()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/me")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=5)
        assert err.value.code == 401
    finally:
        stop_group(proc, grace=10)


def test_worker_without_redis_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    r = subprocess.run(
        [sys.executable, "-c", "from ocr_service.cli import main; main()", "worker"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "SOHOA_REDIS_URL" in r.stderr


def test_tokens_never_reach_the_logs(embedded: Harness, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    token = embedded.auth("clerk")["Authorization"].split()[1]
    dossier = embedded.open_dossier()
    embedded.upload(dossier, "fail-permanent.png", b"\x89PNG\r\n\x1a\n broken")
    embedded.client.get("/api/v1/me", headers={"Authorization": "Bearer " + token[:-2] + "xx"})
    embedded.client.get("/api/v1/no-such-route", headers=embedded.auth("clerk"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in logged and token[:40] not in logged
