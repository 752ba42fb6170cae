"""Fixtures for the OCR tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from tests.ocr_service.ocr_testkit import FakeEngine


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()
