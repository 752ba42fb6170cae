"""`sohoa search reindex`: a name imported into the register after the dossier was opened is
found once the entries are written again."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from storage.db import session_scope
from storage.population import PopulationRow
from storage.search import search_dossiers
from tests.ocr_service.cli.test_watch import _open, _sohoa


def test_reindex_picks_up_names_imported_later(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    dossier_id, _ = _open(settings)
    url = settings.effective_database_url
    with session_scope(url) as s:  # as `sohoa population import` writes the register (Core)
        s.execute(
            PopulationRow.__table__.insert().values(  # type: ignore[attr-defined]
                id_number="001192012345",
                full_name="Lò Văn Páo",
                date_of_birth="1992-02-02",
                sex="Nam",
            )
        )
    with session_scope(url) as s:
        assert search_dossiers(s, q="lo van pao").ids == []
    run = _sohoa("search", "reindex", data=settings.data_dir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1 search entries written"
    with session_scope(url) as s:
        assert search_dossiers(s, q="lo van pao").ids == [dossier_id]
