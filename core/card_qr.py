"""The text of the QR code on a chip-based citizen identity card (mã QR trên thẻ CCCD gắn chip).

The code holds one line of fields separated by ``|``: the 12-digit id number, the old 9-digit
id card number (often empty), the full name, the date of birth (``ddmmyyyy``), the sex
(``Nam``/``Nữ``), the place of residence and the card's date of issue (``ddmmyyyy``). That is
the layout the cards are read by in practice; no published specification was found, so anything
after the seventh field is ignored, and a payload that does not start with a 12-digit id number
is refused with a message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from core.errors import InvalidInputError
from core.ids import is_ascii_digits, is_id_number
from core.normalize import normalize_address, normalize_name, normalize_sex

__all__ = ["CardQr", "parse_card_qr", "read_card_qr"]

_MAX_PAYLOAD = 2000  # a card's code holds ~150 characters; anything far longer is not one


@dataclass(frozen=True)
class CardQr:
    """What the card's QR code says, in the spec's formats (ISO dates, male/female)."""

    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: str | None
    sex: str | None
    place_of_residence: str | None
    issued_on: str | None

    def export(self) -> dict[str, str | None]:
        return asdict(self)

    def fields(self) -> dict[str, str]:
        """The values under the spec's field names (a card's ``date_of_issue``), none empty."""
        out = {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "place_of_residence": self.place_of_residence,
            "date_of_issue": self.issued_on,
        }
        return {k: v for k, v in out.items() if v}


def _date(value: str) -> str | None:
    if not is_ascii_digits(value, 8):
        return None
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2])).isoformat()
    except ValueError:
        return None


def read_card_qr(payload: str) -> CardQr | None:
    """The card's fields from the QR text (a clerk's camera, a scanned page), or ``None`` when
    the text is not a citizen card's code: no ``|``, or no 12-digit id number first. The old
    number is kept only as the 9 digits of a CMND; the name and address as core normalizes
    what is printed, so a QR reading compares with an OCR reading."""
    text = unicodedata.normalize("NFC", payload).strip()
    if len(text) > _MAX_PAYLOAD or "|" not in text:
        return None
    parts = [p.strip() for p in text.split("|")]
    parts += [""] * (7 - len(parts))
    id_number, old_id, name, dob, sex, residence, issued = parts[:7]
    if not is_id_number(id_number):
        return None
    return CardQr(
        id_number=id_number,
        old_id_number=old_id if is_ascii_digits(old_id, 9) else None,
        full_name=normalize_name(name) or name,
        date_of_birth=_date(dob),
        sex=normalize_sex(sex) if sex else None,
        place_of_residence=(normalize_address(residence) or residence) if residence else None,
        issued_on=_date(issued),
    )


def parse_card_qr(payload: str) -> CardQr:
    """Parse the QR text read from a card; ``InvalidInputError`` (422) when it is not one."""
    card = read_card_qr(payload)
    if card is not None:
        return card
    text = unicodedata.normalize("NFC", payload).strip()
    if len(text) > _MAX_PAYLOAD or "|" not in text:
        raise InvalidInputError(
            "Đây không phải mã QR trên thẻ Căn cước công dân (các trường cách nhau bởi |); "
            "quét lại mã QR ở mặt trước thẻ hoặc nhập số định danh."
        )
    raise InvalidInputError(
        "Mã QR không bắt đầu bằng số định danh 12 chữ số: đây không phải mã QR trên thẻ "
        "Căn cước công dân; quét lại hoặc nhập số định danh."
    )
