"""The published development secret is refused wherever the deployment looks like production."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from core.settings import DEV_SECRET, Settings
from tests.reliability.live import clean_env

PRIVATE = SecretStr("a-private-secret-0123456789abcdef0123456789")
COMPONENTS = {
    "database_url": "postgresql+psycopg://sohoa@127.0.0.1:5432/sohoa",
    "register_database_url": "postgresql+psycopg://sohoa@127.0.0.1:5432/register",
    "redis_url": "redis://127.0.0.1:6379/0",
    "s3_endpoint": "http://127.0.0.1:9000",
}


@pytest.mark.parametrize("component", sorted(COMPONENTS))
def test_a_production_component_with_the_dev_secret_refuses_to_start(
    component: str, tmp_path: Path
) -> None:
    """SOHOA_ENVIRONMENT unset (development) is not enough to accept the published secret."""
    value = COMPONENTS[component]
    with pytest.raises(ValidationError, match="SOHOA_SECRET_KEY") as err:
        Settings(data_dir=tmp_path, **{component: value})  # type: ignore[arg-type]
    assert f"SOHOA_{component.upper()}" in str(err.value)
    # the explicit default counts the same as the implicit one
    with pytest.raises(ValidationError, match="SOHOA_SECRET_KEY"):
        Settings(data_dir=tmp_path, secret_key=SecretStr(DEV_SECRET), **{component: value})  # type: ignore[arg-type]
    # a private secret: starts
    settings = Settings(data_dir=tmp_path, secret_key=PRIVATE, **{component: value})  # type: ignore[arg-type]
    assert settings.production_components == [f"SOHOA_{component.upper()}"]


def test_embedded_development_keeps_the_dev_secret(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert settings.secret_key.get_secret_value() == DEV_SECRET
    assert settings.production_components == []
    with pytest.raises(ValidationError, match="SOHOA_SECRET_KEY"):
        Settings(data_dir=tmp_path, environment="production")
    with pytest.raises(ValidationError, match="SOHOA_SECRET_KEY"):
        Settings(data_dir=tmp_path, environment="staging")


def test_sohoa_serve_refuses_with_a_clear_message(tmp_path: Path) -> None:
    """From the environment, as an operator would start it: exit 2, no traceback."""
    env = clean_env(
        {
            "SOHOA_DATA_DIR": str(tmp_path / "data"),
            "SOHOA_REDIS_URL": "redis://127.0.0.1:6379/0",
            "SOHOA_S3_ENDPOINT": "http://127.0.0.1:9",
        }
    )
    for args in (
        ["serve", "--port", "9"],
        ["worker"],
        ["token", "issue", "--role", "clerk", "--subject", "x"],
    ):
        r = subprocess.run(
            [sys.executable, "-c", "from ocr_service.cli import main; main()", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "SOHOA_SECRET_KEY" in r.stderr and "SOHOA_REDIS_URL" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr, r.stderr
        assert r.stdout == ""  # no token was printed


@pytest.mark.parametrize(
    "bad",
    [
        {"login_max_failures": 0},
        {"login_lockout_seconds": 0},
        {"citizen_code_ttl_seconds": -1},
        {"session_ttl_seconds": 13 * 3600},  # longer than SOHOA_TOKEN_MAX_TTL_SECONDS
    ],
)
def test_sign_in_limits_are_checked_at_start(tmp_path: Path, bad: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="SOHOA_"):
        Settings(data_dir=tmp_path, **bad)  # type: ignore[arg-type]
