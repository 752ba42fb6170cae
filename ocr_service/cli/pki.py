"""`sohoa pki demo [DIR]`: a demo PKI (signing CA, a clerk's certificate, a TSA) for signed copies."""

from __future__ import annotations

from pathlib import Path

import click

from core.settings import get_settings
from ocr_service.copies.pki import write_demo_pki

__all__ = ["command"]


@click.group(name="pki")
def command() -> None:
    """Certificates for signing digitized copies (ký số bản số hóa)."""


@command.command(name="demo")
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option("--clerk", default="Cán bộ một cửa (demo)", help="The clerk's name (CN).")
@click.option(
    "--password",
    default=None,
    help="Password of the .p12 files (default: a random one, printed).",
)
def demo(directory: Path | None, clerk: str, password: str | None) -> None:
    """Write ca.pem, clerk.p12, tsa.p12 and crl.pem into DIRECTORY and print the SOHOA_*
    settings that use them. Every certificate says O=sohoa demo: production refuses them.

    Without DIRECTORY: into <SOHOA_DATA_DIR>/demo-pki, with the password kept beside the files,
    where the embedded default (development, SOHOA_SIGNING_BACKEND unset) finds it and signs
    approved copies; an existing one is kept, so copies it signed stay trusted."""
    if directory is None:
        target = get_settings().demo_pki_dir
        if (target / "clerk.p12").is_file() and (target / "password").is_file():
            click.echo(f"# demo PKI already in {target} (kept; remove the folder to renew it)")
            return
        pki = write_demo_pki(target, clerk_name=clerk, password=password, keep_password=True)
        click.echo(f"# demo PKI in {pki.directory} (O=sohoa demo: refused outside development)")
        click.echo("# the embedded default signs approved copies with it (development only)")
        return
    pki = write_demo_pki(directory, clerk_name=clerk, password=password)
    click.echo(f"# demo PKI in {pki.directory} (O=sohoa demo: refused outside development)")
    for key, value in pki.env().items():
        click.echo(f"{key}='{value}'")
