"""`sohoa watch DIR`: a counter scanner's folder; every file it drops becomes a dossier's component.

A file is taken once its size and modification time have not changed for ``--settle`` seconds
(the scanner has finished writing it). It then goes the API's way in (``ocr_service.reception``:
stored under its content hash, recorded, its job queued, audited as ``component.upload`` via
``sohoa watch``) and only once the scan is safely stored and recorded is the file moved to
``DIR/imported/``. A file that is not a JPEG, PNG, TIFF, WebP, HEIC or PDF scan, or that cannot
be decoded, is moved to ``DIR/rejected/`` beside a ``NAME.reason.txt`` saying why.

Never lost, never imported twice: ``DIR/.sohoa-watch.jsonl`` is a journal of content hashes.
Before a scan is recorded its hash and dossier are written there (fsync), after it is recorded
its component. A restart after a crash finds the file still in ``DIR``; its hash names the
dossier it was going to, and recording the same content in the same dossier again is the same
component (as a re-upload is). A file whose content was imported before (a scan saved twice)
is moved to ``imported/`` without a second component. Hidden files and the names scanners give
files still being written (``*.tmp``, ``*.part``, ``*.crdownload``, ``~*``) are left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import click

from core.errors import InvalidInputError, SohoaError
from core.settings import Settings, get_settings

__all__ = ["command"]

IMPORTED = "imported"
REJECTED = "rejected"
JOURNAL = ".sohoa-watch.jsonl"
_IN_PROGRESS = (".tmp", ".part", ".partial", ".crdownload", ".download")
VIA = "sohoa watch"


class _Refused(SohoaError):
    """The command line names something that cannot be watched or fed (exit 2)."""

    code = "invalid_input"
    exit_code = 2


# --- the journal ----------------------------------------------------------------------------


class Journal:
    """Append-only JSON lines: ``{"sha256", "dossier_id"}`` before a scan is recorded, then
    ``{"sha256", "dossier_id", "component_id"}`` once it is. The last line of a hash wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, str]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    entry = json.loads(line)  # a line torn by a crash is skipped
                    self.entries[str(entry["sha256"])] = entry

    def get(self, sha256: str) -> dict[str, str] | None:
        return self.entries.get(sha256)

    def append(self, **entry: str) -> None:
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.entries[entry["sha256"]] = entry


# --- the folder -----------------------------------------------------------------------------


def _candidates(folder: Path) -> list[Path]:
    """The files the scanner has dropped: regular files directly in ``folder``, not hidden and
    not named as still being written."""
    out = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith((".", "~")) or name.lower().endswith(_IN_PROGRESS):
            continue
        if path.is_file() and not path.is_symlink():
            out.append(path)
    return out


def _state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class Settling:
    """Which files have kept the same size and modification time for ``settle`` seconds."""

    settle: float
    seen: dict[Path, tuple[tuple[int, int], float]] = field(default_factory=dict)

    def ready(self, folder: Path, now: float) -> list[Path]:
        out = []
        current = {}
        for path in _candidates(folder):
            state = _state(path)
            if state is None:
                continue
            previous = self.seen.get(path)
            since = previous[1] if previous and previous[0] == state else now
            current[path] = (state, since)
            if now - since >= self.settle:
                out.append(path)
        self.seen = current
        return out


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _free_name(folder: Path, name: str, sha256: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 1000):
        target = folder / f"{stem}.{sha256[:8]}{'' if n == 1 else f'-{n}'}{suffix}"
        if not target.exists():
            return target
    raise FileExistsError(f"no free name for {name} in {folder}")


def move_aside(path: Path, folder: Path, sha256: str) -> Path:
    """Move ``path`` into ``folder`` (made if missing) under a name not yet taken there."""
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name, sha256)
    path.replace(target)
    _fsync_dir(folder)
    _fsync_dir(path.parent)
    return target


