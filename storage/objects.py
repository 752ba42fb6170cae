"""Durable, content-addressed object storage for scans and derived artefacts (kho lưu trữ).

Keys are ``<kind>/<sha256>`` (``scans/…`` for what the counter uploaded, ``pages/…`` for the
preprocessed page images, ``pdf/…`` for searchable PDFs). An object is written once, its
checksum verified after the write, and never overwritten or deleted by processing: a second
``put`` of the same key is a no-op. Any failure to reach the store is a
``StorageUnavailableError`` so the caller can answer 503 with nothing half-recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, runtime_checkable

from core.errors import (
    InsufficientStorageError,
    NotFoundError,
    SohoaError,
    StorageUnavailableError,
    storage_error,
)
from core.settings import Settings
from storage.sealed import (
    HEADER,
    MAGIC,
    SealError,
    is_sealed,
    open_chunks,
    seal_chunks,
    sealed_size_to_plain,
)
from storage.tempfiles import OBJECT_TMP_PREFIX

__all__ = [
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectStore",
    "S3ObjectStore",
    "object_key",
    "open_object_store",
    "sha256_hex",
]

_CHUNK = 1024 * 1024
# MinIO's answers when its drives or the bucket's quota are full
_S3_FULL = frozenset({"XMinioStorageFull", "XMinioAdminBucketQuotaExceeded"})

log = logging.getLogger(__name__)


def _missing(key: str) -> NotFoundError:
    """A key the database names is not in the store (the key is logged, never answered)."""
    log.warning("object %s is not in the store", key)
    return NotFoundError("The stored file is missing; ask the operator to check the store.")


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_key(kind: str, sha256: str) -> str:
    """The content address of an object: ``scans/<sha256>``, ``pdf/<sha256>``…"""
    if not kind.isidentifier() or len(sha256) != 64:
        raise ValueError(f"bad object key parts: {kind!r}, {sha256!r}")
    return f"{kind}/{sha256}"


def _hash_file(path: Path) -> tuple[str, str, int]:
    """sha256, md5 and size of a file, read in chunks."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), md5.hexdigest(), size


def _same_size(info: ObjectInfo, size: int) -> ObjectInfo:
    """An object already under this key must be this content; a different size means damage."""
    if info.size != size:
        log.error("stored object %s: size %d, expected %d", info.key, info.size, size)
        raise StorageUnavailableError(
            "A stored copy of this content is damaged; ask the operator to check the store."
        )
    return info


@runtime_checkable
class ObjectStore(Protocol):
    """Where bytes live. ``data`` is the bytes themselves or a path to a (temp) file."""

    def put(self, key: str, data: bytes | Path, *, sha256: str) -> ObjectInfo: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def stat(self, key: str) -> ObjectInfo: ...


def _check_input(data: bytes | Path, sha256: str) -> tuple[str, int]:
    """Refuse to store bytes that do not hash to the declared sha256; return (md5, size)."""
    if isinstance(data, bytes):
        actual, md5, size = (
            sha256_hex(data),
            hashlib.md5(data, usedforsecurity=False).hexdigest(),
            len(data),
        )
    else:
        actual, md5, size = _hash_file(data)
    if actual != sha256:
        raise ValueError(f"content hashes to {actual}, not the declared {sha256}")
    return md5, size


