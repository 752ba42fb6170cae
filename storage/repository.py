"""Reads and writes of the citizen data store; keyword-only functions over a Session.

Routes and jobs call these instead of building queries themselves, so each rule (who owns a
document, what a correction keeps, that the audit log only grows) lives in one place.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from core.errors import (
    ConflictError,
    DatabaseUnavailableError,
    InvalidInputError,
    NotFoundError,
)
from core.ids import is_id_number
from storage import search as _search  # noqa: F401  (keeps search_entries in step: a session hook)
from storage.migrations import upgrade
from storage.models import (
    RELATIONS,
    AuditEvent,
    Citizen,
    Component,
    DocumentSubject,
    Dossier,
    PageOcr,
    RegisteredDocument,
    ReuseEvent,
    RevokedToken,
    SessionRevocation,
    utcnow,
)

# The review status a document must have before any citizen sees it: a clerk approved it.
# ("verified" only says the register agreed with what the OCR read; no person has looked.)
SHOWN_TO_CITIZENS = "approved"

__all__ = [
    "ACCESS_LOG_READ",
    "DOSSIER_STATUSES",
    "SHOWN_TO_CITIZENS",
    "add_component",
    "append_audit",
    "approve_document",
    "audit_document_read",
    "audit_dossier_reads",
    "audit_read",
    "citizen_may_see",
    "citizens_concerned",
    "confirm_document_subject",
    "correct_fields",
    "create_dossier",
    "digitization_code_exists",
    "dossier_status",
    "effective_fields",
    "find_component",
    "find_component_by_sha256",
    "find_dossier",
    "find_dossier_by_code",
    "get_component",
    "get_document",
    "get_dossier",
    "get_or_create_citizen",
    "find_document_by_code",
    "find_documents",
    "find_dossiers",
    "init_db",
    "latest_dossier_by",
    "list_audit",
    "list_citizen_access_log",
    "list_citizen_documents",
    "list_component_documents",
    "list_dossier_reuses",
    "list_dossiers",
    "list_pages",
    "list_reuses",
    "list_unfinished_components",
    "list_worklist",
    "lock_document",
    "lock_dossier",
    "record_reuse",
    "record_signature",
    "record_signed_copy",
    "requeue_component",
    "revoke_sessions",
    "revoke_token",
    "set_document_subjects",
    "subject_id_numbers",
    "token_revoked",
]


def init_db(url: str, *, retry_delays: Sequence[float] = (1.0, 2.0, 4.0)) -> None:
    """Create or upgrade every table (Alembic ``upgrade head``); safe to call at every start.

    A database still starting (compose brings everything up at once) is retried after each
    of ``retry_delays`` seconds; then the failure is reported clearly.
    """
    for attempt in range(len(retry_delays) + 1):
        try:
            upgrade(url)
            return
        except OperationalError as exc:
            if attempt < len(retry_delays):
                logging.getLogger(__name__).warning(
                    "database not reachable (attempt %d), retrying in %.0f s: %s",
                    attempt + 1,
                    retry_delays[attempt],
                    type(exc.orig).__name__,
                )
                time.sleep(retry_delays[attempt])
                continue
            raise DatabaseUnavailableError(
                f"Cannot reach the database to prepare its tables after {attempt + 1} attempts "
                f"({exc.orig}); check SOHOA_DATABASE_URL and that the database is running."
            ) from exc


# --- citizens and dossiers ------------------------------------------------------------------


def get_or_create_citizen(session: Session, *, id_number: str) -> Citizen:
    if not is_id_number(id_number):  # the last gate: no citizen under '٠٠١…' or '００１…'
        raise InvalidInputError("A citizen's id number is 12 digits 0-9.")
    citizen = session.scalar(select(Citizen).where(Citizen.id_number == id_number))
    if citizen is None:
        # a nested transaction so a concurrent creator does not abort the caller's work
        try:
            with session.begin_nested():
                citizen = Citizen(id_number=id_number)
                session.add(citizen)
        except Exception:
            citizen = session.scalar(select(Citizen).where(Citizen.id_number == id_number))
            if citizen is None:
                raise
    return citizen


def create_dossier(
    session: Session,
    *,
    procedure_code: str,
    citizen_id_number: str,
    created_by: str,
    code: str | None = None,
) -> Dossier:
    citizen = get_or_create_citizen(session, id_number=citizen_id_number)
    dossier = Dossier(
        procedure_code=procedure_code, citizen=citizen, created_by=created_by, code=code
    )
    session.add(dossier)
    session.flush()
    return dossier


def find_dossier(session: Session, *, dossier_id: str) -> Dossier | None:
    return session.get(Dossier, dossier_id)


def find_dossier_by_code(session: Session, *, code: str) -> Dossier | None:
    """The dossier with this national code (mã số hồ sơ); dossiers older than codes have none."""
    return session.scalar(select(Dossier).where(Dossier.code == code))


def get_dossier(session: Session, *, dossier_id: str) -> Dossier:
    """The dossier with this id or, failing that, this national code: both keep resolving."""
    dossier = find_dossier(session, dossier_id=dossier_id) or find_dossier_by_code(
        session, code=dossier_id
    )
    if dossier is None:
        raise NotFoundError("No dossier with that id; check the id or open a new dossier.")
    return dossier


def latest_dossier_by(
    session: Session, *, created_by: str, since: datetime | None = None
) -> Dossier | None:
    """The newest dossier this clerk opened (``since`` then, if given): the one their
    counter's scanner feeds."""
    query = select(Dossier).where(Dossier.created_by == created_by)
    if since is not None:
        query = query.where(Dossier.created_at >= since)
    return session.scalar(query.order_by(Dossier.created_at.desc(), Dossier.id.desc()).limit(1))


