"""`sohoa token issue`: print a bearer token for a role (for the counter's set-up and tests)."""

from __future__ import annotations

import sys

import click

from core.errors import SohoaError
from core.settings import get_settings
from ocr_service.auth import ROLES, issue_token

__all__ = ["command"]


@click.group(name="token")
def command() -> None:
    """Bearer tokens for the HTTP API."""


@command.command(name="issue")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Who the token is for.")
@click.option("--subject", required=True, help="User name; for a citizen, the 12-digit id number.")
@click.option("--ttl", type=click.IntRange(min=1), default=None, help="Lifetime in seconds.")
def issue(role: str, subject: str, ttl: int | None) -> None:
    """Print a signed token (JWT HS256, SOHOA_SECRET_KEY) on stdout."""
    try:
        click.echo(issue_token(get_settings(), role=role, subject=subject, ttl_seconds=ttl))
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
