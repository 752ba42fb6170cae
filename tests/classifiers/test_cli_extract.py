"""`sohoa extract`: JSON shape, per-file errors (exit 2, other files still processed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from core.errors import CorruptFileError
from ocr_service.pipeline import ProcessedPage
from tests.classifiers._helpers import page_from_rows

BIRTH = [
    (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (900, 450, "GIẤY KHAI SINH"),
    (250, 600, "Họ, chữ đệm, tên: Trần Văn Đức"),
    (250, 670, "Ngày, tháng, năm sinh: 01/02/1989"),
    (250, 740, "Số định danh cá nhân: 036089001234"),
]


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Replace the models: OCR 'reads' a birth certificate from any file not starting with b'bad'."""
    import ocr_service.engine
    import ocr_service.pipeline.orchestrator
    from core.settings import get_settings

    def fake_ocr_file(
        data: bytes, name: str, *, engine: object, settings: object
    ) -> list[ProcessedPage]:
        if data.startswith(b"bad"):
            raise CorruptFileError(f"{name}: the file is damaged; scan the page again.")
        text = page_from_rows(BIRTH)
        return [ProcessedPage(name, 1, np.full((3508, 2480, 3), 255, np.uint8), text)]

    monkeypatch.setattr(ocr_service.pipeline.orchestrator, "ocr_file", fake_ocr_file)
    monkeypatch.setattr(
        ocr_service.engine, "get_engine", lambda settings, recognizer=None: object()
    )
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_json_output_and_bad_files(fake_ocr: None, tmp_path: Path) -> None:
    from ocr_service.cli import cli

    good = tmp_path / "scan one.jpg"
    good.write_bytes(b"\xff\xd8 pretend jpeg")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"bad pdf")
    missing = tmp_path / "missing.png"
    result = CliRunner().invoke(cli, ["extract", str(bad), str(missing), str(good), "--json"])
    assert result.exit_code == 2
    assert "broken.pdf" in result.stderr and "missing.png" in result.stderr
    docs = json.loads(result.stdout)
    assert len(docs) == 1
    doc = docs[0]
    assert doc["source"] == "scan one.jpg"
    assert doc["pages"] == [1]
    assert doc["doc_type"] == "birth_certificate"
    assert doc["fields"] == {
        "full_name": "Trần Văn Đức",
        "date_of_birth": "1989-02-01",
        "id_number": "036089001234",
    }
    assert set(doc["field_confidence"]) == set(doc["fields"])
    # Nothing imported into the register yet: the subject is not found.
    assert doc["verification"] == {
        "status": "not_found",
        "mismatched_fields": [],
        "diacritics_only_fields": [],
    }


def test_readable_summary_without_json(fake_ocr: None, tmp_path: Path) -> None:
    from ocr_service.cli import cli

    good = tmp_path / "a.jpg"
    good.write_bytes(b"\xff\xd8")
    result = CliRunner().invoke(cli, ["extract", str(good)])
    assert result.exit_code == 0, result.output
    assert "a.jpg — page 1: birth_certificate" in result.stdout
    assert "Trần Văn Đức" in result.stdout and "verification: not_found" in result.stdout
