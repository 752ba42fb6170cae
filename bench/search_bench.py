"""Search on generated dossiers: how fast entries are written and queries answered, and what is found.

    python -m bench.search_bench [--documents 3000] [--queries 200] [--postgres URL] [--out DIR]

Generated citizens (``samples.people``) each get a dossier with one birth certificate whose
OCR text and fields carry their name, date and place of birth and their parents' names,
written through the ORM as the worker writes them, so the session hook indexes each one.
Then, per database (SQLite always; PostgreSQL when reachable): the write rate with the hook,
and for each kind of query typed at the counter the median and 95th-percentile time and
whether the record sought was on the first page (20 hits):
- a full name typed without diacritics (a name shared by several citizens may push the one
  sought past the first page: the total hits are reported too);
- a citizen's id number, and its first 9 digits (dossiers);
- a dossier's national code.
Writes search_bench.md into --out (default: stdout only).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from samples.people import Person, make_person, strip_diacritics
from storage.db import get_engine, session_scope
from storage.models import PageOcr, RegisteredDocument
from storage.repository import add_component, create_dossier, init_db, set_document_subjects
from storage.search import SearchPage, search_documents, search_dossiers

__all__ = ["main"]

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PAGE = 20


@dataclass
class Made:
    person: Person
    dossier_id: str
    code: str
    document_id: str


def _lines(p: Person, father: Person, mother: Person) -> list[str]:
    return [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "GIẤY KHAI SINH",
        f"Họ, chữ đệm, tên: {p.full_name.upper()}",
        f"Ngày, tháng, năm sinh: {p.date_of_birth:%d/%m/%Y}",
        f"Nơi sinh: {p.birth_place.render('short')}",
        f"Số định danh cá nhân: {p.id_number}",
        f"Họ, chữ đệm, tên người cha: {father.full_name}",
        f"Họ, chữ đệm, tên người mẹ: {mother.full_name}",
    ]


def _populate(url: str, n: int, rng: random.Random) -> tuple[list[Made], float]:
    made: list[Made] = []
    started = time.perf_counter()
    for start in range(0, n, 200):
        with session_scope(url) as s:
            for i in range(start, min(n, start + 200)):
                person = make_person(rng)
                father, mother = make_person(rng, sex="male"), make_person(rng, sex="female")
                code = f"000.00.00.H49-261206-{i + 1:05d}"
                dossier = create_dossier(
                    s,
                    procedure_code="1.001193",
                    citizen_id_number=person.id_number,
                    created_by="clerk-bench",
                    code=code,
                )
                component = add_component(
                    s,
                    dossier=dossier,
                    object_key=f"scans/{dossier.id}",
                    sha256=dossier.id * 2,
                    original_filename="scan.jpg",
                    content_type="image/jpeg",
                    size_bytes=1,
                    created_by="clerk-bench",
                )
                lines = _lines(person, father, mother)
                s.add(
                    PageOcr(
                        component_id=component.id,
                        page=1,
                        width=2480,
                        height=3508,
                        image_key=f"pages/{component.id}",
                        lines=[{"text": t, "box": [[0, 0]] * 4, "confidence": 0.9} for t in lines],
                    )
                )
                document = RegisteredDocument(
                    component_id=component.id,
                    document_index=0,
                    dossier_id=dossier.id,
                    citizen=dossier.citizen,
                    source_name="scan.jpg",
                    doc_type="birth_certificate",
                    fields={"full_name": person.full_name, "id_number": person.id_number},
                    pages=[1],
                    digitization_code=f"SH-20261206-{uuid.uuid4().hex[:8].upper()}-X",
                    source_key=component.object_key,
                    review_status="approved",
                )
                s.add(document)
                set_document_subjects(s, document=document, subjects={})
                made.append(Made(person, dossier.id, code, document.id))
    return made, time.perf_counter() - started


def _measure(
    url: str, made: list[Made], queries: int, rng: random.Random
) -> list[tuple[str, float, float, float, float]]:
    """(kind, median ms, p95 ms, found on page 1, median total hits) per kind of query."""
    kinds: dict[str, Callable[[Made], tuple[str, Callable[..., SearchPage], str]]] = {
        "name without diacritics (documents)": lambda m: (
            strip_diacritics(m.person.full_name).lower(),
            search_documents,
            m.document_id,
        ),
        "id number (documents)": lambda m: (m.person.id_number, search_documents, m.document_id),
        "id number, first 9 digits (dossiers)": lambda m: (
            m.person.id_number[:9],
            search_dossiers,
            m.dossier_id,
        ),
        "dossier code (dossiers)": lambda m: (m.code, search_dossiers, m.dossier_id),
    }
    out = []
    sample = [rng.choice(made) for _ in range(queries)]
    with session_scope(url) as s:
        for kind, make in kinds.items():
            times, found, totals = [], 0, []
            for m in sample:
                q, search, wanted = make(m)
                t0 = time.perf_counter()
                page = search(s, q=q, page=1, page_size=PAGE)
                times.append((time.perf_counter() - t0) * 1000)
                found += wanted in page.ids
                totals.append(page.total)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            out.append(
                (
                    kind,
                    statistics.median(times),
                    p95,
                    found / len(sample),
                    statistics.median(totals),
                )
            )
    return out


@contextlib.contextmanager
def _postgres(url: str) -> Iterator[str | None]:
    try:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)
    except Exception:
        yield None
        return
    schema = f"sohoa_bench_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        get_engine.cache_clear()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", default=PG_BASE)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    report = [
        f"# Search on {args.documents} generated dossiers, {args.queries} queries per kind",
        "",
        "| database | query | median ms | p95 ms | sought on page 1 | median hits |",
        "|---|---|---|---|---|---|",
    ]
    writes = []
    with TemporaryDirectory() as tmp, _postgres(args.postgres) as pg:
        urls = {"SQLite (FTS5)": f"sqlite:///{tmp}/bench.sqlite3"}
        if pg:
            urls["PostgreSQL (GIN)"] = pg
        for name, url in urls.items():
            init_db(url)
            made, seconds = _populate(url, args.documents, random.Random(7))
            writes.append(f"{name}: {args.documents / seconds:.0f} dossiers+documents/s written")
            for kind, med, p95, found, hits in _measure(url, made, args.queries, random.Random(8)):
                report.append(
                    f"| {name} | {kind} | {med:.1f} | {p95:.1f} | {found:.0%} | {hits:.0f} |"
                )
    report += ["", "Writing, indexed by the session hook: " + "; ".join(writes) + "."]
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "search_bench.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