def reject(path: Path, folder: Path, sha256: str, reason: str) -> Path:
    """``path`` into ``folder`` with ``NAME.reason.txt`` beside it (written first)."""
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name, sha256)
    note = target.with_name(target.name + ".reason.txt")
    tmp = note.with_name(note.name + ".tmp")
    tmp.write_text(reason.rstrip() + "\n", encoding="utf-8")
    tmp.replace(note)
    path.replace(target)
    _fsync_dir(folder)
    _fsync_dir(path.parent)
    return target


# --- taking one file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where scans go: a fixed dossier, or the newest dossier ``clerk`` opened."""

    dossier_id: str | None
    clerk: str | None


@dataclass
class Feeder:
    """Takes files into dossiers the API's way; ``move`` is replaceable for fault injection."""

    folder: Path
    settings: Settings
    target: Target
    store: Any
    queue: Any
    journal: Journal
    move: Callable[[Path, Path, str], Path] = move_aside

    def _check(self, data: bytes, name: str) -> str:
        """The content type, after decoding what can be decoded cheaply (the first page)."""
        from ocr_service.api.uploads import sniff_content_type
        from ocr_service.pages import load_pages, sniff

        if len(data) > self.settings.max_upload_bytes:
            raise InvalidInputError(
                f"{name}: larger than the {self.settings.max_upload_bytes // (1024 * 1024)} MiB "
                "upload limit; rescan at a lower resolution or split it."
            )
        sniff(data, name)  # the taxonomy's message for an empty or unsupported file
        content_type = sniff_content_type(data[:2048])
        assert content_type is not None
        pages = load_pages(data, name, self.settings)
        try:
            next(pages, None)
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()
        return content_type

    def _dossier(self, session: Any) -> tuple[str, str]:
        """(dossier id, actor) for the next file; raises _Refused when there is none."""
        from storage.repository import get_dossier, latest_dossier_by

        if self.target.dossier_id is not None:
            dossier = get_dossier(session, dossier_id=self.target.dossier_id)
        else:
            assert self.target.clerk is not None
            found = latest_dossier_by(session, created_by=self.target.clerk, since=_today())
            if found is None:
                raise _Refused(
                    f"{self.target.clerk} has opened no dossier today: open one at the counter, "
                    "then the scans waiting in the folder go into it."
                )
            dossier = found
        return dossier.id, self.target.clerk or dossier.created_by

    def take(self, path: Path) -> dict[str, Any]:
        """Import, skip (already imported) or reject one settled file; one line of report."""
        from ocr_service.reception import mark_unqueued, record_component, store_scan
        from storage.db import session_scope

        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        report: dict[str, Any] = {"file": path.name, "sha256": sha}
        done = self.journal.get(sha)
        if done and done.get("component_id"):  # imported before: the file only moves
            moved = self.move(path, self.folder / IMPORTED, sha)
            return {**report, "status": "already_imported", **_ids(done), "moved_to": str(moved)}
        try:
            content_type = self._check(data, path.name)
        except InvalidInputError as error:
            moved = reject(path, self.folder / REJECTED, sha, error.message)
            return {**report, "status": "rejected", "reason": error.message, "moved_to": str(moved)}
        url = self.settings.effective_database_url
        with session_scope(url) as session:
            if done:  # recorded or not before a crash: to the same dossier, the same component
                dossier_id, actor = done["dossier_id"], done.get("actor") or VIA
            else:
                dossier_id, actor = self._dossier(session)
                self.journal.append(sha256=sha, dossier_id=dossier_id, actor=actor)
        key = self._store(data, sha, store_scan)
        with session_scope(url) as session:
            component, enqueue = record_component(
                session,
                dossier_id=dossier_id,
                key=key,
                sha256=sha,
                filename=path.name,
                content_type=content_type,
                size=len(data),
                by=actor,
                role="clerk",
                via=VIA,
            )
            component_id = component.id
            # a crash before the job was queued leaves it "queued" with no job: queue it now
            # (a job run twice leaves the same result)
            resumed = bool(done) and not enqueue and component.status == "queued"
        if enqueue or resumed:
            try:
                self.queue.enqueue_component(component_id)
            except SohoaError as error:
                with session_scope(url) as session:
                    mark_unqueued(session, component_id=component_id, error=error)
        self.journal.append(
            sha256=sha, dossier_id=dossier_id, actor=actor, component_id=component_id
        )
        moved = self.move(path, self.folder / IMPORTED, sha)
        return {
            **report,
            "status": "imported" if enqueue or resumed else "already_imported",
            **({"resumed": True} if done else {}),
            "dossier_id": dossier_id,
            "component_id": component_id,
            "moved_to": str(moved),
        }

    def _store(self, data: bytes, sha: str, store_scan: Callable[..., str]) -> str:
        from storage.tempfiles import upload_tmp_dir

        # the bytes hashed are the bytes stored, whatever happens to the file meanwhile
        tmp_dir = upload_tmp_dir(self.settings)
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"watch-{sha}-{os.getpid()}.part"
        try:
            tmp.write_bytes(data)
            key: str = store_scan(self.store, path=tmp, sha256=sha)
        finally:
            tmp.unlink(missing_ok=True)
        return key


