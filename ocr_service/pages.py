"""Input file → page images. The type is sniffed from the content, never from the name.

JPEG, PNG and TIFF (every frame) are decoded with Pillow after checking the pixel count in
the header; PDF pages that are one scanned image are extracted losslessly with pikepdf,
other pages (born-digital, mixed) are rendered with pdfium.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr_service.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    ImageTooSmallError,
    TooManyPagesError,
    UnsupportedFileError,
)
from ocr_service.results import PageImage
from ocr_service.settings import Settings

__all__ = ["FileKind", "RENDER_DPI", "load_pages", "sniff"]

log = logging.getLogger(__name__)

FileKind = Literal["jpeg", "png", "tiff", "pdf"]
RENDER_DPI = 250  # born-digital PDF pages: enough for 10 pt text, small enough to be fast

_MAGIC: list[tuple[bytes, FileKind]] = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
]


def sniff(data: bytes, name: str = "file") -> FileKind:
    """The file's type from its first bytes; raises the taxonomy's errors."""
    if not data:
        raise EmptyFileError(
            f"{name}: the file is empty (0 bytes); scan the page again and upload the new file."
        )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    # PDF headers may be preceded by a little junk (the spec allows 1024 bytes).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedFileError(
        f"{name}: this is not a JPEG, PNG, TIFF or PDF file (whatever its name says); "
        "upload a scan in one of those formats."
    )


def load_pages(data: bytes, name: str, settings: Settings) -> list[PageImage]:
    """Decode every page of ``data`` into BGR images."""
    kind = sniff(data, name)
    if kind == "pdf":
        return list(_pdf_pages(data, name, settings))
    return list(_image_pages(data, name, kind, settings))


# --- raster images ------------------------------------------------------------------------


_MIN_SIDE = 32  # below this no text is legible, and the detector's ¼ downscale is empty


def _check_pixels(width: int, height: int, name: str, settings: Settings) -> None:
    if min(width, height) < _MIN_SIDE:
        raise ImageTooSmallError(
            f"{name}: the page is {width}×{height} pixels, too small to be a scan; "
            "scan at 150-300 dpi and upload again."
        )
    if width * height > settings.max_image_pixels:
        raise DecompressionBombError(
            f"{name}: the image is {width}×{height} pixels, more than the "
            f"{settings.max_image_pixels:,} allowed; rescan at 150-300 dpi and upload again."
        )


def _to_bgr(im: Image.Image) -> np.ndarray:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        bg = Image.new("RGB", im.size, "white")
        bg.paste(im.convert("RGBA"), mask=im.convert("RGBA").split()[-1])
        im = bg
    elif im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr16 = np.asarray(im, dtype=np.float64)
        hi = arr16.max() or 1.0
        im = Image.fromarray((arr16 * 255.0 / hi).astype(np.uint8))
    if im.mode != "RGB":
        im = im.convert("RGB")
    return np.ascontiguousarray(np.asarray(im)[:, :, ::-1])


def _dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 30 <= value <= 2400 else None


def _image_pages(data: bytes, name: str, kind: FileKind, settings: Settings) -> Iterator[PageImage]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None  # our own limit, checked below from the header
            im = Image.open(io.BytesIO(data))
            n_frames = getattr(im, "n_frames", 1)
            if n_frames > settings.max_pdf_pages:
                raise TooManyPagesError(
                    f"{name}: the TIFF has {n_frames} pages, more than the {settings.max_pdf_pages} "
                    "allowed; split the dossier and upload each part."
                )
            for index in range(n_frames):
                im.seek(index)
                _check_pixels(im.width, im.height, name, settings)
                frame = im.copy() if kind != "jpeg" else im
                frame.load()
                # Phone JPEGs carry their rotation in EXIF; apply it so pixels are as seen.
                frame = ImageOps.exif_transpose(frame) or frame
                yield PageImage(image=_to_bgr(frame), page=index + 1, dpi=_dpi(im))
    except (TooManyPagesError, DecompressionBombError, ImageTooSmallError):
        raise
    except UnidentifiedImageError as exc:
        raise CorruptFileError(
            f"{name}: looks like a {kind.upper()} but cannot be decoded; scan the page again."
        ) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptFileError(
            f"{name}: the {kind.upper()} file is damaged or truncated ({exc}); scan the page again."
        ) from exc


# --- PDF -----------------------------------------------------------------------------------


def _single_image(page: object) -> object | None:
    """The page's one image XObject if the page is just a scan (no text drawn), else None."""
    import pikepdf

    try:
        images = dict(page.get_images(recursive=False))  # type: ignore[attr-defined]
    except Exception:
        return None
    if len(images) != 1:
        return None
    try:
        ops = pikepdf.parse_content_stream(page)  # type: ignore[arg-type]
    except Exception:
        return None
    text_ops = {"Tj", "TJ", "'", '"'}
    for instruction in ops:
        if str(instruction.operator) in text_ops:
            return None
    return next(iter(images.values()))


