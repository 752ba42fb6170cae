"""Test kit for the digitized copy: a searchable PDF like the pipeline's, rasterising, QR reading."""

from __future__ import annotations

import io
import re
from typing import Any

import cv2
import numpy as np

from core.records import OcrLine, PageText, ProcessedPage
from ocr_service.searchable_pdf import make_searchable_pdf

__all__ = [
    "as_pdfa1",
    "decode_qr",
    "preflight",
    "preflight_available",
    "rasterise",
    "sample_searchable_pdf",
]

A4_MM = (210, 297)


def _page(number: int, dpi: int, colour: bool) -> ProcessedPage:
    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    image = np.full((h, w, 3), 255, np.uint8)
    lines = []
    rng = np.random.default_rng(number)
    for i, text in enumerate(
        ["GIAY KHAI SINH", "Ho va ten: Nguyen Van A", "Ngay sinh: 01/02/2003", f"Trang {number}"]
    ):
        y = round(h * 0.15) + i * round(dpi * 0.4)
        x = round(w * 0.12)
        cv2.putText(image, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, dpi / 110, (20, 20, 20), 2)
        tw = len(text) * round(dpi * 0.13)
        lines.append(
            OcrLine(
                f"{text} Đặng Thị Hằng",
                ((x, y - dpi * 0.2), (x + tw, y - dpi * 0.2), (x + tw, y + 8), (x, y + 8)),
                0.99,
            )
        )
    if colour:  # a red seal, so the page is kept in colour
        cv2.circle(image, (round(w * 0.7), round(h * 0.8)), round(dpi * 0.5), (30, 30, 200), 6)
    noise = rng.integers(0, 12, size=image.shape, dtype=np.uint8)
    image = cv2.subtract(image, noise)
    return ProcessedPage(
        source="sample.png", page=number, image=image, text=PageText(number, w, h, lines), dpi=dpi
    )


def sample_searchable_pdf(
    pages: int = 1, *, dpi: int = 150, stamp: str = "SH-20261123-7KQ2M9XD-R"
) -> bytes:
    """A searchable PDF as ``registration`` makes it: A4 scans, invisible text, the code stamp."""
    return make_searchable_pdf(
        [_page(i + 1, dpi, colour=i == 0) for i in range(pages)], first_page_stamp=stamp
    )


def rasterise(pdf_bytes: bytes, page: int = 0, dpi: int = 150) -> np.ndarray:
    """The page as a BGR image, rendered by PDFium."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        bitmap = doc[page].render(scale=dpi / 72)
        rgb = np.asarray(bitmap.to_pil().convert("RGB"))
    finally:
        doc.close()
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def decode_qr(image: np.ndarray) -> list[str]:
    """Texts of the QR codes zxing-cpp finds in the image."""
    import zxingcpp

    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


_JARS = [
    "preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api",
]  # fmt: skip


def preflight_available() -> bool:
    import shutil
    from pathlib import Path

    return shutil.which("java") is not None and all(
        (Path("/usr/share/java") / f"{jar}.jar").is_file() for jar in _JARS
    )


def as_pdfa1(pdf_bytes: bytes) -> bytes:
    """The same file relabelled PDF/A-1 (part 1, version 1.4, no object streams), rewritten
    whole, so that Apache PDFBox Preflight (a PDF/A-1b validator) can check it."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    xmp = pdf.Root.Metadata.read_bytes()
    # element form (ours) or attribute form (pyHanko's rewrite after signing)
    relabelled = re.sub(rb'(<pdfaid:part>|pdfaid:part=")2', rb"\g<1>1", xmp)
    assert relabelled != xmp, "no PDF/A-2 identification in the XMP"
    pdf.Root.Metadata.write(relabelled)
    out = io.BytesIO()
    pdf.save(out, force_version="1.4", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def preflight(pdf_bytes: bytes, tmp_dir: Any) -> tuple[bool, str]:
    """Run Debian's Apache PDFBox Preflight on the file: (valid, what it said)."""
    import subprocess

    path = tmp_dir / "preflight.pdf"
    path.write_bytes(pdf_bytes)
    classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in _JARS)
    proc = subprocess.run(
        ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = (proc.stdout + proc.stderr).strip()
    return "is a valid PDF/A-1b file" in said, said
