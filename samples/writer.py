"""Writes page images as JPEG, PNG, TIFF (multi-page) or an image-only scanned PDF."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from PIL import Image

__all__ = ["write_file", "pdf_from_images"]


def _pil(img: np.ndarray) -> Image.Image:
    return Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))


def pdf_from_images(pages: list[tuple[np.ndarray, int]], quality: int = 85) -> bytes:
    """An image-only PDF (like a scanner's): one DCT-encoded image per page at its dpi."""
    pdf = pikepdf.Pdf.new()
    for img, dpi in pages:
        h, w = img.shape[:2]
        buf = io.BytesIO()
        _pil(img).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
        xobj = pikepdf.Stream(pdf, buf.getvalue())
        xobj.Type = pikepdf.Name.XObject
        xobj.Subtype = pikepdf.Name.Image
        xobj.Width, xobj.Height = w, h
        xobj.ColorSpace = pikepdf.Name.DeviceRGB
        xobj.BitsPerComponent = 8
        xobj.Filter = pikepdf.Name.DCTDecode
        wpt, hpt = w * 72.0 / dpi, h * 72.0 / dpi
        content = pikepdf.Stream(pdf, f"q {wpt:.3f} 0 0 {hpt:.3f} 0 0 cm /Im0 Do Q".encode())
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, wpt, hpt],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobj)),
            Contents=content,
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, static_id=True, deterministic_id=False)
    return out.getvalue()


def write_file(
    stem: Path, fmt: str, pages: list[tuple[np.ndarray, int]], *, quality: int = 90, seed: int = 0
) -> str:
    """Write `stem.<ext>`; several pages force PDF/TIFF. Returns the file name written."""
    if len(pages) > 1 and fmt in ("jpg", "png"):
        fmt = "pdf" if seed % 2 else "tif"
    path = stem.with_suffix("." + fmt)
    if fmt == "pdf":
        path.write_bytes(pdf_from_images(pages, quality=min(quality, 88)))
    elif fmt == "tif":
        ims = [_pil(img) for img, _ in pages]
        dpi = pages[0][1]
        if quality < 90:  # small committed sets: JPEG-in-TIFF, as many scanners write
            ims[0].save(
                path,
                "TIFF",
                compression="jpeg",
                quality=quality,
                save_all=True,
                append_images=ims[1:],
                dpi=(dpi, dpi),
            )
        else:
            ims[0].save(
                path,
                "TIFF",
                compression="tiff_lzw",
                save_all=True,
                append_images=ims[1:],
                dpi=(dpi, dpi),
            )
    elif fmt == "png":
        _pil(pages[0][0]).save(
            path, "PNG", dpi=(pages[0][1],) * 2, optimize=False, compress_level=1
        )
    else:
        _pil(pages[0][0]).save(path, "JPEG", quality=quality, dpi=(pages[0][1],) * 2)
    return path.name
