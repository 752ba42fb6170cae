"""Fixtures for the API tests: an embedded app (SQLite, local folder, in-process jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from ocr_service.api import create_app
from tests.api.service_env import Harness, pg_url, redis_url, s3_endpoint  # noqa: F401


@pytest.fixture
def embedded_settings(tmp_path: Path, signing_settings: dict[str, Any]) -> Settings:
    """Embedded, and approved copies are signed with the session's demo PKI."""
    return Settings(
        data_dir=tmp_path / "data",
        max_upload_bytes=200_000,
        job_max_retries=2,
        **signing_settings,
    )


@pytest.fixture
def embedded(embedded_settings: Settings) -> Iterator[Harness]:
    """Everything embedded; jobs run the fault-injecting fake pipeline (no OCR models)."""
    app = create_app(embedded_settings, extractor="workers.faults:extract", backoff=[0])
    with TestClient(app) as client:
        yield Harness(client=client, settings=embedded_settings)
