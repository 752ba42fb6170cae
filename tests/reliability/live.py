"""A real ``sohoa serve`` (and ``sohoa worker``) as subprocesses on loopback, for fault drills.

The process is the one an operator runs; its stdout/stderr go to a log file the tests grep
(e.g. for secrets). Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.fixtures.processes import kill_group, spawn, stop_group

__all__ = ["REPO", "LiveProcess", "free_port", "live_server", "sohoa_cmd", "start_worker"]

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sohoa_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from ocr_service.cli import main; main()", *args]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The caller's environment without any SOHOA_* (so a developer's .env cannot leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


class LiveProcess:
    def __init__(self, cmd: list[str], env: dict[str, str], log: Path, cwd: Path) -> None:
        self.log = log
        self.cmd = cmd
        with log.open("ab") as out:  # its own process group: stopped with what it forks
            self.proc = spawn(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the process and all it forked (an RQ worker's scheduler, a work-horse):
        no clean-up, no goodbye, as when its container or cgroup is killed."""
        kill_group(self.proc)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to whatever of its process group still runs."""
        stop_group(self.proc)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class LiveServer(LiveProcess):
    url: str

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)


@contextlib.contextmanager
def live_server(
    env: dict[str, str], workdir: Path, *, pipeline: str | None, timeout: float = 60.0
) -> Iterator[LiveServer]:
    """``sohoa serve`` on a free loopback port; waits for /healthz; stops it afterwards."""
    port = free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if pipeline:
        args += ["--pipeline", pipeline]
    server = LiveServer(sohoa_cmd(*args), clean_env(env), workdir / f"serve-{port}.log", workdir)
    server.url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if not server.alive():
                raise RuntimeError(f"sohoa serve exited:\n{server.output()[-3000:]}")
            try:
                if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"sohoa serve not up after {timeout} s")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()


def start_worker(
    env: dict[str, str], workdir: Path, *, pipeline: str | None, name: str
) -> LiveProcess:
    args = ["worker", "--name", name]
    if pipeline:
        args += ["--pipeline", pipeline]
    return LiveProcess(sohoa_cmd(*args), clean_env(env), workdir / f"worker-{name}.log", workdir)
