"""The component job and the in-process queue: statuses, retries, time-outs, idempotency."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.errors import OcrEngineError
from core.settings import Settings
from ocr_service.copies.codes import digitization_code_template
from ocr_service.registration import is_valid_digitization_code, register_extraction
from storage.db import session_scope
from storage.models import Component, Dossier, RegisteredDocument
from storage.objects import LocalObjectStore, object_key, sha256_hex
from storage.repository import add_component, create_dossier, find_document_by_code, init_db
from tests.api.service_env import CITIZEN, png_bytes
from workers import faults
from workers.jobs import JobContext, configure, run_component
from workers.queue import InProcessJobQueue


def _setup(
    tmp_path: Path, extractor: Any, *, retries: int = 2, timeout: int = 600
) -> tuple[JobContext, str]:
    settings = Settings(data_dir=tmp_path, job_max_retries=retries, job_timeout_seconds=timeout)
    url = settings.effective_database_url
    init_db(url)
    store = LocalObjectStore(settings.objects_dir)
    with session_scope(url) as s:
        dossier = create_dossier(s, procedure_code="p", citizen_id_number=CITIZEN, created_by="c")
        cid = _add_scan(s, store, dossier, seed=42, name=f"ks_{CITIZEN}.png")
    return JobContext(settings, store, extractor), cid


def _add_scan(
    s: Session, store: LocalObjectStore, dossier: Dossier, *, seed: int, name: str
) -> str:
    data = png_bytes(seed=seed)
    key = object_key("scans", sha256_hex(data))
    store.put(key, data, sha256=sha256_hex(data))
    comp = add_component(
        s,
        dossier=dossier,
        object_key=key,
        sha256=sha256_hex(data),
        original_filename=name,
        content_type="image/png",
        size_bytes=len(data),
        created_by="c",
    )
    return comp.id


def _component(ctx: JobContext, cid: str) -> Component:
    with session_scope(ctx.settings.effective_database_url) as s:
        comp = s.get(Component, cid)
        assert comp is not None
        s.expunge(comp)
        return comp


def _docs(ctx: JobContext, cid: str) -> int:
    with session_scope(ctx.settings.effective_database_url) as s:
        return len(s.query(RegisteredDocument).filter_by(component_id=cid).all())


def test_job_registers_once_however_often_it_runs(tmp_path: Path) -> None:
    ctx, cid = _setup(tmp_path, faults.extract)
    assert run_component(cid, ctx=ctx) == "done"
    assert run_component(cid, ctx=ctx) == "done"  # skipped: already done
    comp = _component(ctx, cid)
    assert comp.attempts == 1 and comp.error_code is None
    assert _docs(ctx, cid) == 1


def test_retryable_error_waits_in_queue_while_retries_remain(tmp_path: Path) -> None:
    def boom(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        raise OcrEngineError("engine crashed")

    ctx, cid = _setup(tmp_path, boom)
    with pytest.raises(OcrEngineError):
        run_component(cid, ctx=ctx, will_retry=True)
    comp = _component(ctx, cid)
    assert comp.status == "queued" and comp.error_code == "ocr_engine_error"
    with pytest.raises(OcrEngineError):
        run_component(cid, ctx=ctx, will_retry=False)
    comp = _component(ctx, cid)
    assert comp.status == "failed" and comp.error_retryable and comp.attempts == 2


def test_rq_timeout_becomes_a_retryable_job_timeout(tmp_path: Path) -> None:
    from rq.timeouts import JobTimeoutException

    def slow(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        raise JobTimeoutException("Task exceeded maximum timeout value (1 seconds)")

    ctx, cid = _setup(tmp_path, slow)
    with pytest.raises(Exception, match="time limit"):
        run_component(cid, ctx=ctx)
    comp = _component(ctx, cid)
    assert comp.status == "failed" and comp.error_code == "job_timeout" and comp.error_retryable


def test_unexpected_exceptions_fail_the_component_without_retry(tmp_path: Path) -> None:
    def bug(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        raise KeyError("oops")

    ctx, cid = _setup(tmp_path, bug)
    assert run_component(cid, ctx=ctx, will_retry=True) == "failed"
    comp = _component(ctx, cid)
    assert comp.error_code == "internal_error" and comp.error_retryable is False


def test_in_process_queue_retries_with_backoff(tmp_path: Path) -> None:
    calls: list[float] = []

    def flaky(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise OcrEngineError("transient")
        return faults.extract(data, name, settings)

    ctx, cid = _setup(tmp_path, flaky, retries=3)
    queue = InProcessJobQueue(ctx, backoff=[0.2, 0.4])  # type: ignore[list-item]
    try:
        queue.enqueue_component(cid)
        deadline = time.monotonic() + 10
        while _component(ctx, cid).status != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.close()
    comp = _component(ctx, cid)
    assert comp.status == "done" and comp.attempts == 3
    assert calls[1] - calls[0] >= 0.2 and calls[2] - calls[1] >= 0.4
    assert _docs(ctx, cid) == 1


def test_a_failing_duplicate_never_undoes_a_finished_component(tmp_path: Path) -> None:
    """Two deliveries of one job: if the other finished first, this one's failure is moot."""
    holder: dict[str, JobContext] = {}

    def racing(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        other = JobContext(settings, holder["ctx"].store, faults.extract)
        with session_scope(settings.effective_database_url) as s:
            s.get(Component, holder["cid"]).status = "queued"  # let the other run start
        assert run_component(holder["cid"], ctx=other) == "done"
        raise OcrEngineError("this delivery lost the race")

    ctx, cid = _setup(tmp_path, racing)
    holder.update(ctx=ctx, cid=cid)
    assert run_component(cid, ctx=ctx, will_retry=True) == "done"
    comp = _component(ctx, cid)
    assert comp.status == "done" and comp.error_code is None
    assert _docs(ctx, cid) == 1


def _wait_status(ctx: JobContext, cid: str, status: str, timeout: float = 15.0) -> Component:
    deadline = time.monotonic() + timeout
    while (comp := _component(ctx, cid)).status != status:
        assert time.monotonic() < deadline, f"component still {comp.status}"
        time.sleep(0.05)
    return comp


def test_in_process_job_past_its_time_limit_fails_and_its_late_result_is_dropped(
    tmp_path: Path,
) -> None:
    release, finished = threading.Event(), threading.Event()

    def hangs(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        release.wait(20)
        try:
            return faults.extract(data, name, settings)
        finally:
            finished.set()

    ctx, cid = _setup(tmp_path, hangs, retries=0, timeout=1)
    queue = InProcessJobQueue(ctx, backoff=[0])  # type: ignore[list-item]
    try:
        t0 = time.monotonic()
        queue.enqueue_component(cid)
        comp = _wait_status(ctx, cid, "failed")
        assert 0.9 <= time.monotonic() - t0 < 10
        assert comp.error_code == "job_timeout" and comp.error_retryable is True
        assert comp.attempts == 1 and comp.finished_at is not None
        release.set()  # the abandoned pipeline now finishes late ...
        assert finished.wait(5)
        time.sleep(0.5)
        comp = _component(ctx, cid)  # ... and registers nothing, changes nothing
        assert comp.status == "failed" and comp.error_code == "job_timeout"
        assert _docs(ctx, cid) == 0
    finally:
        release.set()
        queue.close()


def test_in_process_timeouts_are_retried_then_fail(tmp_path: Path) -> None:
    calls: list[float] = []
    release = threading.Event()

    def always_hangs(data: bytes, name: str, settings: Settings):  # type: ignore[no-untyped-def]
        calls.append(time.monotonic())
        release.wait(20)
        return faults.extract(data, name, settings)

    ctx, cid = _setup(tmp_path, always_hangs, retries=1, timeout=1)
    queue = InProcessJobQueue(ctx, backoff=[0])  # type: ignore[list-item]
    try:
        queue.enqueue_component(cid)
        comp = _wait_status(ctx, cid, "failed")
        assert comp.error_code == "job_timeout" and comp.attempts == 2 and len(calls) == 2
    finally:
        release.set()
        queue.close()
    assert _docs(ctx, cid) == 0


def test_a_job_within_its_time_limit_is_unaffected(tmp_path: Path) -> None:
    ctx, cid = _setup(tmp_path, faults.extract, retries=0, timeout=30)
    assert run_component(cid, ctx=ctx, timeout=30) == "done"
    assert _docs(ctx, cid) == 1


def test_the_error_rq_logs_names_the_component_not_the_file() -> None:
    """A retryable failure goes back to RQ, which logs it after the job's redaction ended."""
    from core.errors import OcrEngineError
    from workers.jobs import without_file_name

    name = "KhaiSinh_Nguyen_Van_A_001192012345.jpg"
    error = OcrEngineError(f"{name}: OCR failed on page 1; retry.")
    out = without_file_name(error, name, "component c1")
    assert out is error and error.retryable
    assert str(error) == error.message == "component c1: OCR failed on page 1; retry."
    stem_only = without_file_name(
        OcrEngineError("KhaiSinh_Nguyen_Van_A_001192012345 p2"), name, "x"
    )
    assert str(stem_only) == "x p2"


def _another_component(ctx: JobContext, like: str, *, seed: int) -> str:
    assert isinstance(ctx.store, LocalObjectStore)
    with session_scope(ctx.settings.effective_database_url) as s:
        first = s.get(Component, like)
        assert first is not None
        return _add_scan(s, ctx.store, first.dossier, seed=seed, name=f"ks_{CITIZEN}_{seed}.png")


def _codes(ctx: JobContext, cid: str) -> list[str]:
    with session_scope(ctx.settings.effective_database_url) as s:
        docs = s.query(RegisteredDocument).filter_by(component_id=cid).all()
        return sorted(d.digitization_code for d in docs)


def test_a_configured_code_template_numbers_each_kind_of_paper_and_old_codes_still_resolve(
    tmp_path: Path,
) -> None:
    ctx, first = _setup(tmp_path, faults.extract)
    assert run_component(first, ctx=ctx) == "done"
    [old] = _codes(ctx, first)
    assert is_valid_digitization_code(old)  # sohoa's own code while nothing is configured

    ctx = replace(ctx, code_template=digitization_code_template("one-stop-component"))
    second, third = (_another_component(ctx, first, seed=seed) for seed in (7, 8))
    assert run_component(second, ctx=ctx) == run_component(third, ctx=ctx) == "done"
    # the citizen's id . the dossier's procedure . the document type . its number, from 01
    assert _codes(ctx, second) == [f"{CITIZEN}.p.birth_certificate.01"]
    assert _codes(ctx, third) == [f"{CITIZEN}.p.birth_certificate.02"]
    with session_scope(ctx.settings.effective_database_url) as s:
        found = find_document_by_code(s, code=old)
        assert found is not None and found.component_id == first


def test_two_papers_of_one_kind_in_one_scan_get_two_numbers(tmp_path: Path) -> None:
    ctx, cid = _setup(tmp_path, faults.extract)
    extraction = faults.extract(png_bytes(seed=42), f"ks_{CITIZEN}.png", ctx.settings)
    extraction.documents.append(replace(extraction.documents[0]))  # the same paper twice
    template = digitization_code_template("one-stop-component")
    with session_scope(ctx.settings.effective_database_url) as s:
        comp = s.get(Component, cid)
        assert comp is not None
        rows = register_extraction(
            s, component=comp, extraction=extraction, store=ctx.store, code_template=template
        )
        assert [r.digitization_code[-3:] for r in rows] == [".01", ".02"]


def test_a_worker_does_not_start_with_a_template_that_would_repeat_codes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, digitization_code_template="{applicant_id}.{day}")
    with pytest.raises(ValueError, match="seq"):
        configure(settings, store=LocalObjectStore(settings.objects_dir), extractor=faults.extract)
