"""The population register (CSDLQG về dân cư) as sohoa sees it: look up a person by id number.

Locally the register is one table loaded from CSV (`sohoa population import`); in
production the same Protocol can front the national database's API. The SQLAlchemy model
lives here so migrations can import it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from core.errors import DatabaseUnavailableError, InvalidInputError
from core.ids import is_id_number
from core.normalize import normalize_date
from core.records import PersonRecord
from core.settings import Settings
from storage.db import Base, get_engine, session_scope

__all__ = [
    "REGISTER_COLUMNS",
    "CsvRowError",
    "DatabasePopulationRegister",
    "PopulationRow",
    "open_register",
    "parse_register_csv",
]

REGISTER_COLUMNS = (
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_origin",
    "place_of_residence",
)
_REQUIRED = ("id_number", "full_name", "date_of_birth", "sex")


class PopulationRow(Base):
    """Table ``population_register``: one row per personal id number."""

    __tablename__ = "population_register"

    id_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[str] = mapped_column(String(10))
    sex: Mapped[str] = mapped_column(String(6))
    ethnicity: Mapped[str | None] = mapped_column(String(60), nullable=True)
    nationality: Mapped[str | None] = mapped_column(String(60), nullable=True)
    place_of_origin: Mapped[str | None] = mapped_column(String(300), nullable=True)
    place_of_residence: Mapped[str | None] = mapped_column(String(500), nullable=True)

    def to_record(self) -> PersonRecord:
        return PersonRecord(
            id_number=self.id_number,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            ethnicity=self.ethnicity,
            nationality=self.nationality,
            place_of_origin=self.place_of_origin,
            place_of_residence=self.place_of_residence,
        )


class DatabasePopulationRegister:
    """The register as a SQL table (SQLite embedded, PostgreSQL in production)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        if create:
            try:
                PopulationRow.__table__.create(get_engine(url), checkfirst=True)  # type: ignore[attr-defined]
            except OperationalError as exc:
                raise DatabaseUnavailableError(
                    "The population register database is unavailable; check "
                    "SOHOA_REGISTER_DATABASE_URL / SOHOA_DATABASE_URL and try again.",
                ) from exc

    def get(self, id_number: str) -> PersonRecord | None:
        try:
            with session_scope(self.url) as session:
                row = session.get(PopulationRow, id_number)
                return row.to_record() if row is not None else None
        except OperationalError as exc:
            raise DatabaseUnavailableError() from exc

    def count(self) -> int:
        with session_scope(self.url) as session:
            return len(session.scalars(select(PopulationRow.id_number)).all())

    def upsert(self, rows: Iterable[PersonRecord]) -> int:
        """Insert or update by id number, all in one transaction (all rows or none)."""
        values = [r.as_dict() for r in rows]
        if not values:
            return 0
        engine = get_engine(self.url)
        dialect = engine.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        try:
            with session_scope(self.url) as session:
                # Chunks keep SQLite under its bound-parameter limit.
                for i in range(0, len(values), 500):
                    chunk = values[i : i + 500]
                    stmt = insert(PopulationRow).values(chunk)
                    update = {c: getattr(stmt.excluded, c) for c in REGISTER_COLUMNS[1:]}
                    session.execute(
                        stmt.on_conflict_do_update(index_elements=["id_number"], set_=update)
                    )
        except OperationalError as exc:
            raise DatabaseUnavailableError() from exc
        return len({v["id_number"] for v in values})


def open_register(settings: Settings) -> DatabasePopulationRegister:
    """The configured register (``Settings.effective_register_url``), table created if missing."""
    return DatabasePopulationRegister(settings.effective_register_url)


# --- CSV ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRowError:
    line: int
    reason: str


_SEX = {"male": "male", "female": "female", "nam": "male", "nữ": "female", "nu": "female"}


def _row_to_record(row: Mapping[str, str | None]) -> PersonRecord:
    """Validate one CSV row; raises ValueError with a reason the user can act on."""
    vals = {k: (row.get(k) or "").strip() for k in REGISTER_COLUMNS}
    missing = [k for k in _REQUIRED if not vals[k]]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if not is_id_number(vals["id_number"]):
        raise ValueError(f"id_number {vals['id_number']!r} is not 12 digits")
    dob = vals["date_of_birth"]
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", dob):
        try:
            date.fromisoformat(dob)
        except ValueError:
            raise ValueError(f"date_of_birth {dob!r} is not a real date") from None
    else:
        iso = normalize_date(dob)
        if iso is None:
            raise ValueError(f"date_of_birth {dob!r} is not a date (use YYYY-MM-DD)")
        dob = iso
    sex = _SEX.get(vals["sex"].lower())
    if sex is None:
        raise ValueError(f"sex {vals['sex']!r} is not male or female")

    def text(k: str) -> str | None:
        v = unicodedata.normalize("NFC", re.sub(r"\s+", " ", vals[k]))
        return v or None

    return PersonRecord(
        id_number=vals["id_number"],
        full_name=text("full_name") or "",
        date_of_birth=dob,
        sex=sex,
        ethnicity=text("ethnicity"),
        nationality=text("nationality"),
        place_of_origin=text("place_of_origin"),
        place_of_residence=text("place_of_residence"),
    )


def parse_register_csv(data: bytes) -> tuple[list[PersonRecord], list[CsvRowError]]:
    """Parse a register CSV: good rows and, for each bad row, its line number and reason.

    Raises ``InvalidInputError`` when the file as a whole is unusable (not UTF-8, not CSV,
    no ``id_number`` column).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"The CSV is not UTF-8 (byte {exc.start} is invalid); save it as UTF-8 and import again."
        ) from None
    if not text.strip():
        raise InvalidInputError("The CSV is empty; export the register rows with a header line.")
    if "\x00" in text:
        raise InvalidInputError(
            "The file is not a CSV text file; export the register as UTF-8 CSV."
        )
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InvalidInputError(f"The CSV header cannot be read ({exc}); fix the file.") from None
    reader.fieldnames = header
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise InvalidInputError(
            f"The CSV has no column {', '.join(missing)}; the header must be "
            f"{','.join(REGISTER_COLUMNS)}."
        )
    good: list[PersonRecord] = []
    bad: list[CsvRowError] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:  # more cells than header columns
                bad.append(
                    CsvRowError(
                        line, f"{len(header) + len(row[None])} cells, expected {len(header)}"
                    )
                )  # type: ignore[index]
                continue
            if any(v is None for v in row.values()):
                bad.append(CsvRowError(line, "fewer cells than the header"))
                continue
            try:
                rec = _row_to_record(row)
            except ValueError as exc:
                bad.append(CsvRowError(line, str(exc)))
                continue
            if rec.id_number in seen:
                # Later rows win (upsert semantics), but say so.
                good = [g for g in good if g.id_number != rec.id_number]
            seen[rec.id_number] = line
            good.append(rec)
    except csv.Error as exc:
        raise InvalidInputError(
            f"The CSV is malformed at line {reader.line_num} ({exc}); fix the quoting and import again."
        ) from None
    return good, bad
