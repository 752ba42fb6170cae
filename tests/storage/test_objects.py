"""The object store: content-addressed, verified, never overwritten; failures are 503s."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from core.errors import NotFoundError, StorageUnavailableError
from storage.objects import LocalObjectStore, ObjectStore, S3ObjectStore, object_key, sha256_hex
from tests.api.service_env import free_port, s3_endpoint  # noqa: F401


def _roundtrip(store: ObjectStore, tmp_path: Path) -> None:
    data = b"scan bytes \x00\xff" * 1000
    sha = sha256_hex(data)
    key = object_key("scans", sha)
    assert not store.exists(key)
    info = store.put(key, data, sha256=sha)
    assert info.size == len(data)
    assert store.get(key) == data and store.exists(key)
    assert store.stat(key).size == len(data)
    # idempotent; a second put of the same key changes nothing
    assert store.put(key, data, sha256=sha).size == len(data)
    # from a file (the upload path)
    f = tmp_path / "upload.bin"
    other = b"another scan" * 5000
    f.write_bytes(other)
    k2 = object_key("scans", sha256_hex(other))
    store.put(k2, f, sha256=sha256_hex(other))
    assert store.get(k2) == other
    # bytes that do not match their declared hash are refused before anything is written
    with pytest.raises(ValueError):
        store.put(object_key("scans", "0" * 64), b"x", sha256="0" * 64)
    assert not store.exists(object_key("scans", "0" * 64))
    with pytest.raises(NotFoundError):
        store.get(object_key("scans", "1" * 64))


def test_local_store_roundtrip_and_layout(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    _roundtrip(store, tmp_path)
    files = [p for p in (tmp_path / "objects").rglob("*") if p.is_file()]
    assert all(p.parent.name == "scans" and len(p.name) == 64 for p in files)
    assert not [p for p in files if p.name.startswith(".tmp-")]


def test_local_store_never_overwrites(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    data = b"original"
    key = object_key("pdf", sha256_hex(data))
    store.put(key, data, sha256=sha256_hex(data))
    (tmp_path / key).chmod(0o444)
    before = (tmp_path / key).stat().st_mtime_ns
    store.put(key, data, sha256=sha256_hex(data))
    assert (tmp_path / key).stat().st_mtime_ns == before


def test_local_store_unwritable_is_storage_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "objects"
    blocker.write_bytes(b"a file where the folder should be")
    store = LocalObjectStore(blocker)
    with pytest.raises(StorageUnavailableError):
        store.put(object_key("scans", sha256_hex(b"x")), b"x", sha256=sha256_hex(b"x"))


def test_object_keys_are_content_addresses() -> None:
    sha = hashlib.sha256(b"a").hexdigest()
    assert object_key("scans", sha) == f"scans/{sha}"
    with pytest.raises(ValueError):
        object_key("scans", "short")
    with pytest.raises(ValueError):
        LocalObjectStore(Path("/tmp"))._path("../etc/passwd")


@pytest.mark.services
def test_s3_store_roundtrip_against_moto(s3_endpoint: str, tmp_path: Path) -> None:  # noqa: F811
    store = S3ObjectStore(
        endpoint=s3_endpoint,
        access_key="testing",
        secret_key="testing-secret",
        bucket=f"t-{uuid.uuid4().hex[:10]}",
    )
    _roundtrip(store, tmp_path)
    data = b"checked"
    key = object_key("pages", sha256_hex(data))
    store.put(key, data, sha256=sha256_hex(data))
    assert store.stat(key).sha256 == sha256_hex(data)  # the checksum travels as metadata


def test_s3_store_down_is_storage_unavailable() -> None:
    store = S3ObjectStore(
        endpoint=f"http://127.0.0.1:{free_port()}",
        access_key="a",
        secret_key="b",
        bucket="nothing-listens",
    )
    with pytest.raises(StorageUnavailableError):
        store.put(object_key("scans", sha256_hex(b"x")), b"x", sha256=sha256_hex(b"x"))
    with pytest.raises(StorageUnavailableError):
        store.get(object_key("scans", sha256_hex(b"x")))


def test_local_store_refuses_a_copy_that_does_not_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What reached the disk is re-read and hashed; a mismatch stores nothing."""
    import storage.objects as objects

    monkeypatch.setattr(objects, "_hash_file", lambda path: ("f" * 64, "", 1))
    store = LocalObjectStore(tmp_path)
    data = b"scan"
    key = object_key("scans", sha256_hex(data))
    with pytest.raises(StorageUnavailableError):
        store.put(key, data, sha256=sha256_hex(data))
    assert not store.exists(key)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # temp file removed too


@pytest.mark.services
def test_s3_store_refuses_a_copy_whose_etag_differs(
    s3_endpoint: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = S3ObjectStore(
        endpoint=s3_endpoint,
        access_key="testing",
        secret_key="testing-secret",
        bucket=f"t-{uuid.uuid4().hex[:10]}",
    )
    real_put = store.client.put_object

    def corrupting_put(bucket, key, stream, length, **kw):  # type: ignore[no-untyped-def]
        import io

        body = bytearray(stream.read())
        body[0] ^= 0xFF  # a bit flipped on the way
        return real_put(bucket, key, io.BytesIO(bytes(body)), length, **kw)

    monkeypatch.setattr(store.client, "put_object", corrupting_put)
    data = b"scan bytes"
    key = object_key("scans", sha256_hex(data))
    with pytest.raises(StorageUnavailableError, match="checksum"):
        store.put(key, data, sha256=sha256_hex(data))
    assert not store.exists(key)  # the damaged copy is not left under the content address
    monkeypatch.setattr(store.client, "put_object", real_put)
    store.put(key, data, sha256=sha256_hex(data))
    assert store.get(key) == data
