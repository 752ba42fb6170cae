"""The population register: SQL table, upsert by id number, CSV import with bad rows."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.errors import InvalidInputError
from storage.population import (
    DatabasePopulationRegister,
    PersonRecord,
    open_register,
    parse_register_csv,
)

HEADER = "id_number,full_name,date_of_birth,sex,ethnicity,nationality,place_of_origin,place_of_residence\n"
GOOD = [
    '001192012345,Nguyễn Thị Minh Hằng,1992-08-15,female,Kinh,Việt Nam,"xã Cổ Loa, huyện Đông Anh, Hà Nội","Số 12 phố Nghi Tàm, Hà Nội"\n',
    "036089001234,Trần Văn Đức,1989-02-01,male,Kinh,Việt Nam,Thái Bình,Thái Bình\n",
]


def _rec(id_number: str = "001192012345", name: str = "Nguyễn Thị Minh Hằng") -> PersonRecord:
    return PersonRecord(
        id_number, name, "1992-08-15", "female", "Kinh", "Việt Nam", "Hà Nội", "Hà Nội"
    )


def _exercise(register: DatabasePopulationRegister) -> None:
    assert register.get("001192012345") is None
    assert register.upsert([_rec(), _rec("036089001234", "Trần Văn Đức")]) == 2
    got = register.get("001192012345")
    assert got is not None and got.full_name == "Nguyễn Thị Minh Hằng" and got.sex == "female"
    # Upsert by id number: the same id updates, nothing is duplicated.
    assert register.upsert([_rec(name="Nguyễn Thị Minh Hà")]) == 1
    assert register.get("001192012345").full_name == "Nguyễn Thị Minh Hà"  # type: ignore[union-attr]
    assert register.count() == 2


def test_sqlite_register(tmp_path: Path) -> None:
    _exercise(DatabasePopulationRegister(f"sqlite:///{tmp_path}/reg.sqlite3"))


def test_open_register_uses_the_embedded_default(tmp_path: Path) -> None:
    from core.settings import Settings

    reg = open_register(Settings(data_dir=tmp_path))
    reg.upsert([_rec()])
    assert (tmp_path / "sohoa.sqlite3").exists()
    assert reg.get("001192012345") is not None


@pytest.mark.services
def test_postgresql_register() -> None:
    import sqlalchemy as sa

    url = os.environ.get(
        "SOHOA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    schema = f"pop_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    try:
        scoped = f"{url}?options=-csearch_path%3D{schema}"
        _exercise(DatabasePopulationRegister(scoped))
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


def test_upsert_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register = DatabasePopulationRegister(f"sqlite:///{tmp_path}/reg.sqlite3")
    rows = [_rec(f"001192{n:06d}") for n in range(1200)]  # three chunks of 500
    from sqlalchemy.orm import Session

    real_execute = Session.execute
    calls = {"n": 0}

    def failing_execute(self, *a, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_execute(self, *a, **kw)

    monkeypatch.setattr(Session, "execute", failing_execute)
    with pytest.raises(RuntimeError):
        register.upsert(rows)
    monkeypatch.undo()
    assert register.count() == 0  # nothing half-written


def test_csv_bad_rows_reported_with_line_numbers() -> None:
    data = (
        HEADER
        + GOOD[0]
        + "00119201234,Short Id,1992-08-15,female,,,,\n"
        + "036089001235,Bad Date,1989-02-30,male,,,,\n"
        + "036089001236,,1989-02-01,male,,,,\n"
        + "036089001237,Bad Sex,1989-02-01,x,,,,\n"
        + "036089001238,Too Many,1989-02-01,male,,,,,extra\n"
        + GOOD[1]
    ).encode()
    good, bad = parse_register_csv(data)
    assert [r.id_number for r in good] == ["001192012345", "036089001234"]
    assert [b.line for b in bad] == [3, 4, 5, 6, 7]
    assert "12 digits" in bad[0].reason
    assert "not a real date" in bad[1].reason
    assert "full_name" in bad[2].reason
    assert "sex" in bad[3].reason
    assert "cells" in bad[4].reason


def test_csv_line_numbers_count_quoted_newlines() -> None:
    data = (
        HEADER
        + '001192012345,"Nguyễn Thị\nMinh Hằng",1992-08-15,female,,,,\n'
        + "bad,x,1992-08-15,female,,,,\n"
    ).encode()
    good, bad = parse_register_csv(data)
    assert len(good) == 1 and good[0].full_name == "Nguyễn Thị Minh Hằng"
    assert [b.line for b in bad] == [4]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((HEADER + GOOD[0]).encode("utf-16"), "not UTF-8"),
        ((HEADER + "Hà Nội").encode("cp1258", errors="replace") + b"\xe0\n", "not UTF-8"),
        (b"", "empty"),
        (b"name,age\nA,1\n", "no column"),
        ((HEADER + '001192012345,"unterminated,1992-08-15,female,,,,\n').encode(), "malformed"),
    ],
)
def test_unusable_csv_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        parse_register_csv(data)
    assert message in err.value.message
    assert err.value.exit_code == 2


def _run_import(tmp_path: Path, content: bytes) -> tuple[int, str, DatabasePopulationRegister]:
    from core.settings import get_settings
    from ocr_service.cli import cli

    csv = tmp_path / "people.csv"
    csv.write_bytes(content)
    get_settings.cache_clear()
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(cli, ["population", "import", str(csv)], env=env)
    get_settings.cache_clear()
    reg = DatabasePopulationRegister(f"sqlite:///{tmp_path}/data/sohoa.sqlite3")
    return result.exit_code, result.output, reg


def test_cli_import_good_file(tmp_path: Path) -> None:
    code, out, reg = _run_import(tmp_path, (HEADER + "".join(GOOD)).encode())
    assert code == 0, out
    assert reg.count() == 2


def test_cli_import_with_bad_rows_imports_the_good_ones_and_exits_2(tmp_path: Path) -> None:
    code, out, reg = _run_import(
        tmp_path, (HEADER + GOOD[0] + "123,X,1990-01-01,male,,,,\n" + GOOD[1]).encode()
    )
    assert code == 2
    assert "people.csv:3:" in out and "12 digits" in out
    assert reg.count() == 2


def test_cli_import_not_utf8_exits_2_and_imports_nothing(tmp_path: Path) -> None:
    code, out, reg = _run_import(tmp_path, (HEADER + GOOD[0]).encode("utf-16"))
    assert code == 2
    assert "UTF-8" in out
    assert reg.count() == 0


def test_cli_import_help_states_exit_codes() -> None:
    from ocr_service.cli import cli

    out = CliRunner().invoke(cli, ["population", "import", "--help"]).output
    assert "Exit codes" in out and "2" in out
