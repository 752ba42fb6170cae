"""Scans and copies encrypted at rest: the local store seals objects with AES-256-GCM (key from
Settings), MinIO/S3 encrypts them server-side (SSE-S3, SSE-C); callers see plaintext, and
keys stay the plaintext's sha256."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from core.errors import StorageUnavailableError
from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import issue_token
from storage.objects import LocalObjectStore, S3ObjectStore, object_key, sha256_hex
from storage.sealed import MAGIC
from tests.api.service_env import s3_endpoint  # noqa: F401
from tests.hostile.corpus import good_png
from tests.storage.test_objects import _roundtrip

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def test_local_sealed_store_roundtrip_and_nothing_readable_on_disk(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    store = LocalObjectStore(root, encryption_key=KEY)
    _roundtrip(store, tmp_path)
    big = os.urandom(3 * 1024 * 1024 + 17)  # several chunks, from a file (the upload path)
    source = tmp_path / "big.bin"
    source.write_bytes(big)
    key = object_key("scans", sha256_hex(big))
    assert store.put(key, source, sha256=sha256_hex(big)).size == len(big)
    assert store.get(key) == big and store.stat(key).size == len(big)
    plain = b"scan bytes \x00\xff" * 1000
    for path in (p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        assert raw.startswith(MAGIC), path
        assert plain[:64] not in raw and big[:64] not in raw
        assert sha256_hex(raw) != path.name  # the file is not the content its name hashes


def test_objects_stored_before_the_key_stay_readable(tmp_path: Path) -> None:
    data = b"stored before encryption was switched on"
    key = object_key("pdf", sha256_hex(data))
    LocalObjectStore(tmp_path).put(key, data, sha256=sha256_hex(data))
    sealed = LocalObjectStore(tmp_path, encryption_key=KEY)
    assert sealed.get(key) == data and sealed.stat(key).size == len(data)


def test_sealed_objects_refuse_a_missing_or_wrong_key_or_tampering(tmp_path: Path) -> None:
    data = b"a birth certificate" * 100
    key = object_key("scans", sha256_hex(data))
    LocalObjectStore(tmp_path, encryption_key=KEY).put(key, data, sha256=sha256_hex(data))
    for store in (LocalObjectStore(tmp_path), LocalObjectStore(tmp_path, encryption_key=OTHER_KEY)):
        with pytest.raises(StorageUnavailableError) as err:
            store.get(key)
        assert str(tmp_path) not in err.value.message and key not in err.value.message
    path = tmp_path / key
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(raw))
    with pytest.raises(StorageUnavailableError):
        LocalObjectStore(tmp_path, encryption_key=KEY).get(key)
    # a sealed object moved under another key does not open either
    other = b"x"
    other_key = object_key("scans", sha256_hex(other))
    store = LocalObjectStore(tmp_path, encryption_key=KEY)
    store.put(other_key, other, sha256=sha256_hex(other))
    moved = object_key("scans", sha256_hex(b"y"))
    (tmp_path / moved).write_bytes((tmp_path / other_key).read_bytes())
    with pytest.raises(StorageUnavailableError):
        store.get(moved)


def test_the_key_setting_is_checked_at_start(tmp_path: Path) -> None:
    for bad in ("short", "zz" * 32, "QUJD"):
        with pytest.raises(ValidationError, match="SOHOA_STORAGE_ENCRYPTION_KEY"):
            Settings(data_dir=tmp_path, storage_encryption_key=SecretStr(bad))
    with pytest.raises(ValidationError, match="SOHOA_STORAGE_ENCRYPTION_KEY"):
        Settings(data_dir=tmp_path, s3_encryption="sse-c")
    with pytest.raises(ValidationError, match="https"):
        Settings(
            data_dir=tmp_path,
            secret_key=SecretStr("production-like-secret-0123456789abcdef"),
            s3_endpoint="http://minio:9000",
            s3_encryption="sse-c",
            storage_encryption_key=SecretStr(KEY.hex()),
        )


@pytest.fixture
def sealed_app(tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    settings = Settings(
        data_dir=tmp_path / "data",
        secret_key=SecretStr("encryption-tests-secret-0123456789abcdef"),
        storage_encryption_key=SecretStr(KEY.hex()),
    )
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        yield c, settings


def test_the_service_is_transparent_over_a_sealed_store(
    sealed_app: tuple[TestClient, Settings],
) -> None:
    client, settings = sealed_app
    citizen = "001192012345"
    clerk = {"Authorization": f"Bearer {issue_token(settings, role='clerk', subject='lan')}"}
    dossier = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.001612", "citizen_id_number": citizen},
        headers=clerk,
    ).json()["id"]
    png = good_png(seed=1501)
    r = client.post(
        f"/api/v1/dossiers/{dossier}/components",
        files={"file": (f"ks_{citizen}.png", png, "image/png")},
        headers=clerk,
    )
    assert r.status_code == 202, r.text
    assert r.json()["component"]["sha256"] == sha256_hex(png)  # the plaintext's hash
    comp = r.json()["id"]
    deadline = time.monotonic() + 30
    while (body := client.get(f"/api/v1/components/{comp}", headers=clerk).json())[
        "status"
    ] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert body["status"] == "done", body
    [doc] = body["documents"]
    pdf = client.get(f"/api/v1/documents/{doc['id']}/file", headers=clerk)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    image = client.get(f"/api/v1/components/{comp}/pages/1/image", headers=clerk)
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    scan = settings.objects_dir / "scans" / sha256_hex(png)
    assert scan.read_bytes().startswith(MAGIC) and png[:64] not in scan.read_bytes()
    stored = [p for p in settings.objects_dir.rglob("*") if p.is_file()]
    assert len(stored) >= 3 and all(p.read_bytes().startswith(MAGIC) for p in stored)


def _s3(endpoint: str, **kwargs: Any) -> S3ObjectStore:
    return S3ObjectStore(
        endpoint=endpoint,
        access_key="testing",
        secret_key="testing-secret",
        bucket=f"t-{uuid.uuid4().hex[:10]}",
        **kwargs,
    )


@pytest.mark.services
def test_sse_s3_against_moto(s3_endpoint: str, tmp_path: Path) -> None:  # noqa: F811
    import boto3

    store = _s3(s3_endpoint, encryption="sse-s3")
    _roundtrip(store, tmp_path)
    data = b"encrypted by the server"
    key = object_key("pdf", sha256_hex(data))
    store.put(key, data, sha256=sha256_hex(data))
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
        region_name="us-east-1",
    )
    head = s3.head_object(Bucket=store.bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    plain = _s3(s3_endpoint)  # without the option: no encryption header
    plain.put(key, data, sha256=sha256_hex(data))
    assert "ServerSideEncryption" not in s3.head_object(Bucket=plain.bucket, Key=key)


def test_sse_c_sends_the_key_with_every_request() -> None:
    """S3 takes SSE-C over https only, which moto here does not serve: the calls are recorded."""
    store = _s3("https://127.0.0.1:1", encryption="sse-c", encryption_key=KEY)
    calls: list[tuple[str, Any]] = []

    class Result:
        etag = '"not-the-md5-with-sse-c"'

    class Stat:
        size = 4
        metadata: dict[str, str] = {}

    class Body:
        def read(self) -> bytes:
            return b"scan"

        def close(self) -> None: ...

        def release_conn(self) -> None: ...

    stats = iter([StorageUnavailableError, Stat, Stat])

    def stat_object(bucket: str, key: str, ssec: Any = None) -> Any:
        calls.append(("stat", ssec))
        result = next(stats)
        if result is StorageUnavailableError:
            from minio.error import S3Error

            raise S3Error(None, "NoSuchKey", "no", "r", "h", "i")  # type: ignore[arg-type]
        return result

    def put_object(*args: Any, **kwargs: Any) -> Any:
        calls.append(("put", kwargs.get("sse")))
        return Result()

    def get_object(bucket: str, key: str, ssec: Any = None) -> Any:
        calls.append(("get", ssec))
        return Body()

    store._bucket_ready = True
    store.client.stat_object = stat_object  # type: ignore[method-assign]
    store.client.put_object = put_object  # type: ignore[method-assign]
    store.client.get_object = get_object  # type: ignore[method-assign]
    key = object_key("scans", sha256_hex(b"scan"))
    assert store.put(key, b"scan", sha256=sha256_hex(b"scan")).size == 4
    assert store.get(key) == b"scan"
    assert [c[0] for c in calls] == ["stat", "put", "stat", "get"]
    from minio.sse import SseCustomerKey

    assert all(isinstance(c[1], SseCustomerKey) for c in calls)
