"""Search (tra cứu): dossiers by code, citizen name or id; documents by their full text.

Accent-insensitive on SQLite and PostgreSQL alike: every searchable record has one row in
``search_entries`` holding its text and the same text *folded* in Python (lower-case,
diacritics removed, đ→d, every character that is not a letter or digit a space; the same
length as the text, so a hit's position in the folded text is its position in the text and
the snippet keeps its diacritics). PostgreSQL's ``unaccent`` extension may not be installable
where sohoa runs, hence the folding here. The database indexes the folded column: SQLite with
an FTS5 table kept in step by triggers, PostgreSQL with a GIN index on
``to_tsvector('simple', folded)`` (migration 0009). A query is folded the same way and every
word must start a word of the entry (``tran van`` finds "Trần Văn An"); what was typed
without a space between (a code, a date) must be found as typed, word after word.

The rows are kept up to date by session hooks: whatever writes a dossier, a registered
document or a page's OCR through the ORM (intake, the worker's registration, a clerk's
correction) is noted at each flush and re-indexed once, at commit, in the same transaction, so
no write path has to remember to (and a search in the writing transaction itself does not see
it yet). ``rebuild`` indexes everything again (the migration's backfill, and after
the population register's names changed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    delete,
    event,
    exists,
    func,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Mapped, Session, SessionTransaction, UOWTransaction, mapped_column

from core.errors import InvalidInputError
from core.normalize import fold_keep_case
from storage.db import Base
from storage.models import (
    Citizen,
    DocumentSubject,
    Dossier,
    PageOcr,
    RegisteredDocument,
    utcnow,
)
from storage.population import PopulationRow

__all__ = [
    "DOCUMENT",
    "DOSSIER",
    "MAX_QUERY_WORDS",
    "SearchEntry",
    "SearchPage",
    "fold_for_search",
    "query_groups",
    "query_words",
    "rebuild",
    "reindex",
    "search_documents",
    "search_dossiers",
    "snippet",
]

DOCUMENT = "document"
DOSSIER = "dossier"
MAX_QUERY_WORDS = 12
_MAX_WORD = 64
# The review status a citizen's search shows (as ``repository.SHOWN_TO_CITIZENS``).
_SHOWN_TO_CITIZENS = "approved"
FTS_TABLE = "search_entries_fts"  # SQLite only (migration 0009)
_SECTION = "\n\n"  # between a document's text, its fields and its codes (snippets stay in one)


class SearchEntry(Base):
    """Table ``search_entries``: the searchable text of one dossier or one document."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- folding --------------------------------------------------------------------------------


def fold_for_search(text: str) -> str:
    """``text`` (NFC) lower-cased without diacritics, non-alphanumerics as spaces; same length.

    >>> fold_for_search("Nguyễn Văn Đức, 12/3")
    'nguyen van duc  12 3'
    """
    out = []
    for ch in fold_keep_case(unicodedata.normalize("NFC", text)):
        low = ch.lower()
        ch = low if len(low) == 1 else ch  # 'İ'.lower() is two characters: keep the length
        out.append(ch if ch.isalnum() else " ")
    return "".join(out)


_WORD = re.compile(r"[^\W_]+")


def query_groups(q: str) -> list[list[str]]:
    """The query as groups of folded words: what was typed without a space between (a code
    ``H49-261121-0001``, a date ``12/03/1990``) is one group, matched as a phrase; each group
    must be found, in any order. Refused when there are no words or too many."""
    groups: list[list[str]] = []
    for chunk in q.split():
        words = [w[:_MAX_WORD] for w in _WORD.findall(fold_for_search(chunk))]
        if words and words not in groups:
            groups.append(words)
    count = sum(len(g) for g in groups)
    if not count:
        raise InvalidInputError("Type at least one letter or digit to search for.")
    if count > MAX_QUERY_WORDS:
        raise InvalidInputError(f"Search with at most {MAX_QUERY_WORDS} words.")
    return groups


def query_words(q: str) -> list[str]:
    """The words of a query, folded, each once (see ``query_groups``)."""
    return list(dict.fromkeys(w for group in query_groups(q) for w in group))


