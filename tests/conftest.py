"""Suite-wide hooks: on CI a skipped test is a failure, so a missing service cannot hide one;
no process started by the suite may outlive it. Also the demo PKI that signs the copies
approved in the API, security and web tests."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped on CI, where every dependency must be present: {reason}"


def _leftovers(tag: str, before: set[int]) -> dict[int, str]:
    """The session's tagged processes still alive, less multiprocessing's resource tracker
    of this very process: the library starts it at the first spawn (tests/storage's
    concurrent draws) and it ends with its parent, the pytest process, by design."""
    from tests.fixtures.processes import tagged_processes

    return {
        pid: cmd
        for pid, cmd in tagged_processes(tag, exclude=before).items()
        if not ("multiprocessing.resource_tracker" in cmd and _parent(pid) == os.getpid())
    }


def _parent(pid: int) -> int | None:
    try:  # /proc/PID/stat: "pid (comm) state ppid ...", comm may hold spaces
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.fixture(scope="session", autouse=True)
def no_leftover_processes() -> Iterator[None]:
    """Every test stops what it starts: at the end of the session no process started by it
    (``sohoa serve``/``worker``, an RQ scheduler or work-horse, redis-server, moto, ...) may
    still run. Processes are recognised by a tag in their environment, unique to this session
    (see tests/fixtures/processes.py), so processes that existed before the session, or that
    another session started, can never trip this. Leftovers are listed, killed, and the
    session errors."""
    from tests.fixtures.processes import SESSION_TAG_ENV, tagged_processes

    tag = uuid.uuid4().hex
    before = set(tagged_processes(tag))  # empty by construction; kept for the reader
    os.environ[SESSION_TAG_ENV] = tag
    yield
    deadline = time.monotonic() + 5  # a process stopped just now may still be exiting
    while (left := _leftovers(tag, before)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    if left:
        listing = "\n".join(f"  pid {pid}: {cmd}" for pid, cmd in sorted(left.items()))
        pytest.fail(
            f"{len(left)} process(es) started by this test session outlived it (now killed):\n"
            f"{listing}\nstart them with tests.fixtures.processes.spawn and stop them with "
            "stop_group/kill_group",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A demo PKI (``sohoa pki demo``'s) in a temporary folder, made once per session."""
    from ocr_service.copies.pki import write_demo_pki

    return write_demo_pki(tmp_path_factory.mktemp("demo-pki") / "pki")


@pytest.fixture(scope="session")
def signing_settings(demo_pki: Any) -> dict[str, Any]:
    """``Settings`` keyword arguments that sign approved copies with ``demo_pki``."""
    from pydantic import SecretStr

    return {
        "signing_backend": "pkcs12",
        "signing_pkcs12_path": demo_pki.clerk_p12,
        "signing_pkcs12_password": SecretStr(demo_pki.password),
        "signing_trust_roots": demo_pki.ca_cert,
        "signing_crls": [demo_pki.crl],
    }
