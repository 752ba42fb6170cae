"""Input sniffing and decoding: every format, and every kind of bad file."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr_service.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    TooManyPagesError,
    UnsupportedFileError,
)
from ocr_service.pages import load_pages, sniff
from ocr_service.settings import Settings


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
    pages = load_pages(_encode(_image(), fmt), f"a.{fmt.lower()}", settings)
    assert len(pages) == 1
    img = pages[0].image
    assert img.shape == (200, 300, 3) and img.dtype == np.uint8
    b, g, r = img[50, 70]
    assert r > 150 and b < 100  # red patch stays red: channels are BGR


def test_multipage_tiff_gives_every_frame(settings: Settings) -> None:
    frames = [_image(300, 200), _image(320, 220), _image(340, 240).convert("L")]
    data = _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = load_pages(data, "dossier.tif", settings)
    assert [p.page for p in pages] == [1, 2, 3]
    assert [p.image.shape[:2] for p in pages] == [(200, 300), (220, 320), (240, 340)]
    assert pages[2].image.ndim == 3
    assert pages[0].dpi == pytest.approx(300)


def test_pdf_scan_page_is_extracted_losslessly(settings: Settings) -> None:
    im = _image(850, 1100)
    data = _encode(im, "PDF", resolution=100.0)
    pages = load_pages(data, "scan.pdf", settings)
    assert len(pages) == 1
    assert pages[0].image.shape[:2] == (1100, 850)  # native pixels, not a re-render
    assert pages[0].dpi == pytest.approx(100, rel=0.02)


def test_born_digital_pdf_is_rendered(settings: Settings) -> None:
    pages = load_pages(_born_digital_pdf(2), "letter.pdf", settings)
    assert len(pages) == 2
    h, w = pages[0].image.shape[:2]
    assert w == pytest.approx(595 / 72 * 250, abs=2) and h > w
    assert pages[0].image.min() < 100  # the text was drawn


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
        load_pages(data[: len(data) // 3], f"broken.{fmt.lower()}", settings)


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
