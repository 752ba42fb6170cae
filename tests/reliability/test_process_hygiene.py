"""Every test stops what it starts (issue 17, item 17): the session's leftover-process guard
(tests/conftest.py) and the process-group helpers (tests/fixtures/processes.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.fixtures.processes import group_members, kill_group, spawn, stop_group

REPO = Path(__file__).resolve().parents[2]

_CONFTEST = "from tests.conftest import no_leftover_processes  # noqa: F401\n"
_LEAKY = """
import subprocess

def test_leaves_a_process_behind():
    subprocess.Popen(["sleep", "120"])
"""
_TIDY = """
from tests.fixtures.processes import spawn, stop_group

def test_stops_what_it_starts():
    stop_group(spawn(["sleep", "120"]))
"""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _inner_session(tmp_path: Path, test: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(_CONFTEST)
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(test))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_process_left_running_fails_the_session_and_is_killed(tmp_path: Path) -> None:
    done = _inner_session(tmp_path, _LEAKY)
    assert done.returncode != 0, done.stdout
    assert "process(es) started by this test session outlived it" in done.stdout, done.stdout
    leaked = [line for line in done.stdout.splitlines() if "sleep 120" in line]
    assert leaked, done.stdout
    pid = int(leaked[0].split("pid ")[1].split(":")[0])
    deadline = time.monotonic() + 5
    while _running(pid):
        assert time.monotonic() < deadline, f"leftover {pid} was not killed"
        time.sleep(0.05)


def test_processes_from_before_the_session_are_not_flagged(tmp_path: Path) -> None:
    older = spawn(["sleep", "120"], env=dict(os.environ))  # exists before the inner session
    try:
        done = _inner_session(tmp_path, _TIDY)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "outlived" not in done.stdout
        assert older.poll() is None  # left alone
    finally:
        stop_group(older)
    assert older.poll() is not None


def test_killing_a_group_takes_its_forked_children_with_it() -> None:
    # a parent that forks a long-lived child, like an RQ worker and its scheduler
    code = "import os, time\nif os.fork() == 0:\n    time.sleep(120)\nelse:\n    time.sleep(120)"
    parent = spawn([sys.executable, "-c", code])
    deadline = time.monotonic() + 10
    while len(group_members(parent.pid)) < 2:
        assert time.monotonic() < deadline, "the child was not forked"
        time.sleep(0.05)
    children = [pid for pid in group_members(parent.pid) if pid != parent.pid]
    kill_group(parent)
    assert group_members(parent.pid) == []
    assert not any(_running(pid) for pid in children)
