"""Reception: a dossier's national code counts the agency's dossiers of the day in Vietnam."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.errors import InvalidInputError
from core.settings import Settings
from ocr_service.reception import open_dossier
from storage.db import session_scope
from storage.repository import find_dossier_by_code, get_dossier, init_db
from storage.sequences import DailySequence


def _open(url: str, settings: Settings, at: datetime) -> tuple[str, str]:
    with session_scope(url) as s:
        dossier = open_dossier(
            s,
            settings=settings,
            procedure_code="1.001612",
            citizen_id_number="001192012345",
            created_by="lan",
            now=at,
        )
        assert dossier.code is not None
        return dossier.id, dossier.code


def test_the_code_counts_the_day_in_vietnam_not_utc(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    init_db(url)
    settings = Settings(data_dir=tmp_path, agency_code="000.00.00.H49")
    # 16:59 UTC is 23:59 in Hà Nội; 17:00 UTC is already the next day there
    assert _open(url, settings, datetime(2026, 11, 21, 16, 59, tzinfo=UTC))[1] == (
        "000.00.00.H49-261121-0001"
    )
    assert _open(url, settings, datetime(2026, 11, 21, 16, 59, 30, tzinfo=UTC))[1] == (
        "000.00.00.H49-261121-0002"
    )
    dossier_id, code = _open(url, settings, datetime(2026, 11, 21, 17, 0, tzinfo=UTC))
    assert code == "000.00.00.H49-261122-0001"
    with session_scope(url) as s:
        assert get_dossier(s, dossier_id=code).id == dossier_id  # by code
        assert get_dossier(s, dossier_id=dossier_id).code == code  # by id
        assert find_dossier_by_code(s, code="000.00.00.H49-261122-0002") is None


def test_the_ten_thousandth_dossier_of_a_day_is_refused_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    init_db(url)
    settings = Settings(data_dir=tmp_path, agency_code="000.00.00.H49")
    with session_scope(url) as s:
        s.add(DailySequence(agency_code="000.00.00.H49", day=date(2026, 11, 21), last_value=9999))
    with pytest.raises(InvalidInputError, match="9999"):
        _open(url, settings, datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    with session_scope(url) as s:
        row = s.get(DailySequence, ("000.00.00.H49", date(2026, 11, 21)))
        assert row is not None and row.last_value == 9999  # the number was given back
