"""The SHA-256 of every file of a generated set, to compare two runs byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}
