"""workers.settle: a failure written late never overwrites a later run or a finished one."""

from __future__ import annotations

import time
from pathlib import Path

from core.errors import StorageUnavailableError
from core.settings import Settings
from storage.db import session_scope
from storage.models import Component
from storage.repository import add_component, create_dossier, init_db
from tests.api.service_env import CITIZEN
from workers.settle import pending_failures, settle_later


def _processing(tmp_path: Path, attempts: int) -> tuple[str, str]:
    """(database url, id) of a component ``processing`` on attempt ``attempts``."""
    url = Settings(data_dir=tmp_path).effective_database_url
    init_db(url)
    with session_scope(url) as s:
        dossier = create_dossier(s, procedure_code="p", citizen_id_number=CITIZEN, created_by="c")
        comp = add_component(
            s,
            dossier=dossier,
            object_key="scans/" + "0" * 64,
            sha256="0" * 64,
            original_filename="scan.png",
            content_type="image/png",
            size_bytes=1,
            created_by="c",
        )
        comp.status, comp.attempts = "processing", attempts
        return url, comp.id


def _component(url: str, cid: str) -> Component:
    with session_scope(url) as s:
        comp = s.get(Component, cid)
        assert comp is not None
        s.expunge(comp)
        return comp


def _settled(cid: str) -> None:
    deadline = time.monotonic() + 10
    while cid in pending_failures():
        assert time.monotonic() < deadline, pending_failures()
        time.sleep(0.02)


def test_a_pending_failure_is_written_on_the_attempt_it_belongs_to(tmp_path: Path) -> None:
    url, cid = _processing(tmp_path, attempts=1)
    settle_later(url, cid, StorageUnavailableError("disk full"), will_retry=False, attempts=1)
    _settled(cid)
    comp = _component(url, cid)
    assert (comp.status, comp.error_code, comp.error_retryable) == (
        "failed", "storage_unavailable", True,
    )  # fmt: skip
    assert comp.finished_at is not None


def test_a_pending_failure_of_an_earlier_attempt_or_a_finished_run_is_dropped(
    tmp_path: Path,
) -> None:
    url, cid = _processing(tmp_path, attempts=2)  # a later attempt runs it now
    settle_later(url, cid, StorageUnavailableError(), will_retry=False, attempts=1)
    _settled(cid)
    assert _component(url, cid).status == "processing"
    with session_scope(url) as s:
        row = s.get(Component, cid)
        assert row is not None
        row.status = "done"
    settle_later(url, cid, StorageUnavailableError(), will_retry=False, attempts=None)
    _settled(cid)
    assert _component(url, cid).status == "done"
