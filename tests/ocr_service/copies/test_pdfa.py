"""PDF/A-2b: Apache PDFBox Preflight (PDF/A-1b rules) plus explicit structural checks."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest

from ocr_service.copies.pdfa import PdfAError, to_pdfa
from ocr_service.copies.qr import QrPayload, add_qr_to_pdf
from tests.ocr_service.copies.copy_kit import (
    as_pdfa1,
    preflight,
    preflight_available,
    sample_searchable_pdf,
)

needs_preflight = pytest.mark.skipif(
    not preflight_available(), reason="Apache PDFBox Preflight (libpdfbox2-java) not installed"
)


def _copy(title: str | None = "Giấy khai sinh (bản số hóa)") -> tuple[bytes, bytes]:
    searchable = add_qr_to_pdf(
        sample_searchable_pdf(2),
        QrPayload("000.00.00.H49-261123-0007", "1.001193", "001192012345", "Giấy khai sinh",
                  "sohoa", datetime(2026, 11, 23, tzinfo=UTC)),
    )  # fmt: skip
    return searchable, to_pdfa(searchable, title=title)


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    out = []
    for page in pdf.pages:
        out += list((page.obj.Resources.get("/Font") or {}).values())
    return out


@needs_preflight
def test_preflight_accepts_the_copy_and_refuses_the_searchable_pdf(tmp_path: Path) -> None:
    searchable, copy = _copy()
    ok, said = preflight(as_pdfa1(copy), tmp_path)
    assert ok, said
    # the validator can fail: the searchable PDF, merely labelled, has a font not embedded
    pdf = pikepdf.open(io.BytesIO(copy))
    pdf.pages[0].Resources.Font.FStamp = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    out = io.BytesIO()
    pdf.save(out)
    ok, said = preflight(as_pdfa1(out.getvalue()), tmp_path)
    assert not ok and "Helvetica" in said


def test_the_structure_pdfa_requires() -> None:
    _, copy = _copy()
    assert copy[:8] == b"%PDF-1.3" and copy[9] == ord("%") and min(copy[10:14]) > 127
    pdf = pikepdf.open(io.BytesIO(copy))
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B<" in xmp
    assert "/Filter" not in pdf.Root.Metadata.stream_dict  # readable without decoding
    assert "/Info" not in pdf.trailer  # nothing to contradict the XMP
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
    assert len(pdf.trailer.ID) == 2 and not pdf.is_encrypted
    for key in ("/OpenAction", "/AA", "/Names", "/AcroForm"):
        assert key not in pdf.Root
    for font in _fonts(pdf):
        target = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
        descriptor = target.FontDescriptor
        assert "/FontFile2" in descriptor, font.BaseFont
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            assert "/SMask" not in obj.stream_dict and "/JS" not in obj.stream_dict


def test_the_text_layer_and_the_images_are_kept_as_they_were() -> None:
    searchable, copy = _copy()
    before, after = pikepdf.open(io.BytesIO(searchable)), pikepdf.open(io.BytesIO(copy))

    def contents(page: pikepdf.Page) -> bytes:
        c = page.obj.Contents
        return b"".join(s.read_bytes() for s in (c if isinstance(c, pikepdf.Array) else [c]))

    for old, new in zip(before.pages, after.pages, strict=True):
        old_image, new_image = old.Resources.XObject.Im0, new.Resources.XObject.Im0
        assert new_image.read_raw_bytes() == old_image.read_raw_bytes()  # not re-encoded
        assert (new_image.Width, new_image.Height) == (old_image.Width, old_image.Height)
        assert contents(new) == contents(old)

    def text(pdf: bytes) -> str:
        return subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    assert text(copy) == text(searchable) and "Đặng Thị Hằng" in text(copy)


def test_a_missing_glyphless_font_program_is_generated() -> None:
    searchable, _ = _copy()
    pdf = pikepdf.open(io.BytesIO(searchable))
    descriptor = pdf.pages[0].Resources.Font.FOcr.DescendantFonts[0].FontDescriptor
    del descriptor.FontFile2  # as when Tesseract's pdf.ttf is not installed
    out = io.BytesIO()
    pdf.save(out)
    copy = pikepdf.open(io.BytesIO(to_pdfa(out.getvalue())))
    program = copy.pages[0].Resources.Font.FOcr.DescendantFonts[0].FontDescriptor.FontFile2
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program.read_bytes()))
    assert font["hmtx"]["glyph1"][0] == 500 and font["head"].unitsPerEm == 1000


def test_an_unknown_unembedded_font_is_refused() -> None:
    searchable, _ = _copy()
    pdf = pikepdf.open(io.BytesIO(searchable))
    pdf.pages[0].Resources.Font.FX = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name("/Garamond")
    )
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(PdfAError, match="Garamond"):
        to_pdfa(out.getvalue())
