"""What signing adds to an approval through the API: ``POST /documents/{id}/approve`` timed.

    python -m bench.approve_bench [--rounds 15]

The embedded app (SQLite, local folder) with the fake pipeline (no OCR) registers one A4
page scanned at 150 dpi per document; each round approves one document with signing (the
demo PKI: QR code, PDF/A-2b, PAdES, storing the copy, verifying it) and one without (no
signer configured: approval as before). Then reads each signed document once
(``GET /documents/{id}``, which re-reads and re-hashes the copy; pyHanko's verdict cached).
Reports medians and worst cases (wall seconds) and the first, cold approval apart. Target
(issue #15): signing adds ≤ 0.5 s per document.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _app(data: Path, **settings: Any) -> Any:
    from fastapi.testclient import TestClient

    from core.settings import Settings
    from ocr_service.api import create_app
    from tests.api.service_env import Harness

    s = Settings(data_dir=data, **settings)
    client = TestClient(create_app(s, extractor="workers.faults:extract", backoff=[0]))
    client.__enter__()
    return Harness(client=client, settings=s)


def _documents(h: Any, n: int, seed: int) -> list[str]:
    from tests.api.service_env import png_bytes

    dossier = h.open_dossier()
    ids = []
    for i in range(n):
        r = h.upload(dossier, "ks_001192012345.png", png_bytes(1240, 1754, seed=seed + i))
        ids.append(h.wait(r.json()["id"])["documents"][0]["id"])
    return ids


def _approve(h: Any, doc: str, status: str) -> float:
    t0 = time.perf_counter()
    r = h.client.post(f"/api/v1/documents/{doc}/approve", headers=h.auth("clerk"))
    elapsed = time.perf_counter() - t0
    assert r.status_code == 200 and r.json()["signature"]["status"] == status, r.text
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)

    from pydantic import SecretStr

    from ocr_service.copies.pki import write_demo_pki

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pki = write_demo_pki(root / "pki")
        signing = {
            "signing_backend": "pkcs12",
            "signing_pkcs12_path": pki.clerk_p12,
            "signing_pkcs12_password": SecretStr(pki.password),
            "signing_trust_roots": pki.ca_cert,
            "signing_crls": [pki.crl],
        }
        signed_app, plain_app = _app(root / "signed", **signing), _app(root / "plain")
        signed_docs = _documents(signed_app, args.rounds + 1, 100)
        plain_docs = _documents(plain_app, args.rounds + 1, 500)
        cold = _approve(signed_app, signed_docs[0], "valid")
        _approve(plain_app, plain_docs[0], "unsigned")
        signed, plain, reads = [], [], []
        for s_doc, p_doc in zip(signed_docs[1:], plain_docs[1:], strict=True):
            signed.append(_approve(signed_app, s_doc, "valid"))
            plain.append(_approve(plain_app, p_doc, "unsigned"))
        for doc in signed_docs[1:]:
            t0 = time.perf_counter()
            r = signed_app.client.get(f"/api/v1/documents/{doc}", headers=signed_app.auth("clerk"))
            reads.append(time.perf_counter() - t0)
            assert r.json()["signature"]["status"] == "valid"
        for h in (signed_app, plain_app):
            h.client.__exit__(None, None, None)
    med = statistics.median
    print(f"approve, signed:   median {med(signed):.3f} s, worst {max(signed):.3f} s")
    print(f"approve, unsigned: median {med(plain):.3f} s, worst {max(plain):.3f} s")
    print(f"signing adds:      median {med(signed) - med(plain):.3f} s (target ≤ 0.5 s)")
    print(f"first (cold) signed approval: {cold:.3f} s")
    print(f"read of a signed document (re-hash, cached verdict): median {med(reads):.3f} s")


if __name__ == "__main__":
    main()
