"""OMP_THREAD_LIMIT reaches libgomp only when it loads: importing ``ocr_service`` sets it,
and says so when OpenMP was loaded before (the limit can no longer take effect)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[2]


def _import_after(first: str, *, limit: str | None = None) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter that runs ``first`` and then imports ``ocr_service``, warnings
    made errors."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    env["PYTHONPATH"] = str(_REPO)
    if limit is not None:
        env["OMP_THREAD_LIMIT"] = limit
    code = f"{first}\nimport ocr_service, os\nprint(os.environ['OMP_THREAD_LIMIT'])"
    return subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def _libgomp_loads() -> bool:
    return _import_after("import ctypes; ctypes.CDLL('libgomp.so.1')", limit="1").returncode == 0


needs_libgomp = pytest.mark.skipif(not _libgomp_loads(), reason="libgomp missing")


def test_import_first_sets_the_limit_quietly() -> None:
    done = _import_after("")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


@needs_libgomp
def test_openmp_loaded_first_is_told() -> None:
    done = _import_after("import ctypes; ctypes.CDLL('libgomp.so.1')")
    assert done.returncode != 0
    assert "OMP_THREAD_LIMIT" in done.stderr and "RuntimeWarning" in done.stderr


def test_tesserocr_imported_first_is_told() -> None:
    pytest.importorskip("tesserocr")
    done = _import_after("import tesserocr")
    assert done.returncode != 0
    assert "before ocr_service set OMP_THREAD_LIMIT" in done.stderr


@needs_libgomp
def test_a_limit_from_the_environment_stands_and_is_not_warned() -> None:
    done = _import_after("import ctypes; ctypes.CDLL('libgomp.so.1')", limit="2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"


@pytest.mark.parametrize(
    "entry",
    ["ocr_service.cli", "ocr_service.api.app", "workers.jobs", "workers.extractor"],
)
def test_entry_points_do_not_load_openmp_before_the_limit(entry: str) -> None:
    done = _import_after(f"import {entry}")
    assert done.returncode == 0, done.stderr
