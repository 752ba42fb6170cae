"""Input sniffing and decoding: every format, and every kind of bad file."""

from __future__ import annotations

import io
import math
import struct
import zlib

import numpy as np
import pikepdf
import pytest
from PIL import Image

from core.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    TooManyPagesError,
    TooManyPixelsError,
    UnsupportedFileError,
)
from core.settings import Settings
from ocr_service import pages as pages_module
from ocr_service.pages import load_pages, sniff


def _image(w: int = 300, h: int = 200, color: tuple[int, int, int] = (200, 30, 40)) -> Image.Image:
    im = Image.new("RGB", (w, h), "white")
    im.paste(color, (20, 20, 120, 80))
    return im


def _encode(im: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _born_digital_pdf(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for i in range(pages):
        content = pdf.make_stream(f"BT /F1 24 Tf 72 700 Td (Page {i + 1}) Tj ET".encode())
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=content,
        )
        pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_sniff_ignores_the_name() -> None:
    png = _encode(_image(), "PNG")
    assert sniff(png, "scan.jpg") == "png"
    assert sniff(_encode(_image(), "JPEG"), "scan.pdf") == "jpeg"
    assert sniff(_encode(_image(), "TIFF"), "x") == "tiff"
    assert sniff(_born_digital_pdf(), "x.png") == "pdf"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_single_images_decode_to_bgr(fmt: str, settings: Settings) -> None:
    pages = list(load_pages(_encode(_image(), fmt), f"a.{fmt.lower()}", settings))
    assert len(pages) == 1
    img = pages[0].image
    assert img.shape == (200, 300, 3) and img.dtype == np.uint8
    b, g, r = img[50, 70]
    assert r > 150 and b < 100  # red patch stays red: channels are BGR


def test_multipage_tiff_gives_every_frame(settings: Settings) -> None:
    frames = [_image(300, 200), _image(320, 220), _image(340, 240).convert("L")]
    data = _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = list(load_pages(data, "dossier.tif", settings))
    assert [p.page for p in pages] == [1, 2, 3]
    assert [p.image.shape[:2] for p in pages] == [(200, 300), (220, 320), (240, 340)]
    assert pages[2].image.ndim == 3
    assert pages[0].dpi == pytest.approx(300)


def test_pdf_scan_page_is_extracted_losslessly(settings: Settings) -> None:
    im = _image(850, 1100)
    data = _encode(im, "PDF", resolution=100.0)
    pages = list(load_pages(data, "scan.pdf", settings))
    assert len(pages) == 1
    assert pages[0].image.shape[:2] == (1100, 850)  # native pixels, not a re-render
    assert pages[0].dpi == pytest.approx(100, rel=0.02)


def test_born_digital_pdf_is_rendered(settings: Settings) -> None:
    pages = list(load_pages(_born_digital_pdf(2), "letter.pdf", settings))
    assert len(pages) == 2
    h, w = pages[0].image.shape[:2]
    assert w == pytest.approx(595 / 72 * 250, abs=2) and h > w
    assert pages[0].image.min() < 100  # the text was drawn


# Everything that can be told without decoding pixels is refused by the call itself, before
# the first page is decoded; a damaged page raises when the iteration reaches it.


def test_empty_file(settings: Settings) -> None:
    with pytest.raises(EmptyFileError, match="empty.png"):
        load_pages(b"", "empty.png", settings)


def test_html_renamed_to_jpg_is_unsupported(settings: Settings) -> None:
    with pytest.raises(UnsupportedFileError, match="page.jpg"):
        load_pages(b"<!doctype html><html><body>hi</body></html>", "page.jpg", settings)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_truncated_images_are_corrupt(fmt: str, settings: Settings) -> None:
    rng = np.random.default_rng(0)
    noisy = Image.fromarray(rng.integers(0, 255, (400, 400, 3), dtype=np.uint8))
    data = _encode(noisy, fmt)
    with pytest.raises(CorruptFileError, match="broken"):
        list(load_pages(data[: len(data) // 3], f"broken.{fmt.lower()}", settings))


def test_corrupt_pdf(settings: Settings) -> None:
    data = _born_digital_pdf()
    with pytest.raises(CorruptFileError, match="bad.pdf"):
        load_pages(data[:200], "bad.pdf", settings)


def test_encrypted_pdf(settings: Settings) -> None:
    pdf = pikepdf.open(io.BytesIO(_born_digital_pdf()))
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    with pytest.raises(EncryptedFileError, match="password"):
        load_pages(buf.getvalue(), "locked.pdf", settings)


def _png_with_header_size(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width × height`` (the pixel data is tiny and wrong)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = zlib.compress(b"\x00" * 10)
    body += (
        struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    )
    body += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + body


def test_decompression_bomb_is_refused_from_the_header(settings: Settings) -> None:
    data = _png_with_header_size(100_000, 100_000)  # 10 gigapixels claimed in 100 bytes
    with pytest.raises(DecompressionBombError, match="bomb.png"):
        load_pages(data, "bomb.png", settings)


def test_bomb_limit_comes_from_settings(tmp_path: object) -> None:
    small = Settings(max_image_pixels=10_000)
    with pytest.raises(DecompressionBombError):
        load_pages(_encode(_image(300, 200), "PNG"), "a.png", small)


def test_too_many_pdf_pages(tmp_path: object) -> None:
    with pytest.raises(TooManyPagesError, match="3 pages"):
        load_pages(_born_digital_pdf(3), "long.pdf", Settings(max_pdf_pages=2))


# --- decoding one page at a time, and the budget for all pages of a file -------------------


def _count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every page image made (PIL or pdfium → BGR array), recorded by its height."""
    made: list[int] = []
    real_to_bgr, real_render = pages_module._to_bgr, pages_module._render

    def to_bgr(im: Image.Image) -> np.ndarray:
        made.append(im.height)
        return real_to_bgr(im)

    def render(doc: object, index: int, name: str, settings: Settings) -> object:
        page = real_render(doc, index, name, settings)
        made.append(page.image.shape[0])
        return page

    monkeypatch.setattr(pages_module, "_to_bgr", to_bgr)
    monkeypatch.setattr(pages_module, "_render", render)
    return made


def test_pages_are_decoded_as_the_iterator_asks(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    made = _count_decodes(monkeypatch)
    frames = [_image(300, 200 + 10 * i) for i in range(4)]
    tiff = load_pages(
        _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:]), "t", settings
    )
    assert made == []  # sizes checked, nothing decoded yet
    assert next(tiff).page == 1 and made == [200]
    assert next(tiff).page == 2 and made == [200, 210]

    pdf = load_pages(_born_digital_pdf(3), "letter.pdf", settings)
    assert next(pdf).page == 1 and len(made) == 3
    assert [p.page for p in pdf] == [2, 3] and len(made) == 5


def test_iterating_holds_one_page_at_a_time(settings: Settings) -> None:
    """Six 1500×1000 frames (4.5 MB each as BGR), all six at once would be 27 MB.

    At most: the loop's page, the next one being made, and Pillow's bytes it is made from.
    """
    import tracemalloc

    frames = [_image(1500, 1000, (i * 40, 30, 40)) for i in range(6)]
    data = _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    one_page = 1500 * 1000 * 3
    tracemalloc.start()
    try:
        seen = 0
        for page in load_pages(data, "dossier.tif", settings):
            seen += int(page.image[500, 700, 2] >= 0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 6
    assert peak < 3.5 * one_page, f"peak {peak / 1e6:.1f} MB while walking 6 pages"


def test_total_pixels_of_a_file_are_budgeted_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _count_decodes(monkeypatch)
    data = _born_digital_pdf(3)  # A4 at 250 dpi: 2067 × 2924 = 6.04 Mpx a page
    page_pixels = math.ceil(595 / 72 * 250) * math.ceil(842 / 72 * 250)
    with pytest.raises(TooManyPixelsError, match=r"long\.pdf: its 3 pages add up to") as err:
        load_pages(data, "long.pdf", Settings(max_total_pixels=3 * page_pixels - 1))
    assert made == []  # refused before any page was rendered
    assert err.value.code == "too_many_pixels" and err.value.http_status == 413
    assert err.value.exit_code == 2 and not err.value.retryable
    assert "split the file" in err.value.message

    pages = list(load_pages(data, "long.pdf", Settings(max_total_pixels=3 * page_pixels)))
    assert sum(p.image.shape[0] * p.image.shape[1] for p in pages) == 3 * page_pixels

    frames = [_image(300, 200)] * 3
    tiff = _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(TooManyPixelsError, match="3 pages"):
        load_pages(tiff, "d.tif", Settings(max_total_pixels=3 * 300 * 200 - 1))


def test_budget_holds_when_a_scan_page_must_be_rendered_instead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scan image pikepdf cannot decode is rendered at 250 dpi: bigger than planned."""
    data = _encode(_image(850, 1100), "PDF", resolution=100.0)  # 0.94 Mpx as a scan
    settings = Settings(max_total_pixels=2_000_000)
    assert list(load_pages(data, "scan.pdf", settings))[0].image.shape[:2] == (1100, 850)
    monkeypatch.setattr(pages_module, "_extract", lambda *args: None)
    pages = load_pages(data, "scan.pdf", settings)  # the plan still says 0.94 Mpx
    with pytest.raises(TooManyPixelsError, match="scan.pdf"):
        next(pages)  # rendered: 2125 × 2750 = 5.8 Mpx


def _heic(im: Image.Image, **kw: object) -> bytes:
    from pillow_heif import from_pillow

    buf = io.BytesIO()
    from_pillow(im).save(buf, format="HEIF", quality=90, **kw)
    return buf.getvalue()


def test_phone_formats_webp_and_heic_are_read_as_photos_are(settings: Settings) -> None:
    """WebP (Android, messaging apps) and HEIC (iPhones) are sniffed from their bytes and
    decoded like a JPEG: BGR, the red patch where it was."""
    for data, kind in ((_encode(_image(), "WEBP", quality=95), "webp"), (_heic(_image()), "heic")):
        assert sniff(data, "photo.jpg") == kind
        [page] = list(load_pages(data, f"photo.{kind}", settings))
        assert page.image.shape == (200, 300, 3) and page.image.dtype == np.uint8
        b, g, r = page.image[50, 70]
        assert r > 150 and b < 100, (kind, page.image[50, 70])


def test_phone_photos_are_turned_upright_by_their_exif_orientation(settings: Settings) -> None:
    """Orientation 6 (the phone held upright, the sensor landscape): turned 90° clockwise."""
    exif = Image.Exif()
    exif[0x0112] = 6
    for data, kind in (
        (_encode(_image(), "WEBP", quality=95, exif=exif.tobytes()), "webp"),
        (_encode(_image(), "JPEG", exif=exif.tobytes()), "jpeg"),
        (_heic(_image(), exif=exif.tobytes()), "heic"),
    ):
        [page] = list(load_pages(data, f"photo.{kind}", settings))
        assert page.image.shape == (300, 200, 3), (kind, page.image.shape)
        # the patch near the top-left corner of the sensor ends up near the top-right
        b, g, r = page.image[70, 200 - 50]
        assert r > 150 and b < 100, (kind, page.image[70, 150])


@pytest.mark.parametrize("mode", ["1", "L", "I;16"])
def test_grey_and_bilevel_scans_decode_to_the_same_bgr_as_through_rgb(mode: str) -> None:
    """A grey or black-and-white page is spread to three channels by OpenCV: the same pixels
    as Pillow's conversion to RGB and a channel swap, the way they were decoded before."""
    import cv2

    rng = np.random.default_rng(7)
    grey = Image.fromarray(rng.integers(0, 256, (37, 53), dtype=np.uint8))
    if mode == "1":
        im = grey.convert("1")
    elif mode == "I;16":
        im = Image.fromarray(rng.integers(0, 4096, (37, 53), dtype=np.uint16))
    else:
        im = grey
    old = im
    if mode == "I;16":
        arr16 = np.asarray(im, dtype=np.float64)
        old = Image.fromarray((arr16 * 255.0 / arr16.max()).astype(np.uint8))
    expected = cv2.cvtColor(np.asarray(old.convert("RGB")), cv2.COLOR_RGB2BGR)
    got = pages_module._to_bgr(im)
    assert got.shape == (37, 53, 3) and got.dtype == np.uint8
    assert np.array_equal(got, expected)
    if mode == "1":
        assert set(np.unique(got)) == {0, 255}
