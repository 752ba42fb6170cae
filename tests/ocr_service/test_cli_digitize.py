"""`sohoa digitize`: the counter's flow in-process ends in a signed copy (what `make demo` runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from core.records import ExtractionResult, Verification
from core.settings import Settings
from ocr_service.copies.signing import SignatureState, trust_from_settings, verify_copy
from storage.db import session_scope
from storage.models import AuditEvent
from tests.api.service_env import png_bytes
from tests.ocr_service.copies.copy_kit import decode_qr, rasterise
from workers.faults import extract

REPO = Path(__file__).resolve().parents[2]
CITIZEN = "001192012345"


def _sohoa(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ocr_service.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


def test_digitize_ends_with_a_signed_copy_carrying_the_qr_code(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(data))
    scan = tmp_path / f"ks_{CITIZEN}.png"
    scan.write_bytes(png_bytes(1240, 1754, seed=5))
    assert _sohoa("pki", "demo", env=env, cwd=tmp_path).returncode == 0
    fake = ("--pipeline", "workers.faults:extract")
    run = _sohoa("digitize", str(scan), "--citizen", CITIZEN, *fake, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    code = out["dossier"]["code"]
    assert code.startswith("000.00.00.Z99-") and code.endswith("-0001")
    [doc] = out["documents"]
    assert doc["review_status"] == "approved"
    assert doc["signature"]["status"] == "valid"
    assert doc["signature"]["signer"] == "Cán bộ một cửa (demo)"
    assert doc["qr"]["ma_ho_so"] == code and doc["qr"]["ten_giay_to"] == "Giấy khai sinh"
    copy = Path(doc["signed_copy"]).read_bytes()
    status = verify_copy(copy, trust_from_settings(Settings(data_dir=data)))
    assert status.state is SignatureState.VALID
    [qr] = decode_qr(rasterise(copy, 0, dpi=200))
    assert json.loads(qr) == doc["qr"]
    # bad input: exit 2, nothing opened
    bad = _sohoa("digitize", str(scan), "--citizen", "123", *fake, env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "12-digit" in bad.stderr
    text = tmp_path / "note.png"
    text.write_text("không phải ảnh")
    bad = _sohoa("digitize", str(text), "--citizen", CITIZEN, *fake, env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "not a JPEG" in bad.stderr


def mismatched_extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    """The fake pipeline, its documents differing from the register in the name."""
    out = extract(data, name, settings)
    out.documents = [
        replace(d, verification=Verification("mismatch", ["full_name"])) for d in out.documents
    ]
    return out


def test_digitize_approves_a_difference_from_the_register_only_with_a_reason(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(data))
    scan = tmp_path / f"ks_{CITIZEN}.png"
    scan.write_bytes(png_bytes(400, 560, seed=6))
    assert _sohoa("pki", "demo", env=env, cwd=tmp_path).returncode == 0
    fake = ("--pipeline", "tests.ocr_service.test_cli_digitize:mismatched_extract")
    run = _sohoa("digitize", str(scan), "--citizen", CITIZEN, *fake, env=env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "--approval-reason" in run.stderr
    [doc] = json.loads(run.stdout)["documents"]
    assert doc["review_status"] == "needs_review"
    assert doc["refused"]["code"] == "approval_reason_required"
    reason = ("--approval-reason", "Bản chính ghi như vậy")
    run = _sohoa("digitize", str(scan), "--citizen", CITIZEN, *fake, *reason, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    [doc] = json.loads(run.stdout)["documents"]
    assert doc["review_status"] == "approved"
    with session_scope(Settings(data_dir=data).effective_database_url) as s:
        [row] = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "document.approve",
                AuditEvent.detail["approval_reason"].as_string() == "Bản chính ghi như vậy",
            )
        ).all()
        assert row.detail["differences"][0]["field"] == "full_name"


def test_digitize_leaves_a_paper_about_someone_else_for_the_clerk(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(data))
    scan = tmp_path / "ks_079301000111.png"  # a birth certificate of another citizen
    scan.write_bytes(png_bytes(400, 560, seed=7))
    assert _sohoa("pki", "demo", env=env, cwd=tmp_path).returncode == 0
    fake = ("--pipeline", "workers.faults:extract")
    run = _sohoa("digitize", str(scan), "--citizen", CITIZEN, *fake, env=env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    [doc] = json.loads(run.stdout)["documents"]
    assert doc["refused"]["code"] == "subject_unconfirmed"
