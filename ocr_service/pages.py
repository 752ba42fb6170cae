"""Input file → page images. The type is sniffed from the content, never from the name.

JPEG, PNG and TIFF (every frame) are decoded with Pillow after checking the pixel count in
the header; PDF pages that are one scanned image are extracted losslessly with pikepdf,
other pages (born-digital, mixed, or a scan with form fields filled in over it) are rendered
with pdfium with the form's fields drawn, and a rendered page whose text layer can be trusted
carries its own text lines and its fields' values (ocr_service.text_layer, .form_fields). Sizes and limits
are read from the headers first; then pages are decoded one at a time, as the pipeline asks
for them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    ImageTooSmallError,
    TooManyPagesError,
    TooManyPixelsError,
    UnsupportedFileError,
)
from core.records import PageImage
from core.settings import Settings
from ocr_service.form_appearance import field_entry, with_field_appearances
from ocr_service.form_fields import field_lines, hide_signatures
from ocr_service.text_layer import read_text_layer

__all__ = ["FileKind", "RENDER_DPI", "load_pages", "sniff"]

log = logging.getLogger(__name__)

FileKind = Literal["jpeg", "png", "tiff", "webp", "heic", "pdf"]
RENDER_DPI = 250  # born-digital PDF pages: enough for 10 pt text, small enough to be fast

_MAGIC: list[tuple[bytes, FileKind]] = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
]
# ISO base media "ftyp" brands of HEIF still images (an iPhone writes heic; mif1 is generic)
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def _heif_support() -> None:
    """Teach Pillow to open HEIC/HEIF (pillow-heif's libheif), the first time one comes:
    imported lazily, as most files are not HEIC and the library is large."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def sniff(data: bytes, name: str = "file") -> FileKind:
    """The file's type from its first bytes; raises the taxonomy's errors."""
    if not data:
        raise EmptyFileError(
            f"{name}: the file is empty (0 bytes); scan the page again and upload the new file."
        )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":  # phones and messaging apps send WebP
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:  # iPhones' HEIC/HEIF photos
        return "heic"
    # PDF headers may be preceded by a little junk (the spec allows 1024 bytes).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedFileError(
        f"{name}: this is not a JPEG, PNG, TIFF, WebP, HEIC or PDF file (whatever its name "
        "says); upload a scan or photo in one of those formats."
    )


def load_pages(data: bytes, name: str, settings: Settings) -> Iterator[PageImage]:
    """The pages of ``data`` as BGR images, decoded one at a time as the iterator advances.

    What can be told without decoding pixels is checked before this returns: the type, an
    encrypted or damaged container, the page count, each page's pixels and all pages'
    pixels together (``max_total_pixels``). A page whose data turns out to be damaged
    raises when the iterator reaches it. Only the page being handed out is held in memory.
    """
    kind = sniff(data, name)
    if kind == "pdf":
        pdf_plan = _plan_pdf(data, name, settings)
        _check_total(sum(p.pixels for p in pdf_plan), len(pdf_plan), name, settings)
        return _pdf_pages(data, name, settings, pdf_plan)
    sizes = _plan_image(data, name, kind, settings)
    _check_total(sum(w * h for w, h in sizes), len(sizes), name, settings)
    return _image_pages(data, name, kind, settings)


def _check_total(pixels: int, pages: int | None, name: str, settings: Settings) -> None:
    if pixels > settings.max_total_pixels:
        counted = f"its {pages} pages" if pages and pages > 1 else "its pages"
        raise TooManyPixelsError(
            f"{name}: {counted} add up to {pixels:,} pixels, more than the "
            f"{settings.max_total_pixels:,} one file may have; split the file into smaller "
            "parts (or rescan at 150-300 dpi) and upload each part."
        )


class _Budget:
    """The pixels decoded so far: the plan's total, held to again as pages are decoded."""

    def __init__(self, name: str, settings: Settings) -> None:
        self.name, self.settings, self.pixels = name, settings, 0

    def add(self, image: np.ndarray) -> np.ndarray:
        self.pixels += int(image.shape[0]) * int(image.shape[1])
        _check_total(self.pixels, None, self.name, self.settings)
        return image


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
    if im.mode in ("1", "L"):
        # A grey or black-and-white scan is spread to three channels by OpenCV, not Pillow:
        # the same pixels (0/255, or the grey repeated) in a quarter of the time.
        grey = im if im.mode == "L" else im.convert("L")
        return cv2.cvtColor(np.asarray(grey), cv2.COLOR_GRAY2BGR)
    if im.mode != "RGB":
        im = im.convert("RGB")
    # OpenCV swaps the channels in one pass; numpy's strided [..., ::-1] copy took ~3x longer
    return cv2.cvtColor(np.asarray(im), cv2.COLOR_RGB2BGR)


def _dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 30 <= value <= 2400 else None