def snippet(text: str, words: Sequence[str], *, width: int = 160) -> str:
    """A piece of ``text`` around the first word of the query found in it (diacritics kept)."""
    folded = fold_for_search(text)
    found = [
        m.start()
        for w in words
        if (m := re.search(rf"(?<![^\W_]){re.escape(w)}", folded)) is not None
    ]
    at = min(found) if found else 0
    # within the section of the hit (the paper's text, its fields, its codes: blank-line apart)
    low = text.rfind(_SECTION, 0, at)
    low = 0 if low < 0 else low + len(_SECTION)
    high = text.find(_SECTION, at)
    high = len(text) if high < 0 else high
    start = max(low, at - width // 3)
    while low < start < at and not folded[start - 1].isspace():  # begin at a word
        start += 1
    end = min(high, start + width)
    while start < end < high and not folded[end].isspace():
        end -= 1
    piece = " ".join(text[start:end].split())
    return ("… " if start > 0 else "") + piece + (" …" if end < len(text) else "")


# --- what each record's text is -------------------------------------------------------------


def _document_texts(conn: Connection, document_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(document_ids))
    if not ids:
        return {}
    docs = conn.execute(
        select(
            RegisteredDocument.id,
            RegisteredDocument.component_id,
            RegisteredDocument.digitization_code,
            RegisteredDocument.doc_type,
            RegisteredDocument.source_name,
            RegisteredDocument.fields,
            RegisteredDocument.corrected_fields,
            RegisteredDocument.pages,
            Citizen.id_number,
        )
        .join(Citizen, Citizen.id == RegisteredDocument.citizen_id)
        .where(RegisteredDocument.id.in_(ids))
    ).all()
    components = {d.component_id for d in docs}
    page_lines: dict[tuple[str, int], list[Any]] = {}
    if components:
        rows = conn.execute(
            select(PageOcr.component_id, PageOcr.page, PageOcr.lines).where(
                PageOcr.component_id.in_(components)
            )
        )
        page_lines = {(c, p): lines or [] for c, p, lines in rows}
    out: dict[str, str] = {}
    for d in docs:
        fields = dict(d.fields or {})
        for name, correction in (d.corrected_fields or {}).items():  # the clerk's corrections
            if correction.get("value") is None:
                fields.pop(name, None)
            else:
                fields[name] = correction["value"]
        paper = [
            str(line.get("text", ""))
            for page in d.pages or []
            for line in page_lines.get((d.component_id, page), [])
        ]
        values = [str(v) for v in fields.values() if v not in (None, "")]
        codes = [d.digitization_code, d.doc_type, d.id_number, d.source_name]
        sections = (
            "\n".join(p.strip() for p in part if p and p.strip()) for part in (paper, values, codes)
        )
        out[d.id] = _SECTION.join(x for x in sections if x)
    return out


def _dossier_texts(conn: Connection, dossier_ids: Iterable[str]) -> dict[str, str]:
    """Code, id, procedure, the citizen's id number and name: the register's name (when the
    register sits in this database) and the name read on the citizen's own documents."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(
            Dossier.id,
            Dossier.code,
            Dossier.procedure_code,
            Dossier.citizen_id,
            Citizen.id_number,
            PopulationRow.full_name,
        )
        .join(Citizen, Citizen.id == Dossier.citizen_id)
        .outerjoin(PopulationRow, PopulationRow.id_number == Citizen.id_number)
        .where(Dossier.id.in_(ids))
    ).all()
    names: dict[str, list[str]] = {}
    for dossier_id, citizen_id, fields, corrected in conn.execute(
        select(
            RegisteredDocument.dossier_id,
            RegisteredDocument.citizen_id,
            RegisteredDocument.fields,
            RegisteredDocument.corrected_fields,
        ).where(RegisteredDocument.dossier_id.in_(ids))
    ):
        owner = next(r.citizen_id for r in rows if r.id == dossier_id)
        name = ((corrected or {}).get("full_name") or {}).get("value") or (fields or {}).get(
            "full_name"
        )
        if citizen_id == owner and name:
            names.setdefault(dossier_id, []).append(str(name))
    out = {}
    for r in rows:
        parts = [r.code or "", r.id, r.procedure_code, r.id_number, r.full_name or ""]
        parts += list(dict.fromkeys(names.get(r.id, [])))
        out[r.id] = "\n".join(p for p in parts if p)
    return out


def _write(conn: Connection, kind: str, texts: dict[str, str], gone: Iterable[str] = ()) -> None:
    stale = set(texts) | set(gone)
    if stale:
        conn.execute(
            delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id.in_(stale))
        )
    if texts:
        now = utcnow()
        conn.execute(
            insert(SearchEntry),
            [
                {
                    "kind": kind,
                    "ref_id": ref,
                    "text": t,
                    "folded": fold_for_search(t),
                    "updated_at": now,
                }
                for ref, t in texts.items()
            ],
        )


def reindex(
    conn: Connection,
    *,
    document_ids: Iterable[str] = (),
    dossier_ids: Iterable[str] = (),
    component_ids: Iterable[str] = (),
    deleted_documents: Iterable[str] = (),
    deleted_dossiers: Iterable[str] = (),
) -> None:
    """Write again the entries of these records (a component's: its documents')."""
    documents = set(document_ids)
    dossiers = set(dossier_ids)
    component_ids = set(component_ids)
    if component_ids:
        for doc_id, dossier_id in conn.execute(
            select(RegisteredDocument.id, RegisteredDocument.dossier_id).where(
                RegisteredDocument.component_id.in_(component_ids)
            )
        ):
            documents.add(doc_id)
            dossiers.add(dossier_id)
    gone_docs, gone_dossiers = set(deleted_documents), set(deleted_dossiers)
    _write(conn, DOCUMENT, _document_texts(conn, documents - gone_docs), gone_docs)
    _write(conn, DOSSIER, _dossier_texts(conn, dossiers - gone_dossiers), gone_dossiers)


def rebuild(conn: Connection, *, batch: int = 500) -> int:
    """Index every dossier and document again; returns how many entries were written."""
    written = 0
    for model, kind in ((Dossier, DOSSIER), (RegisteredDocument, DOCUMENT)):
        ids = list(conn.scalars(select(model.id).order_by(model.id)))
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            if kind == DOSSIER:
                reindex(conn, dossier_ids=chunk)
            else:
                reindex(conn, document_ids=chunk)
            written += len(chunk)
    return written


_PENDING = "sohoa.search.pending"  # Session.info key: what this transaction's flushes wrote


@event.listens_for(Session, "after_flush")
def _collect_after_flush(session: Session, _flush: UOWTransaction) -> None:
    """Note what each flush wrote; the entries are written once, at commit."""
    pending: dict[str, set[str]] | None = session.info.get(_PENDING)

    def note(kind: str, value: str | None) -> None:
        nonlocal pending
        if value is None:
            return
        if pending is None:
            pending = session.info[_PENDING] = {
                k: set()
                for k in (
                    "document_ids",
                    "dossier_ids",
                    "component_ids",
                    "deleted_documents",
                    "deleted_dossiers",
                )
            }
        pending[kind].add(value)

    for obj in (*session.new, *session.dirty):
        if isinstance(obj, RegisteredDocument):
            note("document_ids", obj.id)
            note("dossier_ids", obj.dossier_id)
        elif isinstance(obj, Dossier):
            note("dossier_ids", obj.id)
        elif isinstance(obj, PageOcr):
            note("component_ids", obj.component_id)
    for obj in session.deleted:
        if isinstance(obj, RegisteredDocument):
            note("deleted_documents", obj.id)
            note("dossier_ids", obj.dossier_id)
        elif isinstance(obj, Dossier):
            note("deleted_dossiers", obj.id)


@event.listens_for(Session, "before_commit")
def _reindex_before_commit(session: Session) -> None:
    """Write the entries of what this transaction wrote, in it, once (not at every flush)."""
    if session.in_nested_transaction():  # a savepoint's release: the outer commit indexes
        return
    if session.info.get(_PENDING) is None and not (session.new or session.dirty or session.deleted):
        return
    session.flush()  # what is still unflushed is noted too
    pending = session.info.pop(_PENDING, None)
    if pending:
        reindex(session.connection(), **pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    """The transaction rolled back: nothing to index. (A savepoint's rollback keeps the notes:
    indexing a record that is not there writes nothing.)"""
    if previous.parent is None:
        session.info.pop(_PENDING, None)


# --- searching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPage:
    """One page of hits: the ids found (best first), with their snippets, and the total."""

    ids: list[str]
    snippets: dict[str, str]
    total: int
    page: int
    page_size: int
    words: list[str]

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page * self.page_size < self.total else None


def _match(session: Session, groups: Sequence[Sequence[str]]) -> tuple[Any, ColumnElement[Any]]:
    """(the FROM clause, the rank to order by ascending) of the entries holding every group of
    words (a group's words one after the other); each group's last word may be a prefix."""
    # In both databases the full-text match runs first, once, materialized, and its rows are
    # then joined by primary key. Joined directly, the planners walked search_entries (or the
    # documents) and tested the match row by row: SQLite ran its MATCH once per row,
    # PostgreSQL computed to_tsvector for every row instead of using the GIN index.
    if session.get_bind().dialect.name == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'"), SearchEntry.folded)
        phrases = ["(" + " <-> ".join([*g[:-1], f"{g[-1]}:*"]) + ")" for g in groups]
        query = func.to_tsquery(literal_column("'simple'"), " & ".join(phrases))
        hits = (
            select(SearchEntry.id, (-func.ts_rank(vector, query)).label("rank"))
            .where(vector.op("@@")(query))
            .cte("ts_hits")
            .prefix_with("MATERIALIZED")
        )
        source = select(SearchEntry, hits.c.rank).join(hits, hits.c.id == SearchEntry.id).subquery()
        return source, source.c.rank
    fts = table(FTS_TABLE, column("rowid"))
    match = " ".join(f'"{" ".join(g)}"*' for g in groups)  # words: letters and digits only
    hits = (
        select(fts.c.rowid.label("id"), func.bm25(literal_column(FTS_TABLE)).label("rank"))
        .select_from(fts)
        .where(literal_column(FTS_TABLE).op("MATCH")(match))
        .cte("fts_hits")
        .prefix_with("MATERIALIZED")
    )
    source = select(SearchEntry, hits.c.rank).join(hits, hits.c.id == SearchEntry.id).subquery()
    return source, source.c.rank


def _page(
    session: Session,
    *,
    kind: str,
    q: str,
    page: int,
    page_size: int,
    where: Sequence[ColumnElement[bool]],
    join: Any,
    on: Any,
) -> SearchPage:
    if page < 1 or page_size < 1:
        raise InvalidInputError("Pages are numbered from 1 and hold at least one hit.")
    groups = query_groups(q)
    words = list(dict.fromkeys(w for g in groups for w in g))
    source, rank = _match(session, groups)
    base = (
        select(source.c.ref_id, source.c.text)
        .join(join, on(source.c.ref_id))
        .where(source.c.kind == kind, *where)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(rank, source.c.ref_id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return SearchPage(
        ids=[r.ref_id for r in rows],
        snippets={r.ref_id: snippet(r.text, words) for r in rows},
        total=int(total),
        page=page,
        page_size=page_size,
        words=words,
    )


def search_documents(
    session: Session,
    *,
    q: str,
    page: int = 1,
    page_size: int = 20,
    citizen_id_number: str | None = None,
) -> SearchPage:
    """Documents whose text holds every word of ``q``, best first.

    ``citizen_id_number``: only what that citizen may see of their own (approved documents of
    which they are a confirmed subject), as a citizen's own search must.
    """
    where: list[ColumnElement[bool]] = []
    if citizen_id_number is not None:
        where += [
            RegisteredDocument.review_status == _SHOWN_TO_CITIZENS,
            exists().where(
                DocumentSubject.document_id == RegisteredDocument.id,
                DocumentSubject.confirmed.is_(True),
                DocumentSubject.citizen_id == Citizen.id,
                Citizen.id_number == citizen_id_number,
            ),
        ]
    return _page(
        session,
        kind=DOCUMENT,
        q=q,
        page=page,
        page_size=page_size,
        where=where,
        join=RegisteredDocument,
        on=lambda ref: RegisteredDocument.id == ref,
    )


def search_dossiers(session: Session, *, q: str, page: int = 1, page_size: int = 20) -> SearchPage:
    """Dossiers whose code, id, citizen's id number or name holds every word of ``q``."""
    return _page(
        session,
        kind=DOSSIER,
        q=q,
        page=page,
        page_size=page_size,
        where=[],
        join=Dossier,
        on=lambda ref: Dossier.id == ref,
    )
