"""Id numbers in Arabic-Indic, full-width, Devanagari or mathematical digits: refused at every
door, and never a second citizen (str.isdigit(), int() and regex ``\\d`` all accept them).

Entry points: the API (body, path, query), the token's claims, `sohoa token issue`, the
register import, the OCR's id normalisation, the card's QR and MRZ, the registration of a
document whose OCR (here: the fault pipeline reading the file name) found such an id.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from classifiers.card_codes import id_structure_problems
from core.card_qr import read_card_qr
from core.errors import AuthenticationError, InvalidInputError
from core.ids import ID_NUMBER_PATTERN, is_ascii_digits, is_id_number
from core.normalize import normalize_date, normalize_id_number
from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import decode_token, issue_token
from ocr_service.cli import cli
from ocr_service.registration import subjects_for_fields
from storage.db import session_scope
from storage.models import Citizen
from storage.population import parse_register_csv
from storage.repository import get_or_create_citizen
from tests.hostile.corpus import foreign_digit_ids, good_png

CITIZEN = "001192012345"
SECRET = "hostile-ids-secret-0123456789abcdef0123"
FOREIGN = foreign_digit_ids(CITIZEN)
FAMILIES = sorted(FOREIGN)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Settings]]:
    data: Path = tmp_path_factory.mktemp("ids") / "data"
    settings = Settings(data_dir=data, secret_key=SecretStr(SECRET), job_max_retries=0)
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        yield c, settings


def _auth(settings: Settings, role: str, subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, role=role, subject=subject)}"}


def _citizens(settings: Settings) -> set[str]:
    with session_scope(settings.effective_database_url) as s:
        return set(s.scalars(select(Citizen.id_number)))


def test_the_helpers_accept_ascii_only() -> None:
    assert is_id_number(CITIZEN) and is_ascii_digits("0") and ID_NUMBER_PATTERN == "^[0-9]{12}$"
    for family, value in FOREIGN.items():
        assert value.isdigit(), family  # what the old checks relied on
        assert not is_id_number(value) and not is_ascii_digits(value), family
    for value in ("", "²", "12 3", "12a", None, 12, "001192012345\n"):
        assert not is_ascii_digits(value), value


@pytest.mark.parametrize("family", FAMILIES)
def test_api_body_path_and_query_refuse_foreign_digits(
    app: tuple[TestClient, Settings], family: str
) -> None:
    client, settings = app
    number = FOREIGN[family]
    clerk, admin = _auth(settings, "clerk", "clerk-lan"), _auth(settings, "admin", "admin-hai")
    before = _citizens(settings)
    r = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.001612", "citizen_id_number": number},
        headers=clerk,
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_input"
    r = client.get(f"/api/v1/citizens/{number}/documents", headers=clerk)
    assert r.status_code == 422, r.text
    r = client.get("/api/v1/audit", params={"citizen_id_number": number}, headers=admin)
    assert r.status_code == 422, r.text
    assert _citizens(settings) == before  # no citizen was created on the way


@pytest.mark.parametrize("family", FAMILIES)
def test_token_claims_and_issuing_refuse_foreign_digits(
    app: tuple[TestClient, Settings], family: str
) -> None:
    client, settings = app
    number = FOREIGN[family]
    with pytest.raises(InvalidInputError):
        issue_token(settings, role="citizen", subject=number)
    now = int(time.time())
    claims = {"sub": number, "role": "citizen", "iat": now, "exp": now + 600, "jti": "x" * 32}
    forged = jwt.encode(claims, SECRET, algorithm="HS256")  # correctly signed: our own key
    with pytest.raises(AuthenticationError):
        decode_token(settings, forged)
    r = client.get(
        f"/api/v1/citizens/{CITIZEN}/documents", headers={"Authorization": f"Bearer {forged}"}
    )
    assert r.status_code == 401, r.text
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401, r.text


@pytest.mark.parametrize("family", FAMILIES)
def test_sohoa_token_issue_refuses_foreign_digits(family: str) -> None:
    result = CliRunner().invoke(
        cli, ["token", "issue", "--role", "citizen", "--subject", FOREIGN[family]]
    )
    assert result.exit_code == 2, result.output
    assert "12-digit" in result.output and "eyJ" not in result.output


def test_register_import_refuses_foreign_digits() -> None:
    rows = "".join(f"{v},Lê Thị Hoa,1990-01-02,male\n" for v in FOREIGN.values())
    csv = ("id_number,full_name,date_of_birth,sex\n" + rows).encode()
    records, problems = _parse(csv)
    assert records == [] and len(problems) == len(FOREIGN), problems
    # and a date in foreign digits is not a date
    assert normalize_date("١٩٩٠-٠١-٠٢") is None and normalize_date("1990-01-02") == "1990-01-02"


def _parse(data: bytes) -> tuple[list[Any], list[Any]]:
    records, problems = parse_register_csv(data)
    return list(records), list(problems)


def test_ocr_qr_and_structure_never_make_an_id_of_foreign_digits() -> None:
    assert normalize_id_number(CITIZEN) == CITIZEN  # the OCR path is unchanged for ASCII
    assert normalize_id_number("Số: 001 192 012 345") == CITIZEN
    assert normalize_id_number("Số: OO1192O12345") == CITIZEN  # look-alike letters still fixed
    qr = "|Lê Thị Hoa|02011990|Nam|Hà Nội|01012021"
    assert read_card_qr(CITIZEN + qr) is not None
    for family, value in FOREIGN.items():
        assert normalize_id_number(value) is None, family
        assert normalize_id_number(f"Số định danh: {value}") is None, family
        assert read_card_qr(value + qr) is None, family
        assert id_structure_problems(value) == ["not_twelve_digits"], family


def test_repository_and_registration_never_create_a_foreign_digit_citizen(
    app: tuple[TestClient, Settings],
) -> None:
    _, settings = app
    with session_scope(settings.effective_database_url) as s:
        for family, value in FOREIGN.items():
            with pytest.raises(InvalidInputError):
                get_or_create_citizen(s, id_number=value)
            fields = {"id_number": value, "husband_id_number": value}
            assert subjects_for_fields(fields, CITIZEN) == {CITIZEN: "dossier"}, family


def test_a_scan_whose_ocr_reads_a_foreign_digit_id_stays_with_the_dossiers_citizen(
    app: tuple[TestClient, Settings],
) -> None:
    """The fault pipeline reads a 12-digit run from the file name, as OCR reads a page: with
    Arabic-Indic digits, the document goes to the dossier's citizen; no new store appears."""
    client, settings = app
    clerk = _auth(settings, "clerk", "clerk-lan")
    dossier = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
        headers=clerk,
    ).json()["id"]
    before = _citizens(settings)
    for seed, family in enumerate(FAMILIES):
        r = client.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": (f"ks_{FOREIGN[family]}.png", good_png(seed=700 + seed), "image/png")},
            headers=clerk,
        )
        assert r.status_code == 202, r.text
        component = r.json()["id"]
        deadline = time.monotonic() + 30
        while (body := client.get(f"/api/v1/components/{component}", headers=clerk).json())[
            "status"
        ] not in ("done", "failed"):
            assert time.monotonic() < deadline, body
            time.sleep(0.05)
        assert body["status"] == "done", body
        for document in body["documents"]:
            assert document["citizen_id_number"] == CITIZEN, (family, document)
            assert document["subject_id_numbers"] == [CITIZEN], (family, document)
    assert _citizens(settings) == before | {CITIZEN}
