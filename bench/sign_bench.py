"""What the signed copy costs per document: QR code, PDF/A conversion and signature.

    python -m bench.sign_bench [--rounds 15] [--pages 1 2] [--dpi 200] [--out bench/out]

A typical copy: 1 or 2 A4 pages scanned at 200 dpi (colour first page, JPEG as
``searchable_pdf`` writes it) with an invisible text layer and the code stamp. Each round
times, on a warm process, adding the QR code, converting to PDF/A-2b, and signing with the
clerk's key from a PKCS#12 file and from a SoftHSM2 token (a temporary token; SOFTHSM2_CONF is
set for this process before the PKCS#11 library loads), then verifying. Reports the median
and the worst of the rounds (wall seconds), and the first, cold signature apart (fonts and
HarfBuzz load once per process). Target: QR + PDF/A + signature ≤ 0.5 s per document.
Writes sign_bench.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.records import OcrLine, PageText, ProcessedPage

__all__ = ["main"]

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")


def _pages(count: int, dpi: int) -> list[Any]:
    import cv2
    import numpy as np

    out = []
    for n in range(count):
        w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
        image = np.full((h, w, 3), 250, np.uint8)
        lines = []
        for i in range(30):  # a page of text, as OCR finds it
            y = round(h * 0.08) + i * round(dpi * 0.33)
            text = f"Dòng {i + 1}: Họ và tên Lê Thị Hoa, sinh ngày 01/02/2003 tại Hà Nội"
            cv2.putText(image, text.encode("ascii", "ignore").decode(), (round(w * 0.08), y),
                        cv2.FONT_HERSHEY_SIMPLEX, dpi / 240, (30, 30, 30), 2)  # fmt: skip
            box = ((w * 0.08, y - dpi * 0.12), (w * 0.9, y - dpi * 0.12), (w * 0.9, y + 6),
                   (w * 0.08, y + 6))  # fmt: skip
            lines.append(OcrLine(text, box, 0.99))
        if n == 0:
            cv2.circle(image, (round(w * 0.7), round(h * 0.85)), dpi // 2, (40, 40, 200), 8)
        noise = np.random.default_rng(n).integers(0, 16, size=image.shape, dtype=np.uint8)
        page = PageText(n + 1, w, h, lines)
        out.append(ProcessedPage("bench.png", n + 1, cv2.subtract(image, noise), page, dpi))
    return out


def _softhsm(directory: Path, key_pem: bytes, cert_der: bytes) -> dict[str, str] | None:
    if not SOFTHSM_MODULE.is_file() or not shutil.which("pkcs11-tool"):
        return None
    (directory / "tokens").mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library when it first loads
    (directory / "k.pem").write_bytes(key_pem)
    (directory / "c.der").write_bytes(cert_der)
    for args in (
        ["softhsm2-util", "--init-token", "--free", "--label", "bench", "--so-pin", "1111",
         "--pin", "2222"],
        ["softhsm2-util", "--import", str(directory / "k.pem"), "--token", "bench", "--label",
         "clerk", "--id", "01", "--pin", "2222"],
        ["pkcs11-tool", "--module", str(SOFTHSM_MODULE), "--token-label", "bench", "--login",
         "--pin", "2222", "--write-object", str(directory / "c.der"), "--type", "cert",
         "--label", "clerk", "--id", "01"],
    ):  # fmt: skip
        subprocess.run(args, check=True, capture_output=True, timeout=60)
    (directory / "k.pem").unlink()
    return {"label": "bench", "pin": "2222"}


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args(argv)

    from cryptography.hazmat.primitives import serialization
    from pydantic import SecretStr

    from ocr_service.copies import pki
    from ocr_service.copies.pdfa import to_pdfa
    from ocr_service.copies.qr import QrPayload, add_qr_to_pdf
    from ocr_service.copies.signing import (
        Pkcs11CopySigner,
        Pkcs12CopySigner,
        SignatureState,
        Trust,
        sign_copy,
        verify_copy,
    )
    from ocr_service.searchable_pdf import make_searchable_pdf

    work = Path(tempfile.mkdtemp(prefix="sohoa-sign-bench-"))
    try:
        ca = pki.new_ca()
        clerk = pki.issue(ca, "Cán bộ một cửa (bench)")
        (work / "clerk.p12").write_bytes(pki.pkcs12_bytes(clerk, [ca.cert], "bench"))
        trust = Trust.of([ca.cert], [pki.make_crl(ca).public_bytes(serialization.Encoding.DER)])
        key_pem = clerk.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        token = _softhsm(work / "hsm", key_pem, clerk.cert.public_bytes(serialization.Encoding.DER))
        signers: dict[str, Any] = {
            "PKCS#12": Pkcs12CopySigner(work / "clerk.p12", SecretStr("bench"))
        }
        if token:
            signers["SoftHSM2 (PKCS#11)"] = Pkcs11CopySigner(
                SOFTHSM_MODULE, token["label"], SecretStr(token["pin"]), "clerk"
            )
        payload = QrPayload(
            "000.00.00.H49-261123-0007", "1.001193", "001192012345", "Giấy khai sinh", "sohoa",
            datetime.now(UTC),
        )  # fmt: skip
        rows = []
        for pages in args.pages:
            searchable = make_searchable_pdf(_pages(pages, args.dpi), first_page_stamp="SH-X")
            for name, signer in signers.items():
                cold, _ = _timed(
                    lambda s=signer, p=searchable: sign_copy(to_pdfa(p), s, trust, role="Cán bộ")
                )
                times: dict[str, list[float]] = {"qr": [], "pdfa": [], "sign": [], "verify": []}
                for _ in range(args.rounds):
                    t_qr, with_qr = _timed(lambda p=searchable: add_qr_to_pdf(p, payload))
                    t_a, copy = _timed(lambda q=with_qr: to_pdfa(q, title="Giấy khai sinh"))
                    t_s, signed = _timed(
                        lambda c=copy, s=signer: sign_copy(c, s, trust, role="Cán bộ tiếp nhận")
                    )
                    t_v, status = _timed(lambda d=signed: verify_copy(d, trust))
                    assert status.state is SignatureState.VALID
                    for key, value in zip(times, (t_qr, t_a, t_s, t_v), strict=True):
                        times[key].append(value)
                total = [sum(parts) for parts in zip(times["qr"], times["pdfa"], times["sign"],
                                                     strict=True)]  # fmt: skip
                rows.append(
                    {
                        "pages": pages,
                        "signer": name,
                        "size_kb": len(searchable) / 1024,
                        **{k: statistics.median(v) for k, v in times.items()},
                        "total": statistics.median(total),
                        "worst": max(total),
                        "cold": cold,
                    }
                )
                print(rows[-1], file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    header = (
        "| pages | signer | PDF size | QR | PDF/A | signature | QR + PDF/A + signature "
        "(median) | worst | first signature (cold) | verification |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r['pages']} | {r['signer']} | {r['size_kb']:.0f} KB | {r['qr']:.3f} s | "
        f"{r['pdfa']:.3f} s | {r['sign']:.3f} s | **{r['total']:.3f} s** | {r['worst']:.3f} s "
        f"| {r['cold']:.3f} s | {r['verify']:.3f} s |\n"
        for r in rows
    )
    text = (
        f"# sign_bench: {args.rounds} rounds, A4 at {args.dpi} dpi, wall seconds, "
        f"{datetime.now(UTC):%Y-%m-%d}\n\n{header}{body}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sign_bench.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
