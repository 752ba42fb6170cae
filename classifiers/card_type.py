"""Identity cards typed by their machine-readable parts: a citizen card's QR code or MRZ.

A sharp phone photo of a chip card can give the OCR only a few lines (glare, guilloche,
a tilted card), and then no title nor label to classify it by; its QR code is still read.
A QR payload in the card's format (``id|old id|name|dob|sex|address|issue date``, the id
12 digits) is printed only on a citizen card: the 2021 chip card carries it on the front,
the 2024 Căn cước on the back beside the MRZ. Which side a page is follows from what else
is on it: an MRZ (or its fillers) or the back's labels make it the back, anything else the front.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.card_codes import decode_qr, find_mrz
from classifiers.fields import PageInput
from classifiers.text_lines import LayoutLine, compact
from core.card_qr import CardQr, read_card_qr
from core.mrz import MRZ_PIECES_MIN, mrz_filler_lines

__all__ = ["QR_CARD_SCORE", "card_side", "page_qr", "qr_card_type"]

# The classifier score of a page typed by its QR code: a machine reading, as sure as a
# clearly read title (classifiers.classify's TITLED_SCORE and above).
QR_CARD_SCORE = 0.95

# Printed only on a card's back (the 2024 back: residence, birth registration place,
# issue date; the 2021 and 2016 backs: personal features, fingerprints).
_BACK_LABELS = (
    "noi dang ky khai sinh",
    "place of birth",
    "date of issue",
    "dac diem nhan dang",
    "personal identification",
    "ngon tro",
    "index finger",
)


def page_qr(page: PageInput) -> CardQr | None:
    """The citizen card QR payload on ``page`` (decoded once per page), or ``None``."""
    if page.image is None or not page.machine_readable:
        return None
    if not page.qr_decoded:
        page.qr_text = decode_qr(page.image)
        page.qr_decoded = True
    return read_card_qr(page.qr_text) if page.qr_text else None


def card_side(lines: Sequence[LayoutLine]) -> str:
    """``citizen_id_back`` when the page shows an MRZ (or pieces of one: its fillers) or a
    back's labels, else the front."""
    texts = [ln.text for ln in lines]
    if find_mrz(texts) is not None or mrz_filler_lines(texts) >= MRZ_PIECES_MIN:
        return "citizen_id_back"
    text = " ".join(compact(ln.text)[0] for ln in lines)
    if any(label in text for label in _BACK_LABELS):
        return "citizen_id_back"
    return "citizen_id_front"


def qr_card_type(page: PageInput) -> str | None:
    """The card side ``page`` is, when its QR code is a citizen card's; else ``None``."""
    if page_qr(page) is None:
        return None
    return card_side(page.lines)