def _today() -> datetime:
    """Midnight of today at the counter (Vietnam): a clerk's dossier from yesterday is
    finished, never fed by the scanner."""
    from ocr_service.copies.codes import VIETNAM_TZ, receipt_day

    midnight = datetime.combine(receipt_day(datetime.now(UTC)), dtime(0), tzinfo=VIETNAM_TZ)
    return midnight.astimezone(UTC)  # stored times are UTC (SQLite keeps them without a zone)


def _ids(entry: dict[str, str]) -> dict[str, str]:
    return {k: entry[k] for k in ("dossier_id", "component_id") if k in entry}


# --- the command ----------------------------------------------------------------------------


def _prepare(folder: Path, dossier: str | None, clerk: str | None, settings: Settings) -> Target:
    """Check what the command line names before anything is taken; _Refused otherwise."""
    from sqlalchemy import select

    from storage.accounts import find_account
    from storage.db import session_scope
    from storage.models import StaffAccount
    from storage.repository import find_dossier, find_dossier_by_code, init_db, latest_dossier_by

    if not folder.is_dir():
        raise _Refused(f"{folder}: no such folder; give the folder the scanner saves into.")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise _Refused(f"{folder}: sohoa may not read and move files there; check its rights.")
    if dossier is None and clerk is None:
        raise _Refused("say where the scans go: --dossier ID (or code), or --clerk USER.")
    url = settings.effective_database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    init_db(url)
    with session_scope(url) as session:
        dossier_id = None
        if dossier is not None:
            found = find_dossier(session, dossier_id=dossier) or find_dossier_by_code(
                session, code=dossier
            )
            if found is None:
                raise _Refused(f"no dossier {dossier!r}: check the id or code, or open it first.")
            dossier_id = found.id
        if clerk is not None:
            account = find_account(session, username=clerk)
            any_account = session.scalar(select(StaffAccount.id).limit(1)) is not None
            if account is not None and (account.disabled or account.role != "clerk"):
                raise _Refused(f"{clerk} is not an active clerk's account.")
            if account is None and any_account:
                raise _Refused(f"no staff account {clerk!r}: add it with `sohoa user add`.")
            if (
                dossier_id is None
                and latest_dossier_by(session, created_by=clerk, since=_today()) is None
            ):
                click.echo(
                    f"note: {clerk} has opened no dossier today; scans wait for one.", err=True
                )
    return Target(dossier_id=dossier_id, clerk=clerk)


