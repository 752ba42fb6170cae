"""`sohoa population import FILE.csv`: load register rows (upsert by id number)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.group(name="population")
def command() -> None:
    """The population register (CSDLQG về dân cư) used to verify documents."""


@command.command(name="import")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
def import_csv(csv_file: Path) -> None:
    """Upsert register rows from FILE.csv (UTF-8, header
    id_number,full_name,date_of_birth,sex,ethnicity,nationality,place_of_origin,place_of_residence).

    Rows are keyed by id_number: a known id is updated, a new one inserted. Each bad row is
    reported on stderr with its line number and reason; the good rows are still imported,
    all in one transaction (nothing half-written).

    \b
    Exit codes: 0 all rows imported; 2 the file is unreadable or not a valid CSV (nothing
    imported), or at least one row was bad (the good rows were imported); 1 other errors
    (e.g. the database is unavailable; nothing imported).
    """
    # imported here, not at the top: `sohoa --help` imports every command module, and these
    # load SQLAlchemy
    from storage.population import open_register, parse_register_csv

    try:
        try:
            data = csv_file.read_bytes()
        except OSError as exc:
            click.echo(f"error: cannot read {csv_file}: {exc.strerror}", err=True)
            sys.exit(2)
        rows, bad = parse_register_csv(data)
        for err in bad:
            click.echo(f"{csv_file.name}:{err.line}: {err.reason}", err=True)
        count = open_register(get_settings()).upsert(rows)
    except SohoaError as exc:
        click.echo(f"error: {csv_file.name}: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    click.echo(
        f"imported {count} rows into the population register"
        + (f"; {len(bad)} bad rows skipped" if bad else ""),
        err=True,
    )
    if bad:
        sys.exit(2)
