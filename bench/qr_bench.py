"""QR decoders compared on card photos: which one reads the citizen card's QR code.

    python -m bench.qr_bench [--photos ../shared/real-photos] [--generated DIR ...]

Decoders: zxing-cpp, OpenCV's ``QRCodeDetector`` and ``QRCodeDetectorAruco``, and OpenCV's
WeChat decoder (opencv-contrib, run without its CNN models, which are not shipped). Each
gets the same ladder of attempts on the grey page: as it is, halved, doubled, and turned by
45° (a card held at an angle); the first attempt whose text parses as a card's QR payload
counts. The pages:

* real photos (``--photos``, read at run time, never copied): the card pages of
  ``truth.json`` whose QR code is printed on the photographed side (2021 fronts, 2024
  backs); a page counts as decodable when any decoder reads it (hand-checked: one QR is
  too blurred for any), and only counts and rates are printed;
* generated card photos (``--generated``: sample sets of ``python -m samples generate``):
  every page whose ``expected.json`` holds a ``qr_payload``; the decoded text must equal it.

Prints, per decoder: pages read of the real and of the generated set, and the CPU seconds
per page (median), with the attempt that succeeded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

from core.card_qr import read_card_qr

_REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTOS = _REPO.parent / "shared" / "real-photos"

_IMAGES = (".jpg", ".png", ".tif")  # PDFs are left out: their page is rendered, not read
Decoder = Callable[[np.ndarray], str | None]


def _zxing(gray: np.ndarray) -> str | None:
    found = zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return next((str(r.text) for r in found if r.text), None)


def _opencv(gray: np.ndarray) -> str | None:
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    except cv2.error:
        return None
    return str(text) or None


def _opencv_aruco(gray: np.ndarray) -> str | None:
    try:
        text, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(gray)
    except (cv2.error, AttributeError):
        return None
    return str(text) or None


_WECHAT: list[Any] = []


def _wechat(gray: np.ndarray) -> str | None:
    if not _WECHAT:
        _WECHAT.append(cv2.wechat_qrcode_WeChatQRCode())  # type: ignore[attr-defined]
    try:
        texts, _ = _WECHAT[0].detectAndDecode(gray)
    except cv2.error:
        return None
    return next((str(t) for t in texts if t), None)


DECODERS: dict[str, Decoder] = {
    "zxing-cpp": _zxing,
    "OpenCV QRCodeDetector": _opencv,
    "OpenCV QRCodeDetectorAruco": _opencv_aruco,
}
if hasattr(cv2, "wechat_qrcode_WeChatQRCode"):
    DECODERS["OpenCV WeChat (no CNN)"] = _wechat


def _turned(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * s + w * c), int(h * c + w * s)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(gray, m, (nw, nh), borderValue=255)


def _scaled(gray: np.ndarray, f: float) -> np.ndarray:
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=interp)


ATTEMPTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "as is": lambda g: g,
    "halved": lambda g: _scaled(g, 0.5),
    "doubled": lambda g: _scaled(g, 2.0) if max(g.shape) <= 3000 else g,
    "turned 45°": lambda g: _turned(g, 45.0),
}


def _read(decoder: Decoder, gray: np.ndarray) -> tuple[str | None, str | None, float]:
    """(text, attempt that read it, CPU seconds spent)."""
    start = time.process_time()
    for name, view in ATTEMPTS.items():
        text = decoder(view(gray))
        if text and read_card_qr(text) is not None:
            return text, name, time.process_time() - start
    return None, None, time.process_time() - start


def real_pages(folder: Path) -> list[Path]:
    """Card pages whose photographed side carries the QR code (2021 fronts, 2024 backs)."""
    truth_path = folder / "truth.json"
    if not truth_path.is_file():
        return []
    truth = json.loads(truth_path.read_text())
    out = []
    for name, t in sorted(truth.items()):
        want = t.get("doc_type", "")
        front_2021 = want == "citizen_id_front" and "2016" not in name
        back_2024 = want == "citizen_id_back" and "2024" in name
        if (front_2021 or back_2024) and (folder / name).is_file():
            out.append(folder / name)
    return out


def generated_pages(folders: list[Path]) -> list[tuple[Path, str]]:
    out = []
    for folder in folders:
        for exp in sorted(folder.glob("citizen_id_*.expected.json")):
            docs = json.loads(exp.read_text()).get("documents") or [{}]
            payload = docs[0].get("qr_payload")
            stem = exp.name.removesuffix(".expected.json")
            scan = next(
                (folder / f"{stem}{e}" for e in _IMAGES if (folder / f"{stem}{e}").is_file()), None
            )
            if payload and scan is not None:
                out.append((scan, str(payload)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=Path, default=DEFAULT_PHOTOS)
    ap.add_argument("--generated", type=Path, nargs="*", default=[_REPO / "samples" / "data"])
    args = ap.parse_args(argv)
    real = real_pages(args.photos)
    generated = generated_pages(args.generated)
    rows = []
    for name, decoder in DECODERS.items():
        real_ok, gen_ok, cpu = 0, 0, []
        attempts: dict[str, int] = {}
        for path in real:
            gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            text, how, spent = _read(decoder, gray)
            cpu.append(spent)
            real_ok += text is not None
            if how:
                attempts[how] = attempts.get(how, 0) + 1
        for path, payload in generated:
            gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            text, how, spent = _read(decoder, gray)
            cpu.append(spent)
            gen_ok += text == payload
            if how:
                attempts[how] = attempts.get(how, 0) + 1
        median = statistics.median(cpu) if cpu else 0.0
        how_text = ", ".join(f"{k} {v}" for k, v in sorted(attempts.items()))
        rows.append(
            f"| {name} | {real_ok}/{len(real)} | {gen_ok}/{len(generated)} "
            f"| {median:.2f} | {how_text or '–'} |"
        )
    print(
        "| decoder | real card photos read | generated card photos read (text exact) "
        "| CPU-s/page (median) | read at attempt |\n|---|---|---|---|---|"
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
