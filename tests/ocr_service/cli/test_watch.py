"""`sohoa watch DIR`: a scanner's folder feeds a dossier; no file lost, none imported twice.

The command runs as a process (as at the counter); the crash tests drive its ``Feeder``
in-process with a fault injected at each step between storing a scan and moving its file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings
from ocr_service.cli.watch import (
    IMPORTED,
    JOURNAL,
    REJECTED,
    Feeder,
    Journal,
    Settling,
    Target,
    move_aside,
)
from ocr_service.reception import open_dossier
from storage.db import session_scope
from storage.models import AuditEvent, Component
from storage.objects import LocalObjectStore
from storage.repository import init_db
from tests.hostile.corpus import good_png

REPO = Path(__file__).resolve().parents[3]
CITIZEN = "001192012345"
FAKE = ("--pipeline", "workers.faults:extract")


def _sohoa(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(data))
    return subprocess.run(
        [sys.executable, "-c", "from ocr_service.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=data.parent,
    )


def _open(settings: Settings, clerk: str = "clerk-lan") -> tuple[str, str]:
    url = settings.effective_database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    init_db(url)
    with session_scope(url) as session:
        dossier = open_dossier(
            session,
            settings=settings,
            procedure_code="1.001193",
            citizen_id_number=CITIZEN,
            created_by=clerk,
        )
        assert dossier.code is not None
        return dossier.id, dossier.code


def _components(settings: Settings) -> list[tuple[str, str, str]]:
    with session_scope(settings.effective_database_url) as s:
        rows = s.execute(select(Component.dossier_id, Component.sha256, Component.status))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_each_content_is_imported_once_and_bad_files_are_rejected_with_a_reason(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    dossier_id, code = _open(settings)
    folder = tmp_path / "scanner"
    folder.mkdir()
    scan = good_png(seed=7)
    (folder / "scan_0001.png").write_bytes(scan)
    (folder / "scan_0001 (copy).png").write_bytes(scan)  # the same page saved twice
    (folder / "notes.txt").write_text("không phải bản quét", encoding="utf-8")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 400)
    (folder / ".hidden.png").write_bytes(good_png(seed=8))
    (folder / "scan_0002.png.part").write_bytes(b"\x89PNG")  # still being written
    run = _sohoa(
        "watch",
        str(folder),
        "--dossier",
        code,
        "--once",
        "--settle",
        "0",
        *FAKE,
        data=settings.data_dir,
    )
    assert run.returncode == 0, run.stderr
    lines = {r["file"]: r for r in map(json.loads, run.stdout.splitlines())}
    # the first of the two copies taken (in name order) is imported, the other only moved
    assert {name: r["status"] for name, r in lines.items()} == {
        "scan_0001 (copy).png": "imported",
        "scan_0001.png": "already_imported",
        "notes.txt": "rejected",
        "broken.png": "rejected",
    }
    imported = lines["scan_0001 (copy).png"]
    assert imported["dossier_id"] == dossier_id
    assert lines["scan_0001.png"]["component_id"] == imported["component_id"]
    assert sorted(p.name for p in (folder / IMPORTED).iterdir()) == [
        "scan_0001 (copy).png",
        "scan_0001.png",
    ]
    assert sorted(p.name for p in (folder / REJECTED).iterdir()) == [
        "broken.png",
        "broken.png.reason.txt",
        "notes.txt",
        "notes.txt.reason.txt",
    ]
    assert "not a JPEG, PNG, TIFF, WebP, HEIC or PDF" in (
        folder / REJECTED / "notes.txt.reason.txt"
    ).read_text(encoding="utf-8")
    assert "broken.png" in (folder / REJECTED / "broken.png.reason.txt").read_text(encoding="utf-8")
    # left alone: hidden files and files still being written
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
        ".hidden.png",
        JOURNAL,
        "scan_0002.png.part",
    ]
    # one component, digitized before the one-shot run exited; the upload audited as via watch
    [(dossier, _, status)] = _components(settings)
    assert (dossier, status) == (dossier_id, "done")
    with session_scope(settings.effective_database_url) as s:
        [row] = s.scalars(select(AuditEvent).where(AuditEvent.action == "component.upload"))
        assert (row.actor, row.role, row.detail["via"]) == ("clerk-lan", "clerk", "sohoa watch")
    # the same file dropped again on another day: moved, not imported again
    shutil.copy(folder / IMPORTED / "scan_0001.png", folder / "scan_0001.png")
    run = _sohoa(
        "watch",
        str(folder),
        "--clerk",
        "clerk-lan",
        "--once",
        "--settle",
        "0",
        *FAKE,
        data=settings.data_dir,
    )
    assert run.returncode == 0, run.stderr
    [again] = map(json.loads, run.stdout.splitlines())
    assert again["status"] == "already_imported"
    assert again["moved_to"].endswith(".png") and not (folder / "scan_0001.png").exists()
    assert len(_components(settings)) == 1


class _Crash(Exception):
    """The process dies here (a power cut): nothing after this step runs."""


class _Queue:
    def __init__(self, crash: bool = False) -> None:
        self.crash = crash
        self.queued: list[str] = []

    def enqueue_component(self, component_id: str) -> None:
        if self.crash:
            raise _Crash
        self.queued.append(component_id)


def _feeder(folder: Path, settings: Settings, target: Target, queue: Any, move: Any) -> Feeder:
    store = LocalObjectStore(settings.data_dir / "objects")
    return Feeder(folder, settings, target, store, queue, Journal(folder / JOURNAL), move=move)


def _crashing_move(path: Path, folder: Path, sha: str) -> Path:
    raise _Crash


@pytest.mark.parametrize("crash_at", ["queue", "move"])
def test_a_crash_between_store_and_move_imports_nothing_twice(
    tmp_path: Path, crash_at: str
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first_dossier, _ = _open(settings)
    folder = tmp_path / "scanner"
    folder.mkdir()
    scan = folder / "scan.png"
    scan.write_bytes(good_png(seed=11))
    target = Target(dossier_id=None, clerk="clerk-lan")  # the clerk's newest dossier
    queue = _Queue(crash=crash_at == "queue")
    move = _crashing_move if crash_at == "move" else move_aside
    crashed = _feeder(folder, settings, target, queue, move)
    with pytest.raises(_Crash):
        crashed.take(scan)
    assert scan.exists()  # the file is never lost: still in the folder after the crash
    [(dossier, sha, _)] = _components(settings)
    assert dossier == first_dossier
    # meanwhile the clerk opens the next citizen's dossier; the restarted watcher still puts
    # the scan where it was going, as the same component
    _open(settings)
    queue = _Queue()
    restarted = _feeder(folder, settings, target, queue, move_aside)
    report = restarted.take(scan)
    assert report["dossier_id"] == first_dossier
    if crash_at == "queue":  # recorded, never queued: the restart completes the import
        assert (report["status"], report["resumed"]) == ("imported", True)
        assert queue.queued == [report["component_id"]]
    else:  # recorded and queued, not moved: the restart only moves the file
        assert report["status"] == "already_imported" and queue.queued == []
    assert _components(settings) == [(first_dossier, sha, "queued")]
    assert not scan.exists() and (folder / IMPORTED / "scan.png").exists()
    journal = [json.loads(line) for line in (folder / JOURNAL).read_text().splitlines()]
    assert journal[0] == {"sha256": sha, "dossier_id": first_dossier, "actor": "clerk-lan"}
    assert journal[-1]["component_id"] == report["component_id"]


def test_a_file_is_taken_only_once_its_size_stays_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "scanner"
    folder.mkdir()
    growing = folder / "scan.pdf"
    growing.write_bytes(b"%PDF-1.7\n")
    settling = Settling(settle=2.0)
    assert settling.ready(folder, 100.0) == []
    with growing.open("ab") as fh:
        fh.write(b"more pages\n")
    assert settling.ready(folder, 101.5) == []  # changed: its clock starts again
    assert settling.ready(folder, 103.0) == []
    assert settling.ready(folder, 103.6) == [growing]
    assert Settling(settle=0).ready(folder, 0.0) == [growing]


def test_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    _open(settings)
    folder = tmp_path / "scanner"
    folder.mkdir()
    cases = [
        ((str(tmp_path / "nowhere"), "--dossier", "x"), "no such folder"),
        ((str(folder),), "--dossier ID"),
        ((str(folder), "--dossier", "000.00.00.Z99-000000-0000"), "no dossier"),
        ((str(folder), "--dossier", "x", "--settle", "-1"), "--settle"),
    ]
    for args, message in cases:
        run = _sohoa("watch", *args, "--once", data=settings.data_dir)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert message in run.stderr, (args, run.stderr)
    # a clerk with no dossier today: the scans wait in the folder, the one-shot run says so
    (folder / "scan.png").write_bytes(good_png(seed=3))
    run = _sohoa(
        "watch",
        str(folder),
        "--clerk",
        "nobody",
        "--once",
        "--settle",
        "0",
        *FAKE,
        data=settings.data_dir,
    )
    assert run.returncode == 2 and "open one at the counter" in run.stderr
    assert (folder / "scan.png").exists() and not _components(settings)[1:]


def test_running_it_waits_for_a_file_being_written_and_stops_on_sigterm(tmp_path: Path) -> None:
    from tests.fixtures.processes import spawn, stop_group

    settings = Settings(data_dir=tmp_path / "data")
    _, code = _open(settings)
    folder = tmp_path / "scanner"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), SOHOA_DATA_DIR=str(settings.data_dir))
    out = tmp_path / "watch.out"
    args = ["watch", str(folder), "--dossier", code, "--settle", "1.5", "--interval", "0.1", *FAKE]
    with out.open("wb") as fh:
        proc = spawn(
            [sys.executable, "-c", "from ocr_service.cli import main; main()", *args],
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(3)  # started and polling
        scan = good_png(seed=21)
        half = len(scan) // 2
        target = folder / "scan.png"
        with target.open("wb") as fh:  # the scanner writes it in two goes, 0.8 s apart
            fh.write(scan[:half])
            fh.flush()
            time.sleep(0.8)
            fh.write(scan[half:])
        deadline = time.monotonic() + 60
        while '"status"' not in out.read_text():  # its report line, written after the move
            assert proc.poll() is None, out.read_text()
            assert time.monotonic() < deadline, out.read_text()
            time.sleep(0.1)
    finally:
        stop_group(proc)
    assert proc.returncode == 0, out.read_text()
    [line] = [json.loads(x) for x in out.read_text().splitlines() if x.startswith("{")]
    assert line["status"] == "imported" and (folder / IMPORTED / "scan.png").exists()
    assert not (folder / REJECTED).exists()  # never taken half-written
    with session_scope(settings.effective_database_url) as s:
        assert s.scalar(select(Component.size_bytes)) == len(scan)


def test_a_clerks_dossier_from_yesterday_is_never_fed(tmp_path: Path) -> None:
    from datetime import timedelta

    from ocr_service.cli.watch import _Refused
    from storage.models import utcnow

    settings = Settings(data_dir=tmp_path / "data")
    url = settings.effective_database_url
    settings.data_dir.mkdir(parents=True)
    init_db(url)
    with session_scope(url) as session:
        open_dossier(
            session,
            settings=settings,
            procedure_code="1.001193",
            citizen_id_number=CITIZEN,
            created_by="clerk-lan",
            now=utcnow() - timedelta(days=1, hours=1),
        )
    folder = tmp_path / "scanner"
    folder.mkdir()
    scan = folder / "scan.png"
    scan.write_bytes(good_png(seed=31))
    feeder = _feeder(folder, settings, Target(None, "clerk-lan"), _Queue(), move_aside)
    with pytest.raises(_Refused, match="opened no dossier today"):
        feeder.take(scan)
    assert scan.exists() and _components(settings) == []
    today, _ = _open(settings)
    assert feeder.take(scan)["dossier_id"] == today