@contextlib.contextmanager
def _image_errors(name: str, kind: FileKind) -> Iterator[None]:
    """Pillow's failures on a damaged file, as the taxonomy's ``CorruptFileError``."""
    try:
        yield
    except UnidentifiedImageError as exc:
        raise CorruptFileError(
            f"{name}: looks like a {kind.upper()} but cannot be decoded; scan the page again."
        ) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptFileError(
            f"{name}: the {kind.upper()} file is damaged or truncated ({exc}); scan the page again."
        ) from exc


def _plan_image(
    data: bytes, name: str, kind: FileKind, settings: Settings
) -> list[tuple[int, int]]:
    """Each frame's (width, height) from the headers, checked against the limits."""
    Image.MAX_IMAGE_PIXELS = None  # our own limits, checked from the headers, replace Pillow's
    if kind == "heic":
        _heif_support()
    with _image_errors(name, kind):
        im = Image.open(io.BytesIO(data))
        n_frames = getattr(im, "n_frames", 1)
        if n_frames > settings.max_pdf_pages:
            raise TooManyPagesError(
                f"{name}: the {kind.upper()} has {n_frames} pages, more than the {settings.max_pdf_pages} "
                "allowed; split the dossier and upload each part."
            )
        sizes = []
        for index in range(n_frames):
            im.seek(index)
            _check_pixels(im.width, im.height, name, settings)
            sizes.append((im.width, im.height))
    return sizes


def _image_pages(data: bytes, name: str, kind: FileKind, settings: Settings) -> Iterator[PageImage]:
    budget = _Budget(name, settings)
    with _image_errors(name, kind):
        im = Image.open(io.BytesIO(data))
        n_frames = getattr(im, "n_frames", 1)
        for index in range(n_frames):
            im.seek(index)
            _check_pixels(im.width, im.height, name, settings)
            # a frame of a multi-page TIFF is copied out: the next seek reuses ``im``
            frame = im.copy() if n_frames > 1 else im
            frame.load()
            # Phone JPEGs carry their rotation in EXIF; apply it so pixels are as seen
            # (in place: without a rotation to apply, a copy would be made for nothing).
            ImageOps.exif_transpose(frame, in_place=True)
            image = budget.add(_to_bgr(frame))
            del frame
            yield PageImage(image=image, page=index + 1, dpi=_dpi(im))


# --- PDF -----------------------------------------------------------------------------------


def _single_image(page: Any) -> Any | None:
    """The page's one image XObject if the page is just a scan (no text drawn), else None."""
    import pikepdf

    try:
        images = dict(page.get_images(recursive=False))
    except Exception:
        return None
    if len(images) != 1 or _filled_fields(page):
        return None
    try:
        ops = pikepdf.parse_content_stream(page)
    except Exception:
        return None
    text_ops = {"Tj", "TJ", "'", '"'}
    for instruction in ops:
        if str(instruction.operator) in text_ops:
            return None
    return next(iter(images.values()))


def _filled_fields(page: Any) -> bool:
    """Whether the page shows a form field filled in (a value, a ticked box) that is not a
    digital signature: its pixels are then drawn by pdfium with the form's fields, not taken
    from the one scan image under them."""
    try:
        annots = page.obj.get("/Annots") or []
        for annot in annots:
            if annot.get("/Subtype") != "/Widget" or int(annot.get("/F", 0)) & 0b100010:
                continue  # not a field, or hidden (/F Hidden, NoView)
            value = field_entry(annot, "/V")
            if field_entry(annot, "/FT") == "/Sig" or value is None:
                continue
            if str(value) not in ("", "/Off"):
                return True
    except Exception:
        return False
    return False


