"""Staff accounts (tài khoản cán bộ): an administrator lists, creates, disables, enables them
and resets their passwords. Every change is audited; a disabled account's sessions end."""

from __future__ import annotations

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from ocr_service.accounts import (
    MAX_PASSWORD,
    STAFF_ROLES,
    create_account,
    set_account_disabled,
    set_password,
)
from ocr_service.api.deps import AdminUser, RequestId, SessionDep, SettingsDep
from ocr_service.api.schemas import Timestamp, error_responses
from ocr_service.auth import Principal
from storage.accounts import list_accounts
from storage.models import StaffAccount
from storage.repository import append_audit

__all__ = ["router"]

router = APIRouter(prefix="/accounts", tags=["accounts"])

_USERNAME_PATH = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")


class AccountPublic(BaseModel):
    """A staff account as the administrator sees it (never its password hash)."""

    model_config = ConfigDict(extra="forbid")

    username: str
    role: str
    disabled: bool
    created_by: str
    created_at: Timestamp
    password_changed_at: Timestamp
    last_sign_in_at: Timestamp | None


class AccountsPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accounts: list[AccountPublic]


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    role: str = Field(description=f"One of {', '.join(STAFF_ROLES)}.", max_length=20)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


def _public(account: StaffAccount) -> AccountPublic:
    return AccountPublic(
        username=account.username,
        role=account.role,
        disabled=account.disabled,
        created_by=account.created_by,
        created_at=account.created_at,
        password_changed_at=account.password_changed_at,
        last_sign_in_at=account.last_sign_in_at,
    )


def _audit(
    session: SessionDep, user: Principal, action: str, username: str, request_id: str
) -> None:
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action=action,
        request_id=request_id,
        detail={"username": username},
    )


@router.get("", responses=error_responses(401, 403, 404))
def accounts(session: SessionDep, user: AdminUser) -> AccountsPublic:
    """Every staff account, by user name."""
    return AccountsPublic(accounts=[_public(a) for a in list_accounts(session)])


@router.post("", status_code=201, responses=error_responses(400, 401, 403, 404, 409, 413, 422))
def create(
    body: AccountCreate,
    session: SessionDep,
    settings: SettingsDep,
    user: AdminUser,
    request_id: RequestId,
) -> AccountPublic:
    """A new staff account (cán bộ tiếp nhận, cán bộ xử lý or quản trị)."""
    account = create_account(
        session,
        settings,
        username=body.username,
        role=body.role,
        password=body.password,
        by=user.subject,
    )
    _audit(session, user, "account.create", account.username, request_id)
    session.commit()
    return _public(account)


@router.post("/{username}/disable", responses=error_responses(401, 403, 404, 409, 422))
def disable(
    session: SessionDep,
    user: AdminUser,
    request_id: RequestId,
    username: str = _USERNAME_PATH,
) -> AccountPublic:
    """Disable an account: it can no longer sign in, its sessions and tokens end now."""
    account = set_account_disabled(session, username=username, disabled=True, by=user.subject)
    _audit(session, user, "account.disable", account.username, request_id)
    session.commit()
    return _public(account)


@router.post("/{username}/enable", responses=error_responses(401, 403, 404, 422))
def enable(
    session: SessionDep,
    user: AdminUser,
    request_id: RequestId,
    username: str = _USERNAME_PATH,
) -> AccountPublic:
    """Enable a disabled account again."""
    account = set_account_disabled(session, username=username, disabled=False, by=user.subject)
    _audit(session, user, "account.enable", account.username, request_id)
    session.commit()
    return _public(account)


@router.post("/{username}/password", responses=error_responses(400, 401, 403, 404, 413, 422))
def reset_password(
    body: PasswordReset,
    session: SessionDep,
    settings: SettingsDep,
    user: AdminUser,
    request_id: RequestId,
    username: str = _USERNAME_PATH,
) -> AccountPublic:
    """Set a new password (a reset); the account's page sessions end, its lock-out is lifted."""
    account = set_password(session, settings, username=username, password=body.password)
    _audit(session, user, "account.password", account.username, request_id)
    session.commit()
    return _public(account)
