"""Where the login page may send the browser next: a path on this site, nothing else.

``/dang-nhap?next=...`` is attacker-controlled. Browsers drop tabs and newlines from URLs and
read ``\\`` as ``/``, so ``/\\t/evil.example`` or ``/\\evil.example`` become ``//evil.example``
(another origin). The rule is strict rather than clever: a single leading ``/``, no control
character, no backslash, no scheme or host, before and after percent-decoding.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

__all__ = ["MAX_NEXT_LENGTH", "safe_next_path"]

MAX_NEXT_LENGTH = 2000


def _is_plain_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith("//"):
        return False
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\\" for c in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next_path(raw: str | None) -> str | None:
    """``raw`` when it is a same-origin path (``/ho-so/abc?x=1``), else None."""
    if not raw or len(raw) > MAX_NEXT_LENGTH:
        return None
    if not _is_plain_path(raw) or not _is_plain_path(unquote(raw)):
        return None
    return raw