def lock_dossier(session: Session, *, dossier_id: str) -> None:
    """Hold the dossier row (``SELECT ... FOR UPDATE``) until the transaction ends.

    Serialises check-then-insert on a dossier's components across processes on PostgreSQL;
    SQLite ignores it (its writers are serialised anyway).
    """
    session.execute(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update())


# A dossier is as far along as its least-finished component: the first of these present wins,
# then "done"; without components it is "empty". Python and SQL below both read this order.
_UNFINISHED_FIRST = ("processing", "queued", "failed")
DOSSIER_STATUSES = ("empty", *_UNFINISHED_FIRST, "done")


def dossier_status(dossier: Dossier) -> str:
    """A dossier is as far along as its least-finished component."""
    statuses = {c.status for c in dossier.components}
    if not statuses:
        return "empty"
    for status in _UNFINISHED_FIRST:
        if status in statuses:
            return status
    return "done"


def _has_status(status: str) -> ColumnElement[bool]:
    """``dossier_status(d) == status`` as a SQL condition on the dossier row."""

    def has(*where: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(Component.dossier_id == Dossier.id, *where)

    if status == "empty":
        return ~has()
    if status == "done":
        return and_(has(), ~has(Component.status.in_(_UNFINISHED_FIRST)))
    if status not in _UNFINISHED_FIRST:
        raise InvalidInputError(
            f"Unknown dossier status {status!r}; use one of {DOSSIER_STATUSES}."
        )
    before = _UNFINISHED_FIRST[: _UNFINISHED_FIRST.index(status)]
    return and_(has(Component.status == status), *(~has(Component.status == s) for s in before))


def list_dossiers(
    session: Session, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[Dossier]:
    """The newest dossiers first, optionally only those whose ``dossier_status`` is ``status``.

    The status is filtered in the database, so ``limit`` counts matching dossiers and
    ``offset`` pages through them (ties in ``created_at`` are ordered by id, so pages are
    stable).
    """
    query = select(Dossier).order_by(Dossier.created_at.desc(), Dossier.id.desc())
    if status is not None:
        query = query.where(_has_status(status))
    return list(session.scalars(query.offset(max(offset, 0)).limit(max(limit, 1))).all())


def list_worklist(
    session: Session,
    *,
    since: datetime,
    created_by: str | None = None,
    needs_review: bool = False,
    failed: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[Dossier]:
    """Today's work, newest first: dossiers opened since ``since`` or still unfinished (a
    component not done, a document not approved, or approved with its signing pending). ``created_by``: opened by that clerk;
    ``needs_review``: a document needs review, or names someone not yet confirmed;
    ``failed``: a component failed. Filtered in the database, so ``limit`` and ``offset``
    page through matching dossiers."""

    def component(*where: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(Component.dossier_id == Dossier.id, *where)

    def document(*where: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(RegisteredDocument.dossier_id == Dossier.id, *where)

    open_document = RegisteredDocument.review_status != "approved"
    # approved, but its copy still to be signed (the token was away): work left too
    pending = RegisteredDocument.signature["status"].as_string() == "pending"
    query = select(Dossier).where(
        or_(
            Dossier.created_at >= since,
            component(Component.status != "done"),
            document(open_document),
            document(pending),
        )
    )
    if created_by is not None:
        query = query.where(Dossier.created_by == created_by)
    if failed:
        query = query.where(component(Component.status == "failed"))
    if needs_review:
        unconfirmed = exists().where(
            DocumentSubject.document_id == RegisteredDocument.id,
            DocumentSubject.confirmed.is_(False),
        )
        query = query.where(
            or_(
                document(RegisteredDocument.review_status == "needs_review"),
                document(open_document, unconfirmed),
            )
        )
    query = query.order_by(Dossier.created_at.desc(), Dossier.id.desc())
    return list(session.scalars(query.offset(max(offset, 0)).limit(max(limit, 1))).all())


# --- components -----------------------------------------------------------------------------


def add_component(
    session: Session,
    *,
    dossier: Dossier,
    object_key: str,
    sha256: str,
    original_filename: str,
    content_type: str,
    size_bytes: int,
    created_by: str,
) -> Component:
    component = Component(
        dossier=dossier,
        status="queued",
        object_key=object_key,
        sha256=sha256,
        original_filename=original_filename,
        content_type=content_type,
        size_bytes=size_bytes,
        created_by=created_by,
    )
    session.add(component)
    session.flush()
    return component


def requeue_component(component: Component) -> None:
    """Back to ``queued`` with the last failure cleared (clerk retry, re-upload of a failed scan)."""
    component.status = "queued"
    component.error_code = component.error_message = None
    component.error_retryable = None
    component.finished_at = None


def find_component(session: Session, *, component_id: str) -> Component | None:
    return session.get(Component, component_id)


def get_component(session: Session, *, component_id: str) -> Component:
    component = find_component(session, component_id=component_id)
    if component is None:
        raise NotFoundError("No component with that id.")
    return component


def find_component_by_sha256(session: Session, *, dossier_id: str, sha256: str) -> Component | None:
    """The dossier's first component with this content, read afresh from the database.

    A fresh query, not ``dossier.components``: the relationship may have been loaded before a
    concurrent upload of the same scan committed.
    """
    return session.scalar(
        select(Component)
        .where(Component.dossier_id == dossier_id, Component.sha256 == sha256)
        .order_by(Component.created_at)
        .limit(1)
    )


def list_unfinished_components(
    session: Session, *, queued_before: datetime | None = None
) -> list[tuple[str, str, int]]:
    """``(id, status, attempts)`` of every component ``processing`` or ``queued``.

    With ``queued_before``, only the ``queued`` ones last updated before it (younger ones
    may still have their job on its way to the queue).
    """
    queued = Component.status == "queued"
    if queued_before is not None:
        queued = queued & (Component.updated_at < queued_before)
    rows = session.execute(
        select(Component.id, Component.status, Component.attempts).where(
            (Component.status == "processing") | queued
        )
    )
    return [(cid, status, attempts) for cid, status, attempts in rows]


def list_pages(session: Session, *, component_id: str) -> Sequence[PageOcr]:
    return session.scalars(
        select(PageOcr).where(PageOcr.component_id == component_id).order_by(PageOcr.page)
    ).all()


# --- registered documents -------------------------------------------------------------------


def list_component_documents(
    session: Session, *, component_id: str
) -> Sequence[RegisteredDocument]:
    """The documents already registered from a component (a fresh query, in any order)."""
    return session.scalars(
        select(RegisteredDocument).where(RegisteredDocument.component_id == component_id)
    ).all()


def digitization_code_exists(session: Session, *, code: str) -> bool:
    return (
        session.scalar(
            select(RegisteredDocument.id).where(RegisteredDocument.digitization_code == code)
        )
        is not None
    )


def find_document_by_code(session: Session, *, code: str) -> RegisteredDocument | None:
    """The document with this digitization result code (mã kết quả số hóa)."""
    return session.scalar(
        select(RegisteredDocument).where(RegisteredDocument.digitization_code == code)
    )


def get_document(session: Session, *, document_id: str) -> RegisteredDocument:
    document = session.get(RegisteredDocument, document_id)
    if document is None:
        raise NotFoundError("No registered document with that id.")
    return document


def list_citizen_documents(
    session: Session,
    *,
    citizen_id_number: str,
    doc_type: str | None = None,
    limit: int = 200,
    shown_to_citizen: bool = False,
) -> Sequence[RegisteredDocument]:
    """The citizen's documents, newest first (for reuse: the latest copy is usually wanted).

    Staff get every document the citizen is a subject of, confirmed or not (the answer marks
    which). ``shown_to_citizen``: only what the citizen may see themselves (``citizen_may_see``):
    approved documents of which they are a confirmed subject.
    """
    query = (
        select(RegisteredDocument)
        .join(DocumentSubject, DocumentSubject.document_id == RegisteredDocument.id)
        .join(Citizen, DocumentSubject.citizen_id == Citizen.id)
        .where(Citizen.id_number == citizen_id_number)
        .order_by(RegisteredDocument.created_at.desc(), RegisteredDocument.id)
        .limit(limit)
    )
    if shown_to_citizen:
        query = query.where(
            DocumentSubject.confirmed.is_(True),
            RegisteredDocument.review_status == SHOWN_TO_CITIZENS,
        )
    if doc_type:
        query = query.where(RegisteredDocument.doc_type == doc_type)
    return session.scalars(query).all()


def citizen_may_see(document: RegisteredDocument, *, id_number: str) -> bool:
    """A citizen sees a document only once a clerk approved it and they are a confirmed
    subject: the dossier's citizen (confirmed by intake) or a person a clerk confirmed.

    So a paper that names someone else (a misread digit, a planted page) never reaches that
    person's store on the OCR's word, and no one sees a document still under review.
    """
    return document.review_status == SHOWN_TO_CITIZENS and any(
        link.confirmed and link.citizen.id_number == id_number for link in document.subjects
    )


def find_documents(session: Session, *, ids: Iterable[str]) -> dict[str, RegisteredDocument]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.scalars(select(RegisteredDocument).where(RegisteredDocument.id.in_(wanted)))
    return {d.id: d for d in rows}


def find_dossiers(session: Session, *, ids: Iterable[str]) -> dict[str, Dossier]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_(wanted)))}


def subject_id_numbers(document: RegisteredDocument) -> list[str]:
    """The id numbers of everyone whose store holds the document (primary subject first)."""
    primary = document.citizen.id_number
    others = sorted(
        s.citizen.id_number for s in document.subjects if s.citizen.id_number != primary
    )
    return [primary, *others]


def citizens_concerned(first: str, documents: Iterable[RegisteredDocument]) -> list[str]:
    """``first``, then everyone else whose store holds one of ``documents``: audit rows for a
    read that shows them (a dossier read shows the other spouse's marriage certificate too)."""
    ids = dict.fromkeys([first])
    for document in documents:
        for id_number in subject_id_numbers(document):
            ids.setdefault(id_number)
    return list(ids)


def audit_read(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    first_citizen: str,
    documents: Iterable[RegisteredDocument],
    request_id: str | None,
    detail: dict[str, Any],
) -> None:
    """One audit row for every citizen whose data a read shows (see ``citizens_concerned``)."""
    for id_number in citizens_concerned(first_citizen, documents):
        append_audit(
            session,
            actor=actor,
            role=role,
            action=action,
            citizen_id_number=id_number,
            request_id=request_id,
            detail=detail,
        )


def audit_document_read(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    document: RegisteredDocument,
    request_id: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One row per citizen concerned by a read of ``document``: the citizen who read it, or
    (staff) every subject, so each spouse's trail shows every staff read of their marriage
    certificate. ``detail["dossier_id"]`` is the dossier served, when there is one."""
    citizens = [actor] if role == "citizen" else subject_id_numbers(document)
    for id_number in citizens:
        append_audit(
            session,
            actor=actor,
            role=role,
            action=action,
            document_id=document.id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail={"digitization_code": document.digitization_code, **(detail or {})},
        )


def audit_dossier_reads(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    dossiers: Iterable[Dossier],
    request_id: str | None,
    filters: dict[str, Any],
) -> None:
    """A list of dossiers shows each one's citizen, file names and documents: each is a read,
    audited (``audit_read``) with the dossier, its documents and the list's filters."""
    for dossier in dossiers:
        docs = [d for c in dossier.components for d in c.documents]
        audit_read(
            session,
            actor=actor,
            role=role,
            action=action,
            first_citizen=dossier.citizen.id_number,
            documents=docs,
            request_id=request_id,
            detail={
                "dossier_id": dossier.id,
                "documents": [d.id for d in docs],
                "filters": filters,
            },
        )


def set_document_subjects(
    session: Session, *, document: RegisteredDocument, subjects: Mapping[str, str]
) -> None:
    """Make the document sit in exactly these citizens' stores (id number → role).

    The primary citizen (``document.citizen``) is always kept among them. Ownership is not
    taken from the paper: the dossier's citizen is confirmed by intake (relation ``self``, by
    the clerk who opened the dossier, at that time); anyone else the paper names is linked
    unconfirmed, for staff only, until a clerk confirms them (``confirm_document_subject``).
    A link that stays keeps its confirmation.
    """
    wanted: dict[int, str] = {}
    for id_number, role in subjects.items():
        wanted[get_or_create_citizen(session, id_number=id_number).id] = role
    wanted.setdefault(document.citizen.id, "dossier")
    dossier = get_dossier(session, dossier_id=document.dossier_id)
    current = {link.citizen_id: link for link in document.subjects}
    for citizen_id, link in current.items():
        if citizen_id not in wanted:
            document.subjects.remove(link)
        else:
            link.role = wanted[citizen_id]
    for citizen_id, role in wanted.items():
        if citizen_id not in current:
            link = DocumentSubject(citizen_id=citizen_id, role=role, confirmed=False)
            document.subjects.append(link)
            current[citizen_id] = link
    intake = current.get(dossier.citizen_id)
    if intake is not None and not intake.confirmed:
        intake.confirmed, intake.relation = True, "self"
        intake.confirmed_by, intake.confirmed_at = dossier.created_by, dossier.created_at
    session.flush()


def confirm_document_subject(
    session: Session,
    *,
    document: RegisteredDocument,
    id_number: str,
    relation: str,
    by: str,
) -> DocumentSubject:
    """A clerk confirms how a person the document names relates to the dossier's citizen.

    Only then is the document theirs too (and shown to them once approved). Refused for
    someone the document does not name (404) and for a link already confirmed (409).
    """
    if relation not in RELATIONS or relation == "self":
        raise InvalidInputError(
            f"Unknown relation {relation!r}; use one of {', '.join(RELATIONS[1:])}."
        )
    for link in document.subjects:
        if link.citizen.id_number == id_number:
            if link.confirmed:
                raise ConflictError(
                    "This person is already a confirmed subject of the document "
                    f"({link.relation}, by {link.confirmed_by})."
                )
            link.confirmed, link.relation = True, relation
            link.confirmed_by, link.confirmed_at = by, utcnow()
            session.flush()
            return link
    raise NotFoundError(
        "The document does not name this id number; correct the document's fields first."
    )


def effective_fields(document: RegisteredDocument) -> dict[str, Any]:
    """What the pipeline read, with the clerk's corrections applied."""
    fields = dict(document.fields or {})
    for name, correction in (document.corrected_fields or {}).items():
        value = correction.get("value")
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def correct_fields(
    session: Session, *, document: RegisteredDocument, fields: dict[str, str | None], by: str
) -> RegisteredDocument:
    """Keep each correction with who and when; the document goes back to review."""
    now = utcnow()
    corrections = dict(document.corrected_fields or {})
    for name, value in fields.items():
        previous = corrections.get(name)
        original = previous["original"] if previous else (document.fields or {}).get(name)
        corrections[name] = {"value": value, "original": original, "by": by, "at": now.isoformat()}
    document.corrected_fields = corrections  # reassign so the JSON column is marked dirty
    document.review_status = "needs_review"
    document.approved_by = None
    document.approved_at = None
    document.updated_at = now
    session.flush()
    return document


def lock_document(session: Session, *, document_id: str) -> None:
    """Hold the document row (``SELECT ... FOR UPDATE``) until the transaction ends, so two
    approvals (or signings) of one document run one after the other (PostgreSQL)."""
    session.execute(
        select(RegisteredDocument.id).where(RegisteredDocument.id == document_id).with_for_update()
    )


def record_signed_copy(
    session: Session,
    *,
    document: RegisteredDocument,
    key: str,
    signed_at: datetime,
    signed_by: str,
    signature: dict[str, Any],
) -> RegisteredDocument:
    """The signed copy's object key and who signed it when; the unsigned PDF stays as it is."""
    document.signed_pdf_key = key
    document.signed_at = signed_at
    document.signed_by = signed_by
    document.signature = dict(signature)
    session.flush()
    return document


def record_signature(
    session: Session, *, document: RegisteredDocument, signature: dict[str, Any]
) -> RegisteredDocument:
    """What signing (or the last check of the signed copy) said about the document."""
    document.signature = dict(signature)  # a new dict: the JSON column is marked dirty
    session.flush()
    return document


def approve_document(
    session: Session, *, document: RegisteredDocument, by: str
) -> RegisteredDocument:
    if document.review_status == "approved":
        raise ConflictError("The document is already approved.")
    document.review_status = "approved"
    document.approved_by = by
    document.approved_at = utcnow()
    session.flush()
    return document


# --- reuse and audit ------------------------------------------------------------------------


def record_reuse(
    session: Session, *, document: RegisteredDocument, dossier: Dossier, actor: str, role: str
) -> ReuseEvent:
    event = ReuseEvent(document_id=document.id, dossier_id=dossier.id, actor=actor, role=role)
    session.add(event)
    session.flush()
    return event


def list_dossier_reuses(
    session: Session, *, dossier_id: str
) -> Sequence[tuple[ReuseEvent, RegisteredDocument]]:
    """The documents reused into a dossier from the citizen's store, oldest first."""
    rows = session.execute(
        select(ReuseEvent, RegisteredDocument)
        .join(RegisteredDocument, RegisteredDocument.id == ReuseEvent.document_id)
        .where(ReuseEvent.dossier_id == dossier_id)
        .order_by(ReuseEvent.created_at, ReuseEvent.id)
    ).all()
    return [(event, document) for event, document in rows]


def list_reuses(session: Session, *, document_id: str) -> Sequence[ReuseEvent]:
    return session.scalars(
        select(ReuseEvent)
        .where(ReuseEvent.document_id == document_id)
        .order_by(ReuseEvent.created_at.desc(), ReuseEvent.id.desc())
    ).all()


def append_audit(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    document_id: str | None = None,
    citizen_id_number: str | None = None,
    request_id: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """The only write path of the audit log: it appends."""
    event = AuditEvent(
        actor=actor,
        role=role,
        action=action,
        document_id=document_id,
        citizen_id_number=citizen_id_number,
        request_id=request_id,
        detail=detail or {},
        at=at or utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def list_audit(
    session: Session, *, citizen_id_number: str | None = None, limit: int = 200
) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if citizen_id_number:
        query = query.where(AuditEvent.citizen_id_number == citizen_id_number)
    return session.scalars(query).all()


# --- sessions (bearer tokens): sign-out and revocation --------------------------------------


def revoke_token(session: Session, *, jti: str, subject: str, expires_at: int, now: int) -> None:
    """Sign-out: this token is refused from now on. Rows of tokens expired anyway are pruned."""
    # a signed-out token past its exp is refused for expiry anyway: its row serves nothing
    session.execute(sa_delete(RevokedToken).where(RevokedToken.expires_at < now))
    if session.get(RevokedToken, jti) is None:
        try:
            with session.begin_nested():  # a double click signs out twice at once
                session.add(RevokedToken(jti=jti, subject=subject, expires_at=expires_at))
        except IntegrityError:
            pass


def revoke_sessions(
    session: Session, *, subject: str, not_before: int, by: str
) -> SessionRevocation:
    """Every token of ``subject`` issued before ``not_before`` (epoch s) is refused."""
    row = session.get(SessionRevocation, subject)
    if row is None:
        row = SessionRevocation(subject=subject, not_before=not_before, revoked_by=by)
        session.add(row)
    else:
        row.not_before = max(row.not_before, not_before)
        row.revoked_by, row.revoked_at = by, utcnow()
    session.flush()
    return row


def token_revoked(session: Session, *, jti: str, subject: str, issued_at: int) -> bool:
    """Whether a token was signed out, or issued before its subject's sessions were revoked."""
    if session.get(RevokedToken, jti) is not None:
        return True
    floor = session.get(SessionRevocation, subject)
    return floor is not None and issued_at < floor.not_before


# The citizen reading their own access log is not news to them: left out of what they see.
ACCESS_LOG_READ = "access_log.read"


def list_citizen_access_log(
    session: Session, *, citizen_id_number: str, limit: int = 50, offset: int = 0
) -> Sequence[AuditEvent]:
    """What the citizen is told about the processing of their data, newest first.

    The audit rows naming them, except those about a paper that is not (yet) theirs: a row
    about a document counts only if they are a confirmed subject of it, a row about a dossier
    (read, list, component, page; ``detail.dossier_id`` or, in rows written before it was
    recorded, ``detail.component_id``) only if it is their dossier or holds a document they
    are a confirmed subject of. So the stranger an OCR misread named learns nothing.
    """
    citizen_id = session.scalar(select(Citizen.id).where(Citizen.id_number == citizen_id_number))
    if citizen_id is None:
        return []
    component_dossier = (
        select(Component.dossier_id)
        .where(Component.id == AuditEvent.detail["component_id"].as_string())
        .correlate(AuditEvent)  # also inside the EXISTS below, where it is not automatic
        .scalar_subquery()
    )
    dossier_id = func.coalesce(AuditEvent.detail["dossier_id"].as_string(), component_dossier)
    confirmed = and_(DocumentSubject.citizen_id == citizen_id, DocumentSubject.confirmed.is_(True))
    theirs_document = exists().where(
        DocumentSubject.document_id == AuditEvent.document_id, confirmed
    )
    theirs_dossier = or_(
        exists().where(Dossier.id == dossier_id, Dossier.citizen_id == citizen_id),
        exists().where(
            RegisteredDocument.dossier_id == dossier_id,
            DocumentSubject.document_id == RegisteredDocument.id,
            confirmed,
        ),
    )
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.citizen_id_number == citizen_id_number,
            AuditEvent.action != ACCESS_LOG_READ,
            or_(
                and_(AuditEvent.document_id.is_not(None), theirs_document),
                and_(AuditEvent.document_id.is_(None), dossier_id.is_(None)),
                and_(AuditEvent.document_id.is_(None), theirs_dossier),
            ),
        )
        .order_by(AuditEvent.id.desc())
        .offset(max(offset, 0))
        .limit(max(limit, 1))
    )
    return session.scalars(query).all()
