"""`sohoa search reindex`: write every dossier's and document's search entry again.

Entries follow their records by themselves (``storage.search``); a dossier's entry also holds
its citizen's name from the population register, which changes only by `sohoa population
import`: run this after an import to find dossiers by the names just imported.
"""

from __future__ import annotations

import sys

import click

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.group(name="search")
def command() -> None:
    """Search entries (tra cứu)."""


@command.command(name="reindex")
def reindex() -> None:
    """Write the search entries of every dossier and document again; prints how many."""
    from storage.db import get_engine
    from storage.repository import init_db
    from storage.search import rebuild

    settings = get_settings()
    url = settings.effective_database_url
    try:
        init_db(url)
        with get_engine(url).begin() as conn:
            written = rebuild(conn)
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    click.echo(f"{written} search entries written")