class LocalObjectStore:
    """A folder: temp file + fsync + atomic rename, so a crash never leaves half an object.

    With ``encryption_key`` every object is sealed with AES-256-GCM (``storage.sealed``),
    transparently: callers put and get plaintext, keys stay the plaintext's sha256, and
    objects stored before the key was set are still read as they are.
    """

    def __init__(self, root: Path, *, encryption_key: bytes | None = None) -> None:
        self.root = Path(root)
        self._key = encryption_key

    def _write(self, out: BinaryIO, key: str, data: bytes | Path) -> None:
        with contextlib.ExitStack() as stack:
            source: bytes | BinaryIO = (
                data if isinstance(data, bytes) else stack.enter_context(data.open("rb"))
            )
            if self._key is not None:
                for piece in seal_chunks(self._key, key, source):
                    out.write(piece)
            elif isinstance(source, bytes):
                out.write(source)
            else:
                while chunk := source.read(_CHUNK):
                    out.write(chunk)

    def _plain_hash(self, path: Path, key: str) -> tuple[str, int]:
        """sha256 and size of what ``path`` holds, opened if sealed."""
        if self._key is None:
            sha, _, size = _hash_file(path)
            return sha, size
        hasher, size = hashlib.sha256(), 0
        with path.open("rb") as fh:
            for chunk in open_chunks(self._key, key, fh):
                hasher.update(chunk)
                size += len(chunk)
        return hasher.hexdigest(), size

    def _path(self, key: str) -> Path:
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError(f"bad object key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes | Path, *, sha256: str) -> ObjectInfo:
        _, size = _check_input(data, sha256)
        target = self._path(key)
        try:
            if target.exists():  # content-addressed: same key, same bytes; never overwrite
                return _same_size(self.stat(key), size)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=OBJECT_TMP_PREFIX, dir=target.parent)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out:
                    self._write(out, key, data)
                    out.flush()
                    os.fsync(out.fileno())
                # verify what reached the disk before it becomes visible under its key
                written, written_size = self._plain_hash(tmp, key)
                if written != sha256 or written_size != size:
                    raise StorageUnavailableError(
                        "The stored copy does not match the upload; nothing was saved. Try again."
                    )
                # link fails if another writer got there first: never overwrite
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except SohoaError:
            raise
        except OSError as exc:  # a full disk is 507, anything else 503; never the path
            log.error("object store write failed: %s", exc)
            raise storage_error(
                exc, f"The document store is not writable ({exc.strerror}); nothing was saved."
            ) from exc
        return ObjectInfo(key=key, size=size, sha256=sha256)

    def get(self, key: str) -> bytes:
        try:
            with self._path(key).open("rb") as fh:
                if not is_sealed(fh.read(len(MAGIC))):
                    fh.seek(0)
                    return fh.read()
                if self._key is None:
                    log.error("object %s is encrypted and no key is configured", key)
                    raise StorageUnavailableError(
                        "The stored file is encrypted and the server has no key for it; ask "
                        "the operator to set SOHOA_STORAGE_ENCRYPTION_KEY."
                    )
                fh.seek(0)
                return b"".join(open_chunks(self._key, key, fh))
        except SealError as exc:
            log.error("object %s does not open: %s", key, exc)
            raise StorageUnavailableError(
                "A stored file is damaged or was sealed with another key; ask the operator "
                "to check the store."
            ) from exc
        except FileNotFoundError as exc:
            raise _missing(key) from exc
        except OSError as exc:
            log.error("object store read failed: %s", exc)
            raise storage_error(exc) from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                if is_sealed(fh.read(HEADER)):
                    size = sealed_size_to_plain(size)
        except FileNotFoundError as exc:
            raise _missing(key) from exc
        except OSError as exc:
            log.error("object store stat failed: %s", exc)
            raise storage_error(exc) from exc
        name = key.rsplit("/", 1)[-1]
        return ObjectInfo(key=key, size=size, sha256=name if len(name) == 64 else None)


