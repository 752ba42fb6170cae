"""Identifiers typed or read by people: ASCII digits only (số định danh cá nhân).

``str.isdigit()``, ``int()`` and the ``\\d`` of Python's and pydantic's regular expressions
all accept Arabic-Indic (``٠١٢``), full-width (``０１２``), mathematical (``𝟎𝟏𝟐``) and other
Unicode digits. An id number spelled with them would be a different string from the same
number in ASCII: a second citizen with a second store. Every entry point checks with these.
"""

from __future__ import annotations

from typing import TypeGuard

__all__ = ["ID_NUMBER_PATTERN", "ID_NUMBER_LENGTH", "is_ascii_digits", "is_id_number"]

ID_NUMBER_LENGTH = 12
# For pydantic/FastAPI ``pattern=``: their ``\d`` is Unicode-aware, ``[0-9]`` is not.
ID_NUMBER_PATTERN = rf"^[0-9]{{{ID_NUMBER_LENGTH}}}$"


def is_ascii_digits(value: object, length: int | None = None) -> TypeGuard[str]:
    """True when ``value`` is a non-empty str of ASCII ``0``-``9`` only (of ``length`` if given)."""
    if not isinstance(value, str) or not value or not value.isascii() or not value.isdigit():
        return False
    return length is None or len(value) == length


def is_id_number(value: object) -> TypeGuard[str]:
    """A 12-digit personal id number (CCCD), in ASCII digits."""
    return is_ascii_digits(value, ID_NUMBER_LENGTH)
