"""The counter's settings: the receipt's agency and place, the holidays of the return date."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings


def test_holidays_are_iso_or_yearly_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(data_dir=tmp_path).holidays == ["01-01", "04-30", "05-01", "09-02"]
    monkeypatch.setenv("SOHOA_HOLIDAYS", '["2027-02-08", "02-29"]')
    assert Settings(data_dir=tmp_path).holidays == ["2027-02-08", "02-29"]
    for bad in (["13-01"], ["2027-02-30"], ["tet"], ["2027/02/08"]):
        with pytest.raises(ValidationError, match="SOHOA_HOLIDAYS"):
            Settings(data_dir=tmp_path, holidays=bad)


def test_the_receipt_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_AGENCY_NAME", "UBND xã A")
    monkeypatch.setenv("SOHOA_RECEIPT_PLACE", "Bắc Ninh")
    settings = Settings(data_dir=tmp_path)
    assert (settings.agency_name, settings.receipt_place) == ("UBND xã A", "Bắc Ninh")