class S3ObjectStore:
    """An S3 bucket (MinIO in production, moto in tests) through the ``minio`` SDK."""

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str | None,
        secret_key: str | None,
        bucket: str,
        secure: bool = False,
        region: str | None = None,
        encryption: Literal["none", "sse-s3", "sse-c"] = "none",
        encryption_key: bytes | None = None,
    ) -> None:
        import urllib3
        from minio import Minio
        from minio.sse import Sse, SseCustomerKey, SseS3

        host = endpoint.removeprefix("http://").removeprefix("https://").rstrip("/")
        secure = secure or endpoint.startswith("https://")
        # Fail fast when the store is down instead of retrying for minutes inside a request.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3, read=30),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
        )
        self.client = Minio(
            host,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        self.bucket = bucket
        self._bucket_ready = False
        # Server-side encryption at rest: S3's own keys (SSE-S3) or ours sent with each
        # request (SSE-C, which S3 accepts over https only; its ETag is then not the MD5).
        self._sse: Sse | None = None
        self._ssec: SseCustomerKey | None = None
        if encryption == "sse-s3":
            self._sse = SseS3()
        elif encryption == "sse-c":
            if encryption_key is None:
                raise ValueError("SSE-C needs a 32-byte key")
            self._sse = self._ssec = SseCustomerKey(encryption_key)

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        if not self.client.bucket_exists(self.bucket):
            try:
                self.client.make_bucket(self.bucket)
            except Exception as exc:  # a concurrent creator is fine
                if "BucketAlreadyOwnedByYou" not in str(exc) and "BucketAlreadyExists" not in str(
                    exc
                ):
                    raise
        self._bucket_ready = True

    def _unavailable(self, exc: Exception) -> StorageUnavailableError:
        """The operator's log names the endpoint and the error; the caller's answer does not."""
        log.error("object store at %s: %s: %s", self.client._base_url.host, type(exc).__name__, exc)
        if getattr(exc, "code", None) in _S3_FULL:
            return InsufficientStorageError()
        return StorageUnavailableError(
            f"The object store is unavailable ({type(exc).__name__}); nothing was saved. "
            "Try again shortly."
        )

    def put(self, key: str, data: bytes | Path, *, sha256: str) -> ObjectInfo:
        md5, size = _check_input(data, sha256)
        try:
            self._ensure_bucket()
            if self.exists(key):  # content-addressed: never overwrite
                return _same_size(self.stat(key), size)
            part_size = max(5 * 1024 * 1024, size)  # one PUT, so the ETag is the MD5
            if isinstance(data, bytes):
                result = self.client.put_object(
                    self.bucket,
                    key,
                    io.BytesIO(data),
                    size,
                    metadata={"sha256": sha256},
                    part_size=part_size,
                    sse=self._sse,
                )
            else:
                with data.open("rb") as fh:
                    result = self.client.put_object(
                        self.bucket,
                        key,
                        fh,
                        size,
                        metadata={"sha256": sha256},
                        part_size=part_size,
                        sse=self._sse,
                    )
            etag = (result.etag or "").strip('"')
            info = self.stat(key)
        except SohoaError:
            raise
        except Exception as exc:
            raise self._unavailable(exc) from exc
        if (etag != md5 and self._ssec is None) or info.size != size:
            # our own write arrived damaged: remove it so the next try can store it afresh
            with contextlib.suppress(Exception):
                self.client.remove_object(self.bucket, key)
            raise StorageUnavailableError(
                "The stored copy does not match the upload (checksum differs); try again."
            )
        return info

    def get(self, key: str) -> bytes:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, key, ssec=self._ssec)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchBucket"):
                raise _missing(key) from exc
            raise self._unavailable(exc) from exc
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except NotFoundError:
            return False
        return True

    def stat(self, key: str) -> ObjectInfo:
        from minio.error import S3Error

        try:
            st = self.client.stat_object(self.bucket, key, ssec=self._ssec)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchBucket", "NoSuchObject", "ResourceNotFound"):
                raise _missing(key) from exc
            raise self._unavailable(exc) from exc
        except Exception as exc:
            raise self._unavailable(exc) from exc
        meta = {k.lower(): v for k, v in (st.metadata or {}).items()}
        sha = meta.get("x-amz-meta-sha256")
        return ObjectInfo(key=key, size=int(st.size or 0), sha256=sha)


def open_object_store(settings: Settings) -> ObjectStore:
    """S3/MinIO when ``SOHOA_S3_ENDPOINT`` is set, else the local folder under the data dir."""
    if settings.s3_endpoint:
        secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
        return S3ObjectStore(
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=secret,
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
            encryption=settings.s3_encryption,
            encryption_key=settings.storage_key(),
        )
    return LocalObjectStore(settings.objects_dir, encryption_key=settings.storage_key())
