"""Bearer tokens (JWT HS256) and the four roles: clerk, officer, citizen, admin.

A clerk (cán bộ tiếp nhận) opens dossiers and uploads scans; an officer (cán bộ xử lý)
reads and reuses documents; a citizen (công dân) sees only their own; an admin reads the
audit log. For a citizen the token's subject is their 12-digit id number.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Literal, get_args

import jwt

from core.errors import AuthenticationError, InvalidInputError
from core.ids import is_id_number
from core.settings import Settings

__all__ = ["ROLES", "Principal", "Role", "decode_token", "issue_token"]

Role = Literal["clerk", "officer", "citizen", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's role and subject, its id and lifetime (for revocation)."""

    role: Role
    subject: str
    token_id: str | None = None
    issued_at: int = 0
    expires_at: int = 0
    # "session": a page session (HttpOnly cookie, ocr_service.accounts), "bearer": a token
    via: Literal["bearer", "session"] = "bearer"

    @property
    def is_staff(self) -> bool:
        return self.role in ("clerk", "officer", "admin")


def issue_token(
    settings: Settings, *, role: str, subject: str, ttl_seconds: int | None = None
) -> str:
    if role not in ROLES:
        raise InvalidInputError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    subject = subject.strip()
    if not subject:
        raise InvalidInputError("The subject must not be empty.")
    if role == "citizen" and not is_id_number(subject):
        raise InvalidInputError("A citizen's subject is their 12-digit id number.")
    now = int(time.time())
    ttl = settings.token_ttl_seconds if ttl_seconds is None else ttl_seconds
    if ttl > settings.token_max_ttl_seconds:
        raise InvalidInputError(
            f"A token may live at most {settings.token_max_ttl_seconds} s "
            "(SOHOA_TOKEN_MAX_TTL_SECONDS); ask for a shorter lifetime."
        )
    claims = {
        "sub": subject,
        "role": role,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=_ALGORITHM)


def decode_token(settings: Settings, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[_ALGORITHM],
            options={"require": ["exp", "iat", "sub", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("The token has expired; ask for a new one.") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationError() from exc
    issued_at, expires_at, token_id = claims["iat"], claims["exp"], claims["jti"]
    if float(expires_at) - float(issued_at) > settings.token_max_ttl_seconds:
        # correctly signed, but longer-lived than any token sohoa issues (e.g. exp in 9999)
        raise AuthenticationError("The token lives longer than allowed; ask for a new one.")
    if not isinstance(token_id, str) or not 1 <= len(token_id) <= 64:
        raise AuthenticationError("The token has no usable id (jti); ask for a new one.")
    role, subject = claims.get("role"), claims.get("sub")
    if role not in ROLES or not isinstance(subject, str) or not subject:
        raise AuthenticationError("The token does not name a known role and subject.")
    if role == "citizen" and not is_id_number(subject):
        raise AuthenticationError("A citizen's token must name a 12-digit (ASCII) id number.")
    return Principal(
        role=role,
        subject=subject,
        token_id=token_id,
        issued_at=int(issued_at),
        expires_at=int(expires_at),
    )
