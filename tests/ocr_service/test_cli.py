"""``sohoa ocr``: JSON shape, text output, exit codes with bad files among good ones."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner

import ocr_service.engine as engine_module
from ocr_service.cli import cli
from tests.ocr_service.ocr_testkit import FakeEngine, render_page


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    page, _ = render_page(0.5)
    good = tmp_path / "scan.png"
    cv2.imwrite(str(good), page)
    jpg = tmp_path / "second.jpg"
    cv2.imwrite(str(jpg), page[:300])
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(jpg.read_bytes()[:400])
    html = tmp_path / "page.jpg.html"
    html.write_text("<html>not a scan</html>")
    return {"good": good, "jpg": jpg, "corrupt": corrupt, "html": html}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeEngine:
    engine = FakeEngine()
    monkeypatch.setattr(engine_module, "get_engine", lambda settings, recognizer=None: engine)
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    return engine


def test_json_is_one_array_with_one_element_per_file(
    files: dict[str, Path], fake: FakeEngine
) -> None:
    result = CliRunner().invoke(cli, ["ocr", "--json", str(files["good"]), str(files["jpg"])])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["source"] for d in data] == ["scan.png", "second.jpg"]
    page = data[0]["pages"][0]
    assert page["page"] == 1
    assert page["text"] == "Trang 620x877 tiếng Việt"
    line = page["lines"][0]
    assert set(line) == {"text", "box", "confidence"}
    assert len(line["box"]) == 4 and all(len(pt) == 2 for pt in line["box"])


def test_bad_file_is_reported_others_still_processed_exit_2(
    files: dict[str, Path], fake: FakeEngine
) -> None:
    args = ["ocr", "--json", str(files["corrupt"]), str(files["good"]), str(files["html"])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [d["source"] for d in data] == ["scan.png"]
    assert "broken.jpg" in result.stderr and "scan the page again" in result.stderr
    assert "page.jpg.html" in result.stderr


def test_missing_file_is_exit_2(tmp_path: Path, fake: FakeEngine) -> None:
    result = CliRunner().invoke(cli, ["ocr", str(tmp_path / "nope.png")])
    assert result.exit_code == 2


def test_engine_failure_is_exit_1(files: dict[str, Path], fake: FakeEngine) -> None:
    fake.fail = True  # fault injection: the recognizer raises
    result = CliRunner().invoke(cli, ["ocr", str(files["good"])])
    assert result.exit_code == 1
    assert "retry" in result.stderr


def test_plain_text_output(files: dict[str, Path], fake: FakeEngine) -> None:
    result = CliRunner().invoke(cli, ["ocr", str(files["good"])])
    assert result.exit_code == 0
    assert "Trang 620x877 tiếng Việt" in result.stdout


@pytest.mark.slow
def test_real_engine_end_to_end(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["ocr", "--json", str(files["good"]), str(files["corrupt"])])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert len(data) == 1
    assert "Nguyễn Thị Minh Hằng" in data[0]["pages"][0]["text"]
