"""One synthetic scan through the real pipeline (OCR models) behind the embedded API."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from ocr_service.api import create_app
from tests.api.service_env import REPO, Harness

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, "-m", "samples", "generate", "--out", str(out), "--per-type", "1",
         "--seed", "5", "--types", "birth_certificate", "--degradations", "flatbed_300",
         "--formats", "jpg=1", "--dossiers", "0", "--extra-people", "5"],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def real(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    from storage.population import open_register, parse_register_csv

    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    app = create_app(settings)  # the default extractor: ocr_service.pipeline.extract_file
    rows, errors = parse_register_csv((sample / "population.csv").read_bytes())
    assert not errors
    open_register(settings).upsert(rows)
    with TestClient(app) as client:
        yield Harness(client=client, settings=settings)


def test_birth_certificate_is_read_verified_and_registered(real: Harness, sample: Path) -> None:
    [scan] = sorted(sample.glob("*.jpg"))
    expected = json.loads(scan.with_suffix(".expected.json").read_text())
    citizen = expected["fields"]["id_number"]
    r = real.upload(real.open_dossier(citizen), scan.name, scan.read_bytes())
    assert r.status_code == 202
    comp = real.wait(r.json()["id"], timeout=180)
    assert comp["status"] == "done", comp["error"]
    [doc] = comp["documents"]
    assert doc["doc_type"] == "birth_certificate"
    assert doc["citizen_id_number"] == citizen
    assert doc["fields"]["id_number"] == citizen
    assert doc["fields"]["full_name"] == expected["fields"]["full_name"]
    assert doc["review_status"] == (
        "verified" if doc["verification"]["status"] == "match" else "needs_review"
    )
    page = comp["pages"][0]
    assert len(page["lines"]) > 10 and page["width"] > 1000
    pdf = real.client.get(doc["file_url"], headers=real.auth("officer"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listed = real.client.get(f"/api/v1/citizens/{citizen}/documents", headers=real.auth("officer"))
    assert [d["id"] for d in listed.json()["documents"]] == [doc["id"]]
