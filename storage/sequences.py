"""Daily sequence numbers (số thứ tự hồ sơ tiếp nhận trong ngày), unique across processes.

The dossier code of Circular 01/2018/TT-VPCP (Art. 19) ends in the number of the dossier among
those the agency received that day. Every API process and worker draws it from one row per
(agency, day), incremented atomically by ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (on
PostgreSQL and on SQLite ≥ 3.35), inside the caller's transaction: a rolled-back dossier gives
its number back, so the numbers of a day have no duplicates and no gaps.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Date, Integer, String, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.db import Base

__all__ = ["DailySequence", "next_daily_sequence"]


class DailySequence(Base):
    """Table ``daily_sequence``: the last number drawn for one agency on one day."""

    __tablename__ = "daily_sequence"

    agency_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


def next_daily_sequence(session: Session, *, agency_code: str, day: date) -> int:
    """The next number (1, 2, …) of ``agency_code`` on ``day``, in the session's transaction.

    The row stays locked until the caller commits, so concurrent callers wait their turn
    (PostgreSQL row lock; SQLite's single writer with the engine's busy timeout).
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"daily sequences need PostgreSQL or SQLite, not {dialect}")
    table = cast(Table, DailySequence.__table__)
    stmt = (
        insert(table)
        .values(agency_code=agency_code, day=day, last_value=1)
        .on_conflict_do_update(
            index_elements=[table.c.agency_code, table.c.day],
            set_={"last_value": table.c.last_value + 1},
        )
        .returning(table.c.last_value)
    )
    value = session.execute(stmt).scalar_one()
    return int(value)
