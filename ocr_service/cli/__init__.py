"""The ``sohoa`` command line: one group, one module per command family."""

from __future__ import annotations

import importlib
import logging
import sys

import click

__all__ = ["main"]

# Each module defines a click command or group named ``command``; imported lazily so that
# `sohoa token issue` does not load the OCR models.
_COMMANDS = {
    "ocr": "ocr_service.cli.ocr",
    "extract": "ocr_service.cli.extract",
    "population": "ocr_service.cli.population",
    "serve": "ocr_service.cli.serve",
    "worker": "ocr_service.cli.worker",
    "token": "ocr_service.cli.token",
    "pki": "ocr_service.cli.pki",
    "digitize": "ocr_service.cli.digitize",
    "user": "ocr_service.cli.user",
    "watch": "ocr_service.cli.watch",
    "search": "ocr_service.cli.search",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = _COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(module_name)
        cmd: click.Command = module.command
        return cmd


@click.group(cls=_LazyGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
def cli(verbose: bool) -> None:
    """sohoa: digitize dossiers at the one-stop counter (số hóa hồ sơ)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    from pydantic import ValidationError

    try:
        cli(prog_name="sohoa")
    except ValidationError as exc:  # the configuration (SOHOA_*) refused: say why, exit 2
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()))
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            click.echo(f"error: {f'{where}: ' if where else ''}{message}", err=True)
        sys.exit(2)
