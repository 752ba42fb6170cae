"""A corpus of hostile inputs, generated at test time (nothing big is committed).

Each ``HostileFile`` is bytes and the name a client would send, plus what sohoa must answer:
either a 4xx at the door (``upload_status``/``code``: refused before anything is stored) or
a component that fails with a taxonomy ``code`` in the job. ``codes`` lists every answer that
is acceptable (a truncated PDF may be repaired by qpdf, for instance); none of them is a
crash, a 5xx or ``internal_error``.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = [
    "HostileFile",
    "corpus",
    "foreign_digit_ids",
    "good_jpeg",
    "good_pdf",
    "good_png",
    "hostile_csvs",
    "hostile_names",
]


@dataclass(frozen=True)
class HostileFile:
    key: str  # a stable id for reports and parametrize
    name: str  # the file name the client sends
    data: bytes
    # refused at upload with this status (None: accepted, then must fail in the job)
    upload_status: int | None
    # acceptable error codes (upload refusal or component failure); "done" = processed fine
    codes: tuple[str, ...]


def good_png(width: int = 240, height: int = 320, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), 255, np.uint8)
    x, y = (int(v) for v in rng.integers(10, min(width, height) - 40, size=2))
    image[y : y + 12, x : x + 30] = 0
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def good_jpeg(width: int = 240, height: int = 320, seed: int = 0) -> bytes:
    im = Image.open(io.BytesIO(good_png(width, height, seed)))
    buf = io.BytesIO()
    im.convert("RGB").save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def good_pdf(pages: int = 1, size: tuple[float, float] = (595, 842)) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header declaring 10 gigapixels; the compressed data is a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    # a few rows of zeros compress to almost nothing; the rest is simply missing
    idat = zlib.compressobj(9).compress(b"\x00" * (width + 1) * 4) + zlib.compressobj(9).flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat[:200])
        + _png_chunk(b"IEND", b"")
    )


def tiff_huge_header(width: int = 200_000, height: int = 200_000) -> bytes:
    """A little-endian TIFF whose IFD declares 40 gigapixels and points at 8 bytes of strip."""
    entries = [
        (256, 4, 1, width),  # ImageWidth LONG
        (257, 4, 1, height),  # ImageLength LONG
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression none
        (262, 3, 1, 1),  # BlackIsZero
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, 8),  # StripByteCounts (a lie)
    ]
    ifd_offset = 16
    out = b"II*\x00" + struct.pack("<I", ifd_offset) + b"\x00" * 8
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        packed = struct.pack("<I", value) if typ == 4 else struct.pack("<HH", value, 0)
        out += struct.pack("<HHI", tag, typ, count) + packed
    return out + struct.pack("<I", 0)


def tiff_ifd_loop() -> bytes:
    """A 1×1 TIFF whose next-IFD pointer points back at itself (an endless page chain)."""
    data = tiff_huge_header(1, 1)
    return data[:-4] + struct.pack("<I", 16)


def _tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (1, 1), 255).save(buf, format="PNG")
    return buf.getvalue()


def tiff_many_frames(frames: int = 3000) -> bytes:
    """A multi-page TIFF of thousands of 1×1 frames (a few hundred KB)."""
    pages = [Image.new("L", (1, 1), 255) for _ in range(frames)]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def jpeg_huge_header(width: int = 65_000, height: int = 65_000) -> bytes:
    """A real small JPEG whose SOF0 frame header is rewritten to declare 65000×65000."""
    data = bytearray(good_jpeg(64, 64))
    i = 2
    while i < len(data) - 9:
        if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC1, 0xC2):
            data[i + 5 : i + 7] = struct.pack(">H", height)
            data[i + 7 : i + 9] = struct.pack(">H", width)
            return bytes(data)
        i += 1
    raise AssertionError("no SOF marker in the generated JPEG")


def encrypted_pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="owner-pw", user="user-pw", R=6))
    return buf.getvalue()


def huge_page_pdf() -> bytes:
    """One page whose MediaBox is 14 400 × 14 400 inches: rendering it would need terapixels."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14_400 * 72 / 72, 14_400))
    pdf.pages[0].MediaBox = pikepdf.Array([0, 0, 1_036_800, 1_036_800])
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def corpus(*, many_pages: int = 5000) -> Iterator[HostileFile]:
    """Every hostile file, built fresh."""
    png, jpeg, pdf = good_png(seed=7), good_jpeg(seed=7), good_pdf(2)
    yield HostileFile("empty", "empty.png", b"", 422, ("empty_file",))
    yield HostileFile(
        "html_as_jpg",
        "photo.jpg",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        415,
        ("unsupported_file",),
    )
    yield HostileFile(
        "zip_as_pdf", "scan.pdf", b"PK\x03\x04" + bytes(200), 415, ("unsupported_file",)
    )
    yield HostileFile("gif_as_png", "scan.png", b"GIF89a" + bytes(100), 415, ("unsupported_file",))
    yield HostileFile("truncated_png", "half.png", png[: len(png) // 2], None, ("corrupt_file",))
    yield HostileFile("truncated_jpeg", "half.jpg", jpeg[: len(jpeg) // 3], None, ("corrupt_file",))
    yield HostileFile(
        "png_magic_garbage",
        "noise.png",
        b"\x89PNG\r\n\x1a\n" + np.random.default_rng(1).bytes(4000),
        None,
        ("corrupt_file",),
    )
    yield HostileFile(
        "jpeg_magic_garbage",
        "noise.jpg",
        b"\xff\xd8\xff\xe0" + np.random.default_rng(2).bytes(4000),
        None,
        ("corrupt_file",),
    )
    yield HostileFile(
        "corrupt_pdf",
        "broken.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer<<>>\n%%EOF",
        None,
        ("corrupt_file",),
    )
    # qpdf may repair a truncated PDF: then its surviving pages are processed ("done")
    yield HostileFile(
        "truncated_pdf", "cut.pdf", pdf[: len(pdf) * 2 // 3], None, ("corrupt_file", "done")
    )
    yield HostileFile("encrypted_pdf", "locked.pdf", encrypted_pdf(), None, ("encrypted_pdf",))
    yield HostileFile(
        f"pdf_{many_pages}_pages",
        "thousands.pdf",
        good_pdf(many_pages),
        None,
        ("too_many_pages",),
    )
    # 30 pages of 20 × 20 inches: each 25 Mpx at 250 dpi is allowed, together 750 Mpx are not
    yield HostileFile(
        "pdf_pixel_budget", "posters.pdf", good_pdf(30, (1440, 1440)), None, ("too_many_pixels",)
    )
    yield HostileFile("huge_page_pdf", "poster.pdf", huge_page_pdf(), None, ("image_too_large",))
    yield HostileFile("png_bomb", "bomb.png", png_bomb(), None, ("image_too_large",))
    yield HostileFile("tiff_huge", "huge.tif", tiff_huge_header(), None, ("image_too_large",))
    yield HostileFile("jpeg_huge", "huge.jpg", jpeg_huge_header(), None, ("image_too_large",))
    # Pillow stops at the repeated IFD offset: one 1×1 page, too small to be a scan
    yield HostileFile("tiff_ifd_loop", "loop.tif", tiff_ifd_loop(), None, ("image_too_small",))
    yield HostileFile("tiny_png", "dot.png", _tiny_png(), None, ("image_too_small",))
    yield HostileFile(
        "tiff_3000_frames", "frames.tif", tiff_many_frames(), None, ("too_many_pages",)
    )


def hostile_names() -> list[str]:
    """File names a client controls: traversal, absolute, NUL, newline, long, non-ASCII."""
    return [
        "../../etc/passwd",
        "../../../../../../tmp/sohoa-pwned.png",
        "/etc/shadow",
        "..\\..\\windows\\system32\\config.png",
        "scan\x00.png.exe",
        "scan\nX-Injected: 1.png",
        "giấy khai sinh (bản sao).png",
        "a" * 5000 + ".png",
        "",
        ".",
        "..",
    ]


def hostile_csvs() -> dict[str, bytes]:
    """Register CSVs that must be refused (or partly refused) with exit 2."""
    header = "id_number,full_name,date_of_birth,sex\n"
    row = "001192012345,Nguyễn Văn An,1990-01-02,male\n"
    return {
        "latin1.csv": (header + row)
        .encode("cp1258", errors="replace")
        .replace(b"Nguy", b"Nguy\xe9\xff"),
        "utf16.csv": (header + row).encode("utf-16"),
        "binary.csv": b"\x00\x01\x02PK\x03\x04" + bytes(300),
        "empty.csv": b"",
        "no_header.csv": row.encode(),
        "ragged.csv": (header + "001192012345,An\n" + "1,2,3,4,5,6,7,8,9,10\n").encode(),
        "unterminated_quote.csv": (header + '001192012345,"Nguyễn,1990-01-02,male\n').encode(),
        "bad_values.csv": (header + "12AB,,31/02/1990,robot\n").encode(),
        "formula.csv": (header + '=cmd|" /C calc"!A0,@SUM(1),1990-01-02,male\n').encode(),
    }


# The zero of each Unicode digit family that str.isdigit(), int() and regex ``\d`` accept.
_DIGIT_ZEROS = {
    "arabic_indic": 0x0660,
    "extended_arabic_indic": 0x06F0,
    "devanagari": 0x0966,
    "fullwidth": 0xFF10,
    "math_bold": 0x1D7CE,
    "math_monospace": 0x1D7F6,
}


def foreign_digit_ids(id_number: str = "001192012345") -> dict[str, str]:
    """``id_number`` spelled in each non-ASCII digit family, plus one with a single foreign
    digit at the end: each must be refused (or never become an id) wherever an id enters."""
    out = {
        family: "".join(chr(zero + int(c)) for c in id_number)
        for family, zero in _DIGIT_ZEROS.items()
    }
    out["one_arabic_digit"] = id_number[:-1] + chr(0x0660 + int(id_number[-1]))
    return out
