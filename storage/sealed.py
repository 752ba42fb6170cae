"""Objects sealed at rest with AES-256-GCM (the local store's encryption, mã hóa khi lưu trữ).

The format streams, so a 50 MB scan is never held whole to be written: a header (magic and an
8-byte random nonce prefix) then the plaintext in 1 MiB chunks, each sealed with the nonce
``prefix || chunk index`` and, as associated data, the object's key, the chunk's index and
whether it is the last. A chunk moved, dropped, swapped with another object's or cut off at
the end fails to open. The key (32 bytes) is ``Settings.storage_key()``.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "HEADER",
    "MAGIC",
    "SealError",
    "is_sealed",
    "open_chunks",
    "seal_chunks",
    "sealed_size_to_plain",
]

MAGIC = b"SOHOA-AESGCM1\n"
_PREFIX = 8
_CHUNK = 1024 * 1024
_TAG = 16
HEADER = len(MAGIC) + _PREFIX


class SealError(Exception):
    """A sealed object that does not open: wrong key, damaged or tampered with."""


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _aad(key_name: str, index: int, last: bool) -> bytes:
    return key_name.encode() + b"\0" + struct.pack(">I?", index, last)


def _chunks_of(source: BinaryIO | bytes) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for i in range(0, len(source), _CHUNK):
            yield source[i : i + _CHUNK]
        return
    while chunk := source.read(_CHUNK):
        yield chunk


def seal_chunks(key: bytes, key_name: str, source: BinaryIO | bytes) -> Iterator[bytes]:
    """The sealed object, piece by piece: header, then each sealed chunk."""
    aead, prefix = AESGCM(key), os.urandom(_PREFIX)
    yield MAGIC + prefix
    index, pending = 0, b""
    started = False
    for chunk in _chunks_of(source):
        if started:
            yield aead.encrypt(
                prefix + struct.pack(">I", index), pending, _aad(key_name, index, False)
            )
            index += 1
        pending, started = chunk, True
    # the last chunk (empty for empty content) carries the end marker
    yield aead.encrypt(prefix + struct.pack(">I", index), pending, _aad(key_name, index, True))


def open_chunks(key: bytes, key_name: str, sealed: BinaryIO) -> Iterator[bytes]:
    """The plaintext of a sealed object, chunk by chunk; ``SealError`` if it does not open."""
    header = sealed.read(HEADER)
    if len(header) != HEADER or not is_sealed(header):
        raise SealError("not a sealed object")
    aead, prefix = AESGCM(key), header[len(MAGIC) :]
    index = 0
    piece = sealed.read(_CHUNK + _TAG)
    while True:
        following = sealed.read(_CHUNK + _TAG)
        last = not following
        if len(piece) < _TAG:
            raise SealError("truncated")
        try:
            yield aead.decrypt(
                prefix + struct.pack(">I", index), piece, _aad(key_name, index, last)
            )
        except InvalidTag as exc:
            raise SealError("does not open (wrong key, damaged or tampered)") from exc
        if last:
            return
        piece, index = following, index + 1


def sealed_size_to_plain(size: int) -> int:
    """The plaintext size of a sealed object of ``size`` bytes."""
    body = max(0, size - HEADER)
    chunks = max(1, -(-body // (_CHUNK + _TAG)))
    return max(0, body - chunks * _TAG)
