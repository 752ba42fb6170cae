"""A font cut to Vietnamese Latin, for the PDFs sohoa draws text into (a signature block, a
form field's look): the letters a Vietnamese name or address can hold, nothing else."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

__all__ = ["VIETNAMESE_LATIN", "vietnamese_subset"]

# Printable ASCII, Latin-1, Latin Extended-A/B (đ, ơ, ư), combining marks, Latin Extended
# Additional (ạ … ỹ), general punctuation.
VIETNAMESE_LATIN = [
    *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1EA0, 0x1F00),
    *range(0x2010, 0x2030),
]  # fmt: skip


@lru_cache(maxsize=4)
def vietnamese_subset(path: Path) -> bytes:
    """The TrueType font at ``path`` cut to Vietnamese Latin, without layout tables, once per
    process.

    Subsetting the whole Noto Sans (its GSUB and GPOS tables above all) takes 0.4 s; the text
    drawn is NFC, so every letter is one glyph and no layout table is needed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE_LATIN)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