@dataclass(frozen=True)
class _PdfPage:
    """How one PDF page will be decoded, and how big it will be, known before decoding it."""

    index: int  # 0-based
    width: int
    height: int
    extract: bool  # the page's one scan image, losslessly; else pdfium renders the page
    dpi: float | None = None

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _open_pdf(data: bytes, name: str) -> Any:
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise EncryptedFileError(
            f"{name}: the PDF is password-protected; remove the password (e.g. "
            "`qpdf --decrypt --password=... in.pdf out.pdf`) or scan the paper again."
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise CorruptFileError(
            f"{name}: the PDF is damaged ({exc}); scan the paper again."
        ) from exc


def _open_pdfium(data: bytes, name: str, *, forms: bool = False) -> Any:
    """pdfium's document; with ``forms``, with its form environment, so that a filled-in
    form's fields are drawn (ocr_service.form_fields)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
        if forms:
            doc.init_forms()  # before any page is loaded; nothing if the file has no form
        return doc
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError(
                f"{name}: the PDF is password-protected; remove the password and upload again."
            ) from exc
        raise CorruptFileError(f"{name}: the PDF cannot be rendered ({exc}); scan again.") from exc


def _plan_pdf(data: bytes, name: str, settings: Settings) -> list[_PdfPage]:
    """Every page's decoding and size, from the page tree and image headers (no pixels)."""
    with _open_pdf(data, name) as pdf:
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
        planned = [_scan_page(page, index, name, settings) for index, page in enumerate(pdf.pages)]
    render = [index for index, item in enumerate(planned) if item is None]
    plan = [item for item in planned if item is not None]
    if render:
        plan += _render_plan(data, render, name, settings)
    return sorted(plan, key=lambda item: item.index)


def _scan_page(page: Any, index: int, name: str, settings: Settings) -> _PdfPage | None:
    """The plan for a page that is just a scan filling the page, or None: render it."""
    import pikepdf

    xobj = _single_image(page)
    if xobj is None:
        return None
    try:
        pim = pikepdf.PdfImage(xobj)
        width, height = int(pim.width), int(pim.height)
    except Exception as exc:
        log.debug("%s page %d: image not readable (%s), rendering instead", name, index + 1, exc)
        return None
    try:
        _check_pixels(width, height, name, settings)
    except ImageTooSmallError:
        return None  # a tiny image on a page: the page as drawn is what counts
    # Orientation of the page (/Rotate) is applied so the pixels are as a reader sees them.
    rotate = int(page.get("/Rotate", 0)) % 360
    if rotate in (90, 270):
        width, height = height, width
    dpi: float | None = None
    try:
        box = page.mediabox
        width_pt = float(box[2]) - float(box[0])
        height_pt = float(box[3]) - float(box[1])
        if rotate in (90, 270):
            width_pt, height_pt = height_pt, width_pt
        dpi = width / (width_pt / 72.0) if width_pt > 0 else None
        # A placed image that does not fill the page (e.g. a card photo on a white A4): render.
        if dpi and height_pt > 0 and abs(height / (height_pt / 72.0) - dpi) > 0.05 * dpi:
            return None
    except Exception:
        dpi = None
    return _PdfPage(index, width, height, extract=True, dpi=dpi)


def _render_plan(data: bytes, indices: list[int], name: str, settings: Settings) -> list[_PdfPage]:
    import pypdfium2 as pdfium

    doc = _open_pdfium(data, name)
    scale = RENDER_DPI / 72.0
    try:
        plan = []
        for index in indices:
            w_pt, h_pt = doc[index].get_size()
            # the bitmap's size as pdfium computes it
            width, height = math.ceil(w_pt * scale), math.ceil(h_pt * scale)
            _check_pixels(width, height, name, settings)
            plan.append(_PdfPage(index, width, height, extract=False, dpi=float(RENDER_DPI)))
        return plan
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"{name}: a PDF page cannot be read ({exc}); scan again.") from exc
    finally:
        doc.close()


def _pdf_pages(
    data: bytes, name: str, settings: Settings, plan: list[_PdfPage]
) -> Iterator[PageImage]:
    budget = _Budget(name, settings)
    doc = None  # pdfium's, opened at the first page to render
    try:
        with _open_pdf(data, name) as pdf:
            for item in plan:
                page = _extract(pdf.pages[item.index], item, name) if item.extract else None
                if page is None:
                    # a form whose fields the reader draws gets their look drawn first, with
                    # Vietnamese letters, in this in-memory copy (ocr_service.form_appearance)
                    doc = doc or _open_pdfium(with_field_appearances(pdf) or data, name, forms=True)
                    page = _render(doc, item.index, name, settings)
                budget.add(page.image)
                yield page
    finally:
        if doc is not None:
            doc.close()


def _extract(page: Any, item: _PdfPage, name: str) -> PageImage | None:
    """Decode the scan image of a page losslessly; None if pikepdf cannot (then we render)."""
    import pikepdf

    try:
        # the plan found it the page's only image
        [xobj] = dict(page.get_images(recursive=False)).values()
        im = pikepdf.PdfImage(xobj).as_pil_image()
    except Exception as exc:
        log.debug(
            "%s page %d: image not extractable (%s), rendering instead", name, item.index + 1, exc
        )
        return None
    arr = _to_bgr(im)
    del im
    rotate = int(page.get("/Rotate", 0)) % 360
    if rotate:
        arr = np.ascontiguousarray(np.rot90(arr, k=-(rotate // 90)))
    return PageImage(image=arr, page=item.index + 1, dpi=item.dpi)


def _render(doc: Any, index: int, name: str, settings: Settings) -> PageImage:
    import pypdfium2 as pdfium

    try:
        page = doc[index]
        w_pt, h_pt = page.get_size()
        scale = RENDER_DPI / 72.0
        _check_pixels(math.ceil(w_pt * scale), math.ceil(h_pt * scale), name, settings)
        hide_signatures(page)
        arr = page.render(scale=scale, grayscale=False).to_numpy()
        lines = read_text_layer(page, arr) if settings.pdf_text_layer else None
        if lines is not None:  # the typed values of a filled-in form, not in the page's text
            lines += field_lines(page, arr)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(
            f"{name}: a PDF page cannot be rendered ({exc}); scan again."
        ) from exc
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[:, :, :3]
    # pdfium renders BGR(A) by default (rev_byteorder=False).
    return PageImage(
        image=np.ascontiguousarray(arr), page=index + 1, dpi=float(RENDER_DPI), text_lines=lines
    )
