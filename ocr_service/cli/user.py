"""`sohoa user add|disable|enable|password|list|demo`: staff accounts for the web pages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy.orm import Session

from core.errors import SohoaError
from core.settings import Settings, get_settings
from ocr_service.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    STAFF_ROLES,
    create_account,
    set_account_disabled,
    set_password,
)
from storage.accounts import find_account, list_accounts
from storage.db import session_scope
from storage.repository import append_audit, init_db

__all__ = ["command"]

# Who the audit log names for a change made on the server's command line.
_CLI_ACTOR = "cli"
T = TypeVar("T")


@contextmanager
def _db() -> Iterator[tuple[Session, Settings]]:
    settings = get_settings()
    url = settings.effective_database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    init_db(url)
    with session_scope(url) as session:
        yield session, settings


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)


def _password(given: str | None) -> str:
    if given is not None:
        return given
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def _audit(session: Session, action: str, username: str) -> None:
    append_audit(
        session, actor=_CLI_ACTOR, role="admin", action=action, detail={"username": username}
    )


@click.group(name="user")
def command() -> None:
    """Staff accounts (tài khoản cán bộ) that sign in to the web pages."""


@command.command(name="add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES), help="The staff role.")
@click.option(
    "--password",
    default=None,
    help="The password (default: asked for on the terminal, not echoed).",
)
def add(username: str, role: str, password: str | None) -> None:
    """Create the account USERNAME (lower-case letters, digits, '.', '_', '-')."""
    secret = _password(password)

    def run() -> None:
        with _db() as (session, settings):
            account = create_account(
                session, settings, username=username, role=role, password=secret, by=_CLI_ACTOR
            )
            _audit(session, "account.create", account.username)
            click.echo(f"created {account.username} ({account.role})")

    _run(run)


def _set_disabled(username: str, disabled: bool) -> None:
    def run() -> None:
        with _db() as (session, _settings):
            account = set_account_disabled(
                session, username=username, disabled=disabled, by=_CLI_ACTOR
            )
            _audit(session, "account.disable" if disabled else "account.enable", account.username)
            click.echo(f"{'disabled' if disabled else 'enabled'} {account.username}")

    _run(run)


@command.command(name="disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME: no more sign-in; its page sessions and bearer tokens end now."""
    _set_disabled(username, True)


@command.command(name="enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable USERNAME again."""
    _set_disabled(username, False)


@command.command(name="password")
@click.argument("username")
@click.option("--password", default=None, help="The new password (default: asked for).")
def password(username: str, password: str | None) -> None:
    """Set a new password for USERNAME (its page sessions end, a lock-out is lifted)."""
    secret = _password(password)

    def run() -> None:
        with _db() as (session, settings):
            account = set_password(session, settings, username=username, password=secret)
            _audit(session, "account.password", account.username)
            click.echo(f"password of {account.username} changed")

    _run(run)


@command.command(name="list")
def list_() -> None:
    """Every account: user name, role, state."""
    with _db() as (session, _settings):
        for account in list_accounts(session):
            state = "disabled" if account.disabled else "active"
            click.echo(f"{account.username}\t{account.role}\t{state}")


@command.command(name="demo")
def demo() -> None:
    """Create the demo accounts (one per role, password sohoa-demo-2026); an existing one is
    kept as it is. Development only: refused in production, like the demo secret and PKI."""
    settings = get_settings()
    if settings.is_production:
        click.echo(
            "error: demo accounts have a published password; they are refused outside "
            "development (create real ones with `sohoa user add`)",
            err=True,
        )
        sys.exit(2)

    def run() -> None:
        with _db() as (session, settings):
            for username, role in DEMO_ACCOUNTS:
                if find_account(session, username=username) is not None:
                    click.echo(f"kept {username} ({role})")
                    continue
                create_account(
                    session,
                    settings,
                    username=username,
                    role=role,
                    password=DEMO_PASSWORD,
                    by=_CLI_ACTOR,
                )
                _audit(session, "account.create", username)
                click.echo(f"created {username} ({role}), password {DEMO_PASSWORD}")

    _run(run)
