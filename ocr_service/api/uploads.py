"""Streamed multipart upload: the scan goes to a temp file while it is hashed and counted.

Nothing is held in memory and an oversized body is refused as soon as it passes the limit
(413). The file type is decided from the content's first bytes, never from the name.
The body is read asynchronously, but parsing, hashing and writing each chunk (and the final
fsync) run in the thread pool, so a large upload never stalls the event loop: other requests
are answered while it streams in.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from core.errors import (
    EmptyFileError,
    FileTooLargeError,
    InvalidInputError,
    MalformedRequestError,
    UnsupportedFileError,
    storage_error,
)
from core.ids import is_ascii_digits
from ocr_service.pages import sniff
from storage.tempfiles import UPLOAD_PREFIX, UPLOAD_SUFFIX

__all__ = ["UPLOAD_BODY", "Upload", "receive_upload", "sniff_content_type"]

# ``openapi_extra=`` of a route taking one file as ``file`` (FastAPI cannot see the streamed body)
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


_FIELD = "file"
_MAX_OTHER_FIELDS_BYTES = 64 * 1024
_MULTIPART_OVERHEAD = 64 * 1024
# RFC 2046 allows 70; browsers, curl and httpx send 30-60. python-multipart refuses > 256.
_MAX_BOUNDARY = 200


_MIME = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
}


def sniff_content_type(head: bytes) -> str | None:
    """The scan's type from its magic bytes, by the OCR core's own sniffer, else None."""
    try:
        return _MIME[sniff(head)]
    except InvalidInputError:
        return None


def _safe_filename(raw: str) -> str:
    """The client's file name as a display label: base name, printable, never a path.

    NUL and control characters are dropped (PostgreSQL refuses NUL in text; newlines would
    forge log lines), and ``.``/``..`` become ``scan``.
    """
    base = Path(raw.replace("\\", "/")).name
    name = "".join(ch for ch in base if ch.isprintable()).strip()[:300]
    return name if name not in ("", ".", "..") else "scan"


@dataclass
class Upload:
    path: Path
    filename: str
    size: int
    sha256: str
    content_type: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class _Collector:
    """Callbacks for python-multipart's push parser: keep the ``file`` part, bounded."""

    def __init__(self, max_bytes: int, tmp_dir: Path) -> None:
        self.max_bytes = max_bytes
        self.tmp_dir = tmp_dir
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.current_is_file = False
        self.seen_file = False
        self.other_bytes = 0
        self.fh: tempfile._TemporaryFileWrapper[bytes] | None = None
        self.hasher = hashlib.sha256()
        self.size = 0
        self.head = b""
        self.filename = ""

    # header callbacks
    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.strip().lower()] = self.header_value.strip()
        self.header_field = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self.current_is_file = name == _FIELD and not self.seen_file
        if self.current_is_file:
            self.seen_file = True
            raw = options.get(b"filename", b"scan").decode("utf-8", "replace")
            self.filename = _safe_filename(raw)
            self.fh = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in finish/abort)
                dir=self.tmp_dir, prefix=UPLOAD_PREFIX, suffix=UPLOAD_SUFFIX, delete=False
            )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if not self.current_is_file:
            self.other_bytes += len(chunk)
            if self.other_bytes > _MAX_OTHER_FIELDS_BYTES:
                raise InvalidInputError("Only the multipart field `file` is expected.")
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise FileTooLargeError(
                f"The file is larger than the {self.max_bytes // (1024 * 1024)} MiB upload "
                "limit; rescan at a lower resolution or split it."
            )
        if len(self.head) < 2048:
            self.head += chunk[: 2048 - len(self.head)]
        self.hasher.update(chunk)
        assert self.fh is not None
        self.fh.write(chunk)

    def on_part_end(self) -> None:
        self.current_is_file = False

    def close(self) -> Path | None:
        if self.fh is None:
            return None
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        return Path(self.fh.name)

    def abort(self) -> None:
        """Remove the partial file, whatever failed (closing a file on a full disk can fail)."""
        if self.fh is not None:
            try:
                self.fh.close()
            except OSError:
                pass
            finally:
                Path(self.fh.name).unlink(missing_ok=True)


async def receive_upload(request: Request, *, max_bytes: int, tmp_dir: Path) -> Upload:
    """Read the multipart body of ``request``; refuse it (4xx) before storing anything."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise InvalidInputError("Send the scan as multipart/form-data with the field `file`.")
    length = request.headers.get("content-length")
    if is_ascii_digits(length) and int(length) > max_bytes + _MULTIPART_OVERHEAD:
        raise FileTooLargeError(
            f"The file is larger than the {max_bytes // (1024 * 1024)} MiB upload limit; "
            "rescan at a lower resolution or split it."
        )
    boundary = params[b"boundary"]
    if not 1 <= len(boundary) <= _MAX_BOUNDARY:  # RFC 2046: 1-70; the parser allows 256
        raise MalformedRequestError(
            f"The multipart boundary must be 1 to {_MAX_BOUNDARY} characters (RFC 2046 allows 70); "
            "send the scan as an ordinary multipart/form-data upload."
        )
    try:
        tmp_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc) from exc
    collector = _Collector(max_bytes, tmp_dir)
    try:
        parser = MultipartParser(
            boundary,
            callbacks={  # type: ignore[arg-type]
                "on_part_begin": collector.on_part_begin,
                "on_part_data": collector.on_part_data,
                "on_part_end": collector.on_part_end,
                "on_header_field": collector.on_header_field,
                "on_header_value": collector.on_header_value,
                "on_header_end": collector.on_header_end,
                "on_headers_finished": collector.on_headers_finished,
            },
        )
    except Exception as exc:  # the parser refuses the boundary itself
        raise MalformedRequestError() from exc
    try:
        async for chunk in request.stream():
            if chunk:  # hashing and disk writes happen in the callbacks: off the event loop
                await run_in_threadpool(parser.write, chunk)
        parser.finalize()
    except InvalidInputError:
        await run_in_threadpool(collector.abort)
        raise
    except OSError as exc:  # writing the temp file: our disk, not the caller's mistake
        await run_in_threadpool(collector.abort)
        raise storage_error(exc) from exc
    except Exception as exc:
        await run_in_threadpool(collector.abort)
        raise InvalidInputError(f"The multipart body could not be read ({exc}).") from exc
    except BaseException:  # cancelled (client gone, server stopping): leave no temp file
        collector.abort()
        raise
    try:
        path = await run_in_threadpool(collector.close)
    except OSError as exc:  # the final flush/fsync (a full disk shows here too)
        await run_in_threadpool(collector.abort)
        raise storage_error(exc) from exc
    if path is None:
        raise InvalidInputError("The multipart field `file` is missing; attach the scan as `file`.")
    if collector.size == 0:
        path.unlink(missing_ok=True)
        raise EmptyFileError()
    kind = sniff_content_type(collector.head)
    if kind is None:
        path.unlink(missing_ok=True)
        raise UnsupportedFileError(
            "This file is not a JPEG, PNG, TIFF, WebP, HEIC or PDF (checked from its content); "
            "upload the scan in one of those formats."
        )
    return Upload(
        path=path,
        filename=collector.filename,
        size=collector.size,
        sha256=collector.hasher.hexdigest(),
        content_type=kind,
    )