def _pdf_pages(data: bytes, name: str, settings: Settings) -> Iterator[PageImage]:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise EncryptedFileError(
            f"{name}: the PDF is password-protected; remove the password (e.g. "
            "`qpdf --decrypt --password=... in.pdf out.pdf`) or scan the paper again."
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise CorruptFileError(
            f"{name}: the PDF is damaged ({exc}); scan the paper again."
        ) from exc
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:
            raise CorruptFileError(f"{name}: the PDF's page tree is damaged; scan again.") from exc
        if n == 0:
            raise CorruptFileError(f"{name}: the PDF has no pages; scan the paper again.")
        if n > settings.max_pdf_pages:
            raise TooManyPagesError(
                f"{name}: the PDF has {n} pages, more than the {settings.max_pdf_pages} allowed; "
                "split the dossier and upload each part."
            )
        render: list[int] = []
        extracted: dict[int, PageImage] = {}
        for index, page in enumerate(pdf.pages):
            xobj = _single_image(page)
            if xobj is not None:
                page_image = _extract(xobj, page, index, name, settings)
                if page_image is not None:
                    extracted[index] = page_image
                    continue
            render.append(index)
        rendered = dict(_render(data, render, name, settings)) if render else {}
    for index in range(n):
        yield extracted.get(index) or rendered[index]


def _extract(
    xobj: object, page: object, index: int, name: str, settings: Settings
) -> PageImage | None:
    """Decode the scan image of a page losslessly; None if pikepdf cannot (then we render)."""
    import pikepdf

    try:
        pim = pikepdf.PdfImage(xobj)  # type: ignore[arg-type]
        _check_pixels(int(pim.width), int(pim.height), name, settings)
        im = pim.as_pil_image()
    except DecompressionBombError:
        raise
    except Exception as exc:
        log.debug("%s page %d: image not extractable (%s), rendering instead", name, index + 1, exc)
        return None
    arr = _to_bgr(im)
    # Orientation of the page (/Rotate) and of the image placement are applied so the pixels
    # are as a reader sees them.
    rotate = int(page.get("/Rotate", 0)) % 360  # type: ignore[attr-defined]
    if rotate:
        arr = np.ascontiguousarray(np.rot90(arr, k=-(rotate // 90)))
    try:
        box = page.mediabox  # type: ignore[attr-defined]
        width_pt = float(box[2]) - float(box[0])
        height_pt = float(box[3]) - float(box[1])
        if rotate in (90, 270):
            width_pt, height_pt = height_pt, width_pt
        dpi = arr.shape[1] / (width_pt / 72.0) if width_pt > 0 else None
        # A placed image that does not fill the page (e.g. a card photo on a white A4): render.
        if dpi and height_pt > 0 and abs(arr.shape[0] / (height_pt / 72.0) - dpi) > 0.05 * dpi:
            return None
    except Exception:
        dpi = None
    return PageImage(image=arr, page=index + 1, dpi=dpi)


def _render(
    data: bytes, indices: list[int], name: str, settings: Settings
) -> Iterator[tuple[int, PageImage]]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise EncryptedFileError(
                f"{name}: the PDF is password-protected; remove the password and upload again."
            ) from exc
        raise CorruptFileError(f"{name}: the PDF cannot be rendered ({exc}); scan again.") from exc
    try:
        for index in indices:
            page = doc[index]
            w_pt, h_pt = page.get_size()
            scale = RENDER_DPI / 72.0
            _check_pixels(int(w_pt * scale), int(h_pt * scale), name, settings)
            bitmap = page.render(scale=scale, grayscale=False)
            arr = bitmap.to_numpy()
            if arr.ndim == 3 and arr.shape[2] == 4:
                arr = arr[:, :, :3]
            # pdfium renders BGR(A) by default (rev_byteorder=False).
            yield (
                index,
                PageImage(image=np.ascontiguousarray(arr), page=index + 1, dpi=float(RENDER_DPI)),
            )
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(
            f"{name}: a PDF page cannot be rendered ({exc}); scan again."
        ) from exc
    finally:
        doc.close()
