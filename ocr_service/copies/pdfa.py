"""PDF/A-2b from sohoa's searchable PDF, keeping its text layer and its page images as they are.

What is changed, and only that:
* every font gets its program embedded: the stamp's standard Helvetica becomes an embedded
  subset of Noto Sans (Debian's fonts-noto-core) with matching widths, and the invisible
  text layer's glyph-less font gets a one-glyph TrueType if it has none (Tesseract's pdf.ttf is
  normally there already);
* an OutputIntent (GTS_PDFA1) with the sRGB ICC profile of Debian's icc-profiles-free;
* XMP metadata identifying PDF/A-2 level B, and no information dictionary to contradict it;
* the trailer's document /ID (qpdf writes it).
The page images are not re-encoded and the content streams are not touched, so the copy is
pixel for pixel the searchable PDF. Nothing is downloaded: the profile and the font are files
of Debian packages (Makefile APT_PACKAGES).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Dictionary, Name

__all__ = ["SRGB_ICC", "STAMP_FONT", "PdfAError", "to_pdfa"]

SRGB_ICC = Path("/usr/share/color/icc/sRGB.icc")  # icc-profiles-free
STAMP_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # fonts-noto-core
_FIRST_CHAR, _LAST_CHAR = 32, 126  # the stamp is folded to printable ASCII
_STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Symbol", "Times-Bold",
    "Times-BoldItalic", "Times-Italic", "Times-Roman", "ZapfDingbats",
}  # fmt: skip


class PdfAError(ValueError):
    """The PDF holds something this converter cannot make conform (e.g. an unknown font)."""


@lru_cache(maxsize=2)
def _stamp_font_program(path: Path) -> tuple[bytes, list[int], dict[str, float]]:
    """A subset of the TrueType font with the printable ASCII glyphs; widths per 1000 em."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = [
        round(hmtx[cmap[code]][0] * scale) if code in cmap else 0
        for code in range(_FIRST_CHAR, _LAST_CHAR + 1)
    ]
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    metrics = {
        "x_min": head.xMin * scale,
        "y_min": head.yMin * scale,
        "x_max": head.xMax * scale,
        "y_max": head.yMax * scale,
        "ascent": hhea.ascent * scale,
        "descent": hhea.descent * scale,
        "cap": getattr(os2, "sCapHeight", hhea.ascent) * scale,
    }
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" noise
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(_FIRST_CHAR, _LAST_CHAR + 1))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, metrics


def _embedded_stamp_font(pdf: pikepdf.Pdf, path: Path) -> pikepdf.Object:
    program, widths, m = _stamp_font_program(path)
    name = Name("/SOHOAA+" + path.stem.replace(" ", ""))
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=name,
        Flags=32,  # non-symbolic: WinAnsiEncoding through the font's (3,1) cmap
        FontBBox=[round(m[k]) for k in ("x_min", "y_min", "x_max", "y_max")],
        ItalicAngle=0,
        Ascent=round(m["ascent"]),
        Descent=round(m["descent"]),
        CapHeight=round(m["cap"]),
        StemV=80,
        FontFile2=pdf.make_stream(program, Length1=len(program)),
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=name,
            FirstChar=_FIRST_CHAR,
            LastChar=_LAST_CHAR,
            Widths=widths,
            Encoding=Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )


@lru_cache(maxsize=1)
def _glyphless_program(advance: int) -> bytes:
    """A TrueType font with one empty glyph (GID 1) ``advance`` units wide (1000 per em)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "glyph1"])
    fb.setupCharacterMap({})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf({".notdef": empty, "glyph1": empty})
    fb.setupHorizontalMetrics({".notdef": (advance, 0), "glyph1": (advance, 0)})
    fb.setupHorizontalHeader(ascent=1000, descent=0)
    fb.setupNameTable({"familyName": "GlyphLessFont", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=1000, usWinAscent=1000, usWinDescent=0)
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


def _descriptor(font: pikepdf.Object) -> pikepdf.Object | None:
    if font.get("/Subtype") == Name.Type0:
        descendant = font.DescendantFonts[0]
        return descendant.get("/FontDescriptor")
    return font.get("/FontDescriptor")


def _is_embedded(font: pikepdf.Object) -> bool:
    descriptor = _descriptor(font)
    return descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _embed_fonts(pdf: pikepdf.Pdf, stamp_font: Path) -> None:
    replaced: dict[tuple[int, int], pikepdf.Object] = {}

    def fix(resources: pikepdf.Object) -> None:
        fonts = resources.get("/Font")
        if not isinstance(fonts, pikepdf.Dictionary):
            fonts = pikepdf.Dictionary()
        for key in list(fonts.keys()):
            font = fonts[key]
            if _is_embedded(font):
                continue
            if font.is_indirect and font.objgen in replaced:
                fonts[key] = replaced[font.objgen]
                continue
            base = str(font.get("/BaseFont", "")).lstrip("/")
            if font.get("/Subtype") == Name.Type1 and base in _STANDARD_14:
                new = _embedded_stamp_font(pdf, stamp_font)
                if font.is_indirect:
                    replaced[font.objgen] = new
                fonts[key] = new
            elif (
                font.get("/Subtype") == Name.Type0
                and str(font.DescendantFonts[0].get("/Subtype")) == "/CIDFontType2"
            ):
                advance = int(font.DescendantFonts[0].get("/DW", 1000))
                program = _glyphless_program(advance)
                font.DescendantFonts[0].FontDescriptor.FontFile2 = pdf.make_stream(
                    program, Length1=len(program)
                )
            else:
                raise PdfAError(f"font {base or key} is not embedded and cannot be replaced")
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == Name.Form and "/Resources" in xobject:
                fix(xobject.Resources)

    for page in pdf.pages:
        if "/Resources" in page.obj:
            fix(page.obj.Resources)


def _output_intent(pdf: pikepdf.Pdf, icc: Path) -> None:
    profile = pdf.make_stream(icc.read_bytes(), N=3)
    pdf.Root.OutputIntents = pdf.make_indirect(
        pikepdf.Array(
            [
                Dictionary(
                    Type=Name.OutputIntent,
                    S=Name.GTS_PDFA1,
                    OutputConditionIdentifier="sRGB IEC61966-2.1",
                    Info="sRGB IEC61966-2.1",
                    DestOutputProfile=profile,
                )
            ]
        )
    )


def _xmp(*, title: str | None, producer: str, when: datetime) -> bytes:
    """The XMP packet, namespaces declared on rdf:Description (the form every reader takes)."""
    stamp = when.isoformat()
    title_xml = (
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        if title
        else ""
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<pdf:Producer>{escape(producer)}</pdf:Producer>
<xmp:CreatorTool>sohoa</xmp:CreatorTool>
<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:ModifyDate>{stamp}</xmp:ModifyDate>
{title_xml}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def to_pdfa(
    pdf_bytes: bytes,
    *,
    title: str | None = None,
    created: datetime | None = None,
    icc: Path = SRGB_ICC,
    stamp_font: Path = STAMP_FONT,
) -> bytes:
    """The same document as PDF/A-2b (ISO 19005-2, level B); see the module docstring."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    if pdf.is_encrypted:
        raise PdfAError("an encrypted PDF cannot be PDF/A")
    for forbidden in ("/OpenAction", "/AA", "/Names"):
        if forbidden in pdf.Root:  # actions and JavaScript; sohoa's PDFs have none
            del pdf.Root[forbidden]
    _embed_fonts(pdf, stamp_font)
    _output_intent(pdf, icc)
    when = (created or datetime.now(UTC)).replace(microsecond=0)
    producer = str(pdf.docinfo.get("/Producer", "sohoa"))
    pdf.Root.Metadata = pdf.make_stream(
        _xmp(title=title, producer=producer, when=when), Type=Name.Metadata, Subtype=Name.XML
    )
    # XMP only: PDF/A wants the information dictionary, when there is one, to say what the XMP
    # says, and pyHanko's signature rewrites the XMP but appends to the dictionary's Producer.
    if "/Info" in pdf.trailer:
        del pdf.trailer.Info
    out = io.BytesIO()
    # No object streams: plain cross-reference tables keep the file easy for any PDF/A tool.
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()