@contextlib.contextmanager
def _jobs(settings: Settings, pipeline: str | None, once: bool) -> Iterator[tuple[Any, Any]]:
    """The object store and the job queue: RQ with SOHOA_REDIS_URL, else jobs run here (a
    one-shot run waits for them before it exits)."""
    from storage.objects import open_object_store
    from workers.jobs import configure
    from workers.queue import InProcessJobQueue, open_job_queue

    store = open_object_store(settings)
    ctx = configure(settings, store=store, extractor=pipeline)
    queue = open_job_queue(settings, ctx)
    try:
        yield store, queue
    finally:
        if once and isinstance(queue, InProcessJobQueue):
            queue.drain()
        else:
            queue.close()


@click.command(name="watch")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--dossier", default=None, help="The dossier (id or national code) to feed.")
@click.option(
    "--clerk",
    default=None,
    help="Feed the newest dossier this clerk opened (and record the scans as theirs).",
)
@click.option("--once", is_flag=True, help="Take what has settled now, then exit.")
@click.option(
    "--settle",
    type=click.FloatRange(min=0, max=3600),
    default=2.0,
    show_default=True,
    help="Seconds a file's size must stay the same before it is taken.",
)
@click.option("--interval", type=click.FloatRange(min=0.05, max=60), default=1.0, hidden=True)
@click.option("--pipeline", default=None, hidden=True, help="module:function (tests, drills).")
def command(
    folder: Path,
    dossier: str | None,
    clerk: str | None,
    once: bool,
    settle: float,
    interval: float,
    pipeline: str | None,
) -> None:
    """Take the scans a counter scanner drops into FOLDER into a dossier.

    Each file settled for --settle seconds is stored, recorded as a component of the dossier
    (--dossier, or the newest one --clerk opened today) and queued, then moved to FOLDER/imported/;
    unsupported or undecodable files go to FOLDER/rejected/ with NAME.reason.txt. Prints one
    JSON line per file. Exit codes: 0 done (or stopped); 2 a folder, dossier or clerk that
    cannot be used; 1 anything else."""
    from core.redact import install_log_redaction

    install_log_redaction()  # logs name components, never the scanner's file names
    _stop_on_sigterm()
    settings = get_settings()
    try:
        target = _prepare(folder, dossier, clerk, settings)
        with _jobs(settings, pipeline, once) as (store, queue):
            feeder = Feeder(folder, settings, target, store, queue, Journal(folder / JOURNAL))
            failed = _run(feeder, Settling(settle), once=once, interval=interval)
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        return
    if failed:
        sys.exit(failed)


def _run(feeder: Feeder, settling: Settling, *, once: bool, interval: float) -> int:
    """Poll until stopped (or one pass with ``once``); the exit code of the last failure."""
    failed = 0
    said: dict[Path, str] = {}  # a file left waiting is reported once per reason, not per poll
    settling.ready(feeder.folder, time.monotonic())  # first sight of what is there
    while True:
        if not once:
            time.sleep(interval)
        elif settling.settle > 0:
            time.sleep(settling.settle)
        for path in settling.ready(feeder.folder, time.monotonic()):
            try:
                report = feeder.take(path)
            except FileNotFoundError:
                continue  # moved away meanwhile (by the scanner's software, or by hand)
            except SohoaError as exc:  # no dossier yet, the store or database down: it waits
                failed = exc.exit_code
                if said.get(path) != exc.message:
                    click.echo(f"error: {path.name}: {exc.message}", err=True)
                    said[path] = exc.message
                continue
            said.pop(path, None)
            click.echo(json.dumps(report, ensure_ascii=False))
            sys.stdout.flush()  # a line per file as it happens, also into a pipe or a log
        if once:
            left = len(_candidates(feeder.folder))
            if left:
                click.echo(f"note: {left} file(s) left in the folder for the next run.", err=True)
            return failed


def _stop_on_sigterm() -> None:
    """``kill`` (a service manager stopping it) ends the watch as Ctrl-C does: cleanly."""

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
