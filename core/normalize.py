"""Vietnamese-aware normalisation of printed field values into the spec's formats.

Every function returns ``None`` when the value cannot be read with confidence: a field
that cannot be normalised is absent, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from core.ids import is_ascii_digits, is_id_number

__all__ = [
    "BALLOT_BOXES",
    "clean_spaces",
    "date_from_words",
    "ends_with_province",
    "fold",
    "fold_keep_case",
    "is_leader_noise",
    "is_syllable",
    "normalize_address",
    "normalize_area",
    "normalize_business_code",
    "normalize_date",
    "normalize_ethnicity",
    "normalize_id_number",
    "normalize_marital_status",
    "normalize_name",
    "normalize_nationality",
    "normalize_number",
    "normalize_registration_number",
    "normalize_sex",
    "normalize_printed",
    "normalize_text",
    "open_short_vowel",
    "repair_syllable",
    "strip_leader_junk",
    "ticked_option",
    "usual_name_tones",
    "valid_syllable",
]

# Characters OCR confuses with digits; applied only where the context is numeric.
_DIGIT_SLIPS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "Q": "0",
        "D": "0",
        "U": "0",
        "l": "1",
        "I": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "L": "1",
        "J": "1",
        "Z": "2",
        "z": "2",
        "S": "5",
        "s": "5",
        "G": "6",
        "b": "6",
        "T": "7",
        "B": "8",
        "g": "9",
        "q": "9",
    }
)


def fold_keep_case(text: str) -> str:
    """Strip Vietnamese diacritics character by character (same length as the NFC input)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def fold(text: str) -> str:
    """Diacritics-insensitive, lower-case form used for fuzzy matching (length-preserving)."""
    return fold_keep_case(text).lower()


def clean_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def normalize_text(text: str) -> str:
    """NFC, single spaces, stray leading/trailing punctuation (leaders, colons) removed."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[.…·_]{2,}", " ", text)  # dotted leaders
    text = clean_spaces(text)
    return text.strip(" :;,-–—.·_")


def normalize_nationality(text: str) -> str | None:
    """A nationality: as printed, except that a reading whose first word is "Việt" is Việt Nam
    (no other nationality begins with that word; OCR cuts or blurs the second: "Việt", "Việt
    gờ"). A nationality is written in words: a reading holding a digit is another field's
    value (a date beside a tilted card's label), not a nationality."""
    value = normalize_printed(text)
    if value and fold(value).split()[0] == "viet":
        return "Việt Nam"
    if value and any(c.isdigit() for c in value):
        return None
    return value


def normalize_printed(text: str) -> str | None:
    """Other printed values (business names, nationality): NFC, single spaces, as printed."""
    value = re.sub(r"\s+,", ",", normalize_text(text))
    # the nationality nearly every document prints, whatever specks OCR put between its words
    if " ".join(re.findall(r"\w+", fold(value))) == "viet nam":
        return "Việt Nam"
    return value or None


# What an address may end with: a letter, a digit or a closing bracket; OCR specks after the
# last word ("… Thái Bình *®", a stamp's edge) are not part of it.
_ADDRESS_TAIL_SPECKS = re.compile(r"[^\w)]+$")


def normalize_address(text: str) -> str | None:
    """Addresses and places: NFC, single spaces, as printed (trailing punctuation and specks
    dropped; a semicolon between parts is a comma misread: no address prints one)."""
    value = _ADDRESS_TAIL_SPECKS.sub("", normalize_text(text))
    if not re.search(r"\w\w", value):
        return None  # a speck or a lone letter ("ị") is no place: every place has a word
    value = re.sub(r"\s*;+\s*,?\s*", ", ", value)
    value = re.sub(r"\s+,", ",", value)
    value = _restore_commas(value)
    return fix_address_words(value) or None


def _title_word(word: str) -> str:
    # Keep hyphenated parts capitalised too (e.g. "H'Mông", "Ka-Sô").
    parts = re.split(r"([-'])", word)
    return "".join(p[:1].upper() + p[1:].lower() if p not in "-'" else p for p in parts)


# Matched on the folded text (fold keeps lengths), so "quân" read for "quận" still counts.
_UNIT_BEFORE = re.compile(
    r"(?<=[^\s,])\s+(?=(?:phuong|quan|huyen|thi xa|thi tran|thanh pho|tinh|xa)\s+\S|"
    r"(?:phuong|quan)\s+\d)"
)
# The 63 provinces and cities as printed at the end of an address ("…, Đà Nẵng").
PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hoà Bình",
    "Hồ Chí Minh",
    "Hưng Yên",
    "Khánh Hòa",
    "Khánh Hoà",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thanh Hoá",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)


# Names an address may still end in that are not among the 63: the city of Huế (Thừa Thiên
# Huế until 2025) and the provinces merged or split since 1976, which older papers and the
# places of origin copied from them still print.
OTHER_PROVINCE_NAMES = (
    "Huế",
    "Hà Tây",
    "Hà Sơn Bình",
    "Hà Nam Ninh",
    "Hải Hưng",
    "Hà Bắc",
    "Vĩnh Phú",
    "Bắc Thái",
    "Hoàng Liên Sơn",
    "Hà Tuyên",
    "Cao Lạng",
    "Nghệ Tĩnh",
    "Bình Trị Thiên",
    "Quảng Nam - Đà Nẵng",
    "Nghĩa Bình",
    "Phú Khánh",
    "Thuận Hải",
    "Gia Lai - Kon Tum",
    "Sông Bé",
    "Minh Hải",
    "Cửu Long",
    "Sài Gòn",
    "HCM",
)


def _province_pattern(name: str) -> str:
    """A province's folded words as printed in any of its spellings: run together or apart
    ("ĐắkLắk", "Daklak"), and a syllable's k written c at either end ("Đắc Lắc", "Bắc Cạn":
    the spellings older cards and papers still print)."""
    words = re.findall(r"\w+", fold(name))
    return " ?".join(re.sub(r"^[ck]|[ck]$", "[ck]", w) for w in words)


_PROVINCE_ENDING = re.compile(
    r"(?:^| )(?:"
    + "|".join(sorted({_province_pattern(p) for p in (*PROVINCES, *OTHER_PROVINCE_NAMES)}))
    + r")(?: viet ?nam)?$"
)


def ends_with_province(address: str) -> bool:
    """Whether ``address`` ends with a province's (or centrally run city's) name, the last
    unit of every Vietnamese administrative address, with or without the country after it."""
    return _PROVINCE_ENDING.search(" ".join(re.findall(r"\w+", fold(address)))) is not None


_UNIT_START = re.compile(r"^(?:phuong|quan|huyen|thi xa|thi tran|thanh pho|tinh|xa)\s")
_UNIT_LAST_WORDS = frozenset({"phuong", "quan", "huyen", "xa", "tran", "pho", "tinh"})


def _insert_unit_commas(part: str) -> str:
    """Commas before unit words inside one part; the unit must be followed by a name or number
    that starts with a capital or digit (so "xã" inside "Trạm y tế xã" is never touched here)."""
    folded = fold(part)
    cuts = []
    for m in _UNIT_BEFORE.finditer(folded):
        before = folded[: m.start()].split()
        # "phường Quan Hoa", "phường Quán Thánh": a place name right after a unit word is
        # that unit's name, not the start of the next address part.
        if before and before[-1] in _UNIT_LAST_WORDS:
            continue
        unit = _UNIT_START.match(folded[m.end() :])
        following = part[m.end() + unit.end() :] if unit else ""
        if following[:1].isupper() or following[:1].isdigit():
            cuts.append(m.start())
    for cut in reversed(cuts):
        part = part[:cut] + "," + part[cut:]
    return part


def _restore_commas(value: str) -> str:
    """Put back commas OCR lost between address parts ("quận Hải Châu Đà Nẵng").

    Only inside a part that itself opens with a unit word ("phường Đồng Thọ thành phố
    Thanh Hoá"); "Trạm y tế xã Hoà Tiến" is a name and keeps its words together.
    """
    value = re.sub(r"\s*[;:.]+\s*,", ",", value)  # "Thanh Hoá;, tỉnh" → "Thanh Hoá, tỉnh"
    parts = value.split(",")
    value = ",".join(
        _insert_unit_commas(p) if _UNIT_START.match(fold(p.strip()) + " ") else p for p in parts
    )
    for prov in PROVINCES:
        if value.endswith(" " + prov) and not value.endswith(", " + prov):
            head = value[: -len(prov)].rstrip()
            last = head.split(" ")[-1].lower() if head else ""
            last_part = fold(head.rsplit(",", 1)[-1].strip())
            # Only in a comma-separated administrative address whose last part opens with a
            # unit word ("…, quận Hải Châu Đà Nẵng"); "tỉnh Quảng Nam" and "Bệnh viện Phụ sản
            # Hà Nội" stay as they are.
            if (
                "," in head
                and last not in ("tinh", "tỉnh", "phố", "thành", "quận", "huyện", "xã", "phường")
                and last_part.startswith(("quan ", "huyen ", "thanh pho ", "thi xa "))
            ):
                value = f"{head}, {prov}"
            break
    # The country closing a comma-separated address is a part of its own ("…, tỉnh Bến Tre,
    # Việt Nam"); and a unit comma put back after a number's stray full stop ("phường 1.,")
    # takes its place.
    head, country = value[: -len(" viet nam")], value[-len(" viet nam") :]
    if fold(country) == " viet nam" and "," in head and not head.endswith(","):
        value = f"{head},{country}"
    return re.sub(r"\s*[;:.]+\s*,", ",", value)


def normalize_name(text: str) -> str | None:
    """Person names: NFC, single spaces, each word capitalised (Vietnamese-aware)."""
    value = normalize_text(text)
    value = re.sub(r"[^\w\s'\-]", " ", value)
    value = re.sub(r"\d", " ", value)
    value = clean_spaces(value)
    words = value.split(" ") if value else []
    words = [part for w in words for part in _split_glued(w)]
    words = [repair_syllable(w) for w in words]
    if words:
        words[0] = (
            _SURNAMES_BY_FOLD.get(fold(words[0]), words[0])
            if not _is_surname(words[0])
            else words[0]
        )
    # "Thị" and "Văn" are by far the commonest middle names; read without tone marks in the
    # middle of a name they are misreads ("Phan Thi Bảo Diệp").
    for i in range(1, len(words) - 1):
        words[i] = {"thi": "Thị", "van": "Văn"}.get(words[i].lower(), words[i])
    # A lone trailing letter after a full name is what OCR made of a dotted leader; after a
    # middle name (a specimen's "… Văn A") it is the given name: a name never
    # ends on "Văn" or "Thị".
    # Such a one-letter given name is a bare capital: a dot read under it is a leader's dot
    # (no Vietnamese name is "Ạ" or "Ọ"; those are particles).
    if len(words) >= 3 and len(words[-1]) == 1 and words[-2].lower() in ("văn", "thị"):
        words[-1] = unicodedata.normalize(
            "NFC", unicodedata.normalize("NFD", words[-1]).replace(_DOT, "")
        )
    if (
        len(words) >= 3
        and len(words[-1]) == 1
        and words[-1] in "OoAaMmEeUuNnSsCc"
        and words[-2].lower() not in ("văn", "thị")
    ):
        words.pop()
    if not words or len(" ".join(words)) < 2:
        return None
    return " ".join(_title_word(w) for w in words)


# Common Vietnamese surnames (họ); the first word of a name is snapped to one when OCR lost
# only its tone mark ("Trinh" → "Trịnh"), never when it is another valid surname.
SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trịnh",
    "Đinh",
    "Lâm",
    "Mai",
    "Tô",
    "Hà",
    "Đoàn",
    "Lương",
    "Quách",
    "Cao",
    "Tạ",
    "Châu",
    "Kiều",
    "Thái",
    "Triệu",
    "Khúc",
    "Lại",
    "Mạc",
    "Chu",
    "Đào",
    "Tăng",
    "Lưu",
    "Vương",
    "Diệp",
    "Tôn",
    "Thân",
    "Từ",
    "Hứa",
    "Giang",
    "Âu",
    "Quan",
    "Nghiêm",
)


def _surname_index() -> dict[str, str]:
    by_fold: dict[str, list[str]] = {}
    for name in SURNAMES:
        by_fold.setdefault(fold(name), []).append(name)
    return {k: v[0] for k, v in by_fold.items() if len(v) == 1}  # ambiguous folds stay as read


_SURNAMES_BY_FOLD = _surname_index()


def _is_surname(word: str) -> bool:
    return word[:1].upper() + word[1:].lower() in SURNAMES


def _split_glued(word: str) -> list[str]:
    """Two syllables OCR glued together ("Thulan" → "Thu", "lan"); others unchanged."""
    if len(word) < 5 or valid_syllable(word) or not word.isalpha():
        return [word]
    for i in range(2, len(word) - 1):
        a, b = word[:i], word[i:]
        if valid_syllable(a) and valid_syllable(b) and len(b) >= 2:
            return [a, b]
    return [word]


def _fix_digits(text: str) -> str:
    return text.translate(_DIGIT_SLIPS)


def normalize_id_number(text: str) -> str | None:
    """The 12-digit personal id number; letter/digit slips fixed inside the digit run only."""
    value = unicodedata.normalize("NFC", text)
    # Candidate runs of digits and digit look-alikes, possibly split by spaces or dots.
    for match in re.finditer(r"[0-9OoQDlI|!SBZGg][0-9OoQDlI|!SBZGg .\-]{10,20}", value):
        run = re.sub(r"[ .\-]", "", match.group(0))
        if sum(c.isdigit() for c in run) < 9:  # mostly digits, or it is a word
            continue
        fixed = _fix_digits(run)
        if is_id_number(fixed):
            return fixed
    # ASCII digits only: an Arabic-Indic or full-width digit never becomes part of an id
    only_digits = re.sub(r"[^0-9]", "", value)
    if is_id_number(only_digits):
        return only_digits
    return None


_MONTH_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "muoi mot": 11,
    "muoi hai": 12,
    "gieng": 1,  # tháng giêng
    "chap": 12,  # tháng chạp
}


def _valid_date(year: int, month: int, day: int) -> str | None:
    if not (1850 <= year <= 2200):
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _day_month_year(groups: Sequence[str]) -> tuple[int, int, int] | None:
    """A date's day, month and year as OCR read them (digits slipped to look-alike letters,
    a gap read inside a number) → (year, month, day), or None when one is no number."""
    d, mo, y = (_fix_digits(g.replace(" ", "")) for g in groups)
    if is_ascii_digits(d) and is_ascii_digits(mo) and is_ascii_digits(y):
        return int(y), int(mo), int(d)
    return None


# The letters of the small words "ngày", "tháng", "năm" as OCR slips them: letters, never a
# digit, and as few as reach the number (lazily), so that a number glued to its word
# ("Ngày11", "tháng12", "Ngàyl5" with a look-alike) stays whole.
_W = r"[^\W\d_]"


def normalize_date(text: str) -> str | None:
    """A printed date in any usual Vietnamese form → ``YYYY-MM-DD``."""
    value = fold(unicodedata.normalize("NFC", text))
    # "ngày 15 tháng 8 năm 1992" (tolerating OCR slips in the small words and digits).
    m = re.search(
        rf"ng{_W}{{1,3}}?\s*([0-9oOlI|]{{1,2}})\s*,?\s*th{_W}{{2,4}}?\s*([0-9oOlI|]{{1,2}})\s*,?\s*n{_W}{{1,3}}?\s*([0-9oOlI|]{{4}})",
        value,
    )
    if m and (dmy := _day_month_year(m.groups())):
        return _valid_date(*dmy)
    # The same without its "ngày", which a label "Ngày" took ("15 tháng 8 năm 1992"): only
    # where the value opens with the day.
    m = re.match(
        rf"\s*([0-9oOlI|]{{1,2}})\s*,?\s*th{_W}{{2,4}}?\s*([0-9oOlI|]{{1,2}})\s*,?\s*n{_W}{{1,3}}?\s*([0-9oOlI|]{{4}})(?![0-9])",
        value,
    )
    if m and (dmy := _day_month_year(m.groups())):
        return _valid_date(*dmy)
    # Numeric forms 15/08/1992, 15-08-1992, 15.08.1992, 15 / 08 / 1992; a day or month OCR
    # split in two ("1 2/05/2023": a gap read between its digits) is one number.
    slip = r"[0-9oOlI|]"
    m = re.search(
        rf"(?<![0-9])({slip} ?{slip}|{slip})\s*[/\-.]\s*({slip} ?{slip}|{slip})\s*[/\-.]\s*({slip}{{4}})",
        value,
    )
    if m and (dmy := _day_month_year(m.groups())):
        return _valid_date(*dmy)
    # ISO already.
    m = re.search(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    if m:
        return _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    # One of the two separators lost by OCR ("0102/2040", "01/022040"), the date alone: the
    # card prints day and month with two digits each, so the digits still fall in place.
    m = re.fullmatch(r"\s*([0-9]{2})\s*([/\-.]?)\s*([0-9]{2})\s*([/\-.]?)\s*([0-9]{4})\s*", value)
    if m and bool(m.group(2)) != bool(m.group(4)):
        return _valid_date(int(m.group(5)), int(m.group(3)), int(m.group(1)))
    # ddmmyyyy (QR payloads).
    m = re.fullmatch(r"\s*([0-9]{2})([0-9]{2})([0-9]{4})\s*", value)
    if m:
        return _valid_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


# Number words of dates written out ("ghi bằng chữ"), diacritics folded: "mốt"/"một" are 1,
# "lăm"/"năm" 5 after a ten, "tư"/"bốn" 4 (months: _MONTH_WORDS).
_DIGIT_WORDS = {
    "khong": 0,
    **{w: n for w, n in _MONTH_WORDS.items() if n < 10 and w != "gieng"},
    "lam": 5,
    "nham": 5,
}
_SKIP_WORDS = {"mong", "mung", "linh", "le"}  # "mồng một", "hai nghìn linh năm"


def _number_from_words(words: list[str]) -> int | None:
    """A number spelled in Vietnamese words ("hai nghìn không trăm hai mươi" = 2020), or
    ``None`` for anything that is not one well-formed number (two digits in a row)."""
    total = group = 0
    pending: int | None = None
    seen = False
    for w in words:
        if w in _SKIP_WORDS:
            continue
        seen = True
        if w in _DIGIT_WORDS:
            if pending is not None:
                return None  # "hai ba": no number is read that way
            pending = _DIGIT_WORDS[w]
        elif w == "muoi":
            group += 10 * (1 if pending is None else pending)
            pending = None
        elif w == "tram":
            group += 100 * (1 if pending is None else pending)
            pending = None
        elif w in ("nghin", "ngan"):
            total += 1000 * ((group + (pending or 0)) or 1)
            group, pending = 0, None
        else:
            return None
    if not seen:
        return None
    return total + group + (pending or 0)


def date_from_words(text: str) -> str | None:
    """A date written in words, as certificates print it beside the digits ("ghi bằng chữ:
    ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi") → ``YYYY-MM-DD``; ``None``
    unless every word reads (an OCR slip in a number word is not guessed at)."""
    words = re.findall(r"[a-z]+", fold(unicodedata.normalize("NFC", text)))
    try:
        start = words.index("ngay")
        month_at = words.index("thang", start + 1)
    except ValueError:
        return None
    day = _number_from_words(words[start + 1 : month_at])
    rest = words[month_at + 1 :]
    # the month is one or two words and is followed by "năm" (which is also the word 5:
    # "tháng năm năm hai nghìn" is May)
    for n in (2, 1):
        if len(rest) <= n or rest[n] != "nam":
            continue
        month = _MONTH_WORDS.get(" ".join(rest[:n]))
        year = _number_from_words(rest[n + 1 :])
        if day is None or month is None or year is None:
            continue
        return _valid_date(year, month, day)
    return None


# The boxes a form prints by each option of a choice ("☒ Nam ☐ Nữ"), ticked and not; a filled
# PDF form's check boxes are read as these too (ocr_service.form_fields).
_TICKED, _UNTICKED = "\u2612\u2611\u2713\u2714\u2717\u2718", "\u2610\u25a1"  # ☒☑✓✔✗✘ ☐□
BALLOT_BOXES = _TICKED + _UNTICKED
_BALLOT = re.compile(f"([{BALLOT_BOXES}])")


def ticked_option(text: str) -> str | None:
    """The option a choice printed with ballot boxes marks as chosen: the words after the
    ticked box when the boxes stand before their options ("☐ Nam ☒ Nữ"), before it when they
    follow them ("Nam ☐ Nữ ☒"); "" when no box or more than one is ticked; None when
    ``text`` has no ballot box (no such choice)."""
    parts = _BALLOT.split(text)
    if len(parts) == 1:
        return None
    marks, words = parts[1::2], [part.strip(" :;,.") for part in parts[0::2]]
    boxes_first = not words[0]
    chosen = [
        words[i + 1] if boxes_first else words[i] for i, m in enumerate(marks) if m in _TICKED
    ]
    return chosen[0] if len(chosen) == 1 else ""


def normalize_sex(text: str) -> str | None:
    """Nam/Nữ/Male/Female (with or without diacritics, any case) → male/female; of a choice
    printed with ballot boxes, the ticked option."""
    option = ticked_option(text)
    value = fold(text if option is None else option)
    words = re.findall(r"[a-z]+", value)
    if not words:
        return None
    for w in words:
        if w in ("nu", "female", "f", "nuu"):
            return "female"
        if w in ("nam", "male", "m", "narn", "nem"):
            return "male"
    return None


def normalize_registration_number(text: str) -> str | None:
    """The entry number printed after "Số:", up to the first "/" or space."""
    value = normalize_text(text)
    value = re.sub(r"^(s[oố]\s*[:.]?\s*)", "", value, flags=re.IGNORECASE)
    token = re.split(r"[/\s]", value, maxsplit=1)[0].strip(".,:;")
    if not token or not re.search(r"\d", token):
        return None
    # Fix letter slips only when the entry number is otherwise numeric.
    fixed = _fix_digits(token)
    if is_ascii_digits(fixed) and sum(c.isdigit() for c in token) >= len(token) - 1:
        return fixed
    return token


def normalize_business_code(text: str) -> str | None:
    """Business/enterprise codes: as printed, spaces removed."""
    value = re.sub(r"\s+", "", normalize_text(text)).strip(".,:;")
    if not value or sum(c.isdigit() for c in value) < 4:
        return None
    return value


def normalize_area(text: str) -> str | None:
    """Areas (m²): the number as printed with a dot decimal separator, unit dropped."""
    value = re.sub(r"\(?\s*m\s*[2²]\s*\)?", " ", normalize_text(text), flags=re.IGNORECASE)
    m = re.search(r"\d+(?:[.,]\d+)*", value)
    if not m:
        return None
    number = m.group(0)
    # "1.234,5" or "1,234.5" or "123,4" → canonical dot decimal.
    if "," in number and "." in number:
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    elif "," in number:
        number = number.replace(",", ".")
    return number


def normalize_marital_status(text: str) -> str | None:
    """Tình trạng hôn nhân wording → single / married / divorced / widowed; of a choice
    printed with ballot boxes, the ticked option."""
    option = ticked_option(text)
    f = fold(text if option is None else option)
    if "ly hon" in f:
        return "divorced"
    if "goa" in f or "da chet" in f or "qua doi" in f:
        return "widowed"
    if "dang co vo" in f or "dang co chong" in f or "co vo" in f or "co chong" in f:
        return "married"
    if "chua" in f and "ket hon" in f or "doc than" in f:
        return "single"
    return None


# A number with the code letters some registers print before it: an apartment block's
# parcel "CT8", a sheet "B12".
# (Letters a recognizer makes of digits, O I L, are no code: "O12" is 012.)
_LETTERED_NUMBER = re.compile(r"(?<![\w])((?![OIL]+[0-9])[A-Z]{1,3}[0-9]{1,5})(?![\w])")


def normalize_number(text: str) -> str | None:
    """A plain entry number (parcel, map sheet): the first run of digits, slips fixed, or
    a number with its upper-case code letters as printed ("CT8")."""
    value = normalize_text(text)
    lettered = _LETTERED_NUMBER.search(value)
    plain = re.search(r"(?<![A-Za-z])[0-9][0-9OoIl]*|[OoIl]?[0-9]+", value)
    if lettered and (plain is None or lettered.start() <= plain.start()):
        return lettered.group(1)
    m = plain
    if not m:
        return None
    fixed = _fix_digits(m.group(0))
    return fixed if is_ascii_digits(fixed) else None


# --- dotted leaders read as letters ---------------------------------------------------------

_INITIALS = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_NUCLEI = (
    "uyeu|oai|oay|oeo|uay|uoi|uou|uya|uye|uyu|ieu|yeu|uau|"
    "ai|ao|au|ay|eo|eu|ia|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|ie|ye|uo|"
    "a|e|i|o|u|y"
)
_SYLLABLE = re.compile(rf"^{_INITIALS}(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$")
# What a recogniser makes of a row of dots: o, a, m, 0, e, s, punctuation...
_LEADER_CHARS = set("oOaAmMeEnNsSuUcC0°•·.…,:;'\"`~_-")


def valid_syllable(word: str) -> bool:
    """Whether a (diacritics-free) word can be one Vietnamese syllable (``nguyen``, ``oanh``)."""
    return bool(_SYLLABLE.match(fold(word)))


# Tone marks as combining characters (NFD): sắc, huyền, hỏi, ngã, nặng.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}


def _with_tone(word: str, tone: str) -> str:
    """``word`` with its one tone mark replaced by ``tone`` (vowel shape marks kept)."""
    return unicodedata.normalize(
        "NFC", "".join(tone if c in _TONES else c for c in unicodedata.normalize("NFD", word))
    )


def repair_syllable(word: str) -> str:
    """Fix OCR slips that make a word an impossible Vietnamese syllable, by the rules of
    Vietnamese spelling (never by a list of expected words):

    - a letter read twice ("Nguyễnn" → "Nguyễn"): no syllable has a doubled consonant or
      a doubled vowel other than "oo";
    - a syllable closed by -p, -t, -c or -ch can only carry sắc or nặng: huyền, hỏi or ngã
      there is a misread of sắc (the marks recognizers confuse, "Quyềt" → "Quyết").

    Anything else (numbers, acronyms, valid syllables) is returned unchanged.
    """
    if not word.isalpha() or len(word) < 2:
        return word
    if not valid_syllable(word):
        collapsed = re.sub(r"(\w)\1", r"\1", word)
        if collapsed != word and valid_syllable(collapsed):
            word = collapsed
    if valid_syllable(word) and _stop_with_level_tone(word):
        word = _with_tone(word, _ACUTE)
    return word


def _stop_with_level_tone(word: str) -> bool:
    """``word`` ends in a stop (-p, -t, -c, -ch) yet carries huyền, hỏi or ngã: only sắc and
    nặng go with a stop."""
    folded = fold(word)
    if not re.search(r"(?:[ptc]|ch)$", folded):
        return False
    return bool(set(unicodedata.normalize("NFD", word)) & {_GRAVE, _HOOK, _TILDE})


def open_short_vowel(word: str) -> bool:
    """``word`` ends in "ă" or "â" (with any tone mark): these short vowels are always closed,
    by a consonant ("ăn", "ấp") or a glide ("âu", "ây"); "Quậ" is "Quận" that lost its end."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if c not in _TONES)
    return unicodedata.normalize("NFC", bare).endswith(("ă", "â"))


def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters, with its marks) can be one Vietnamese syllable: an onset
    and a rhyme (``valid_syllable``), a tone its rhyme allows ("Viễt" cannot be), and no
    short vowel left open ("Quậ" cannot be)."""
    return (
        word.isalpha()
        and valid_syllable(word)
        and not _stop_with_level_tone(word)
        and not open_short_vowel(word)
    )


# --- the tone marks of given names -----------------------------------------------------------

# The syllables Vietnamese middle and given names (tên đệm, tên) are commonly made of, with
# their tone marks: a few hundred cover nearly everyone, and most words of the language never
# serve as a name ("Hiểu" understand, "Tuần" week), while their tone variants do.
_GIVEN_NAMES_TEXT = (
    "An Anh Ánh Ân Bá Bách Bảo Bắc Bằng Bích Bình Cảnh Cầm Chánh Châu Chi Chí Chiến Chinh "
    "Chính Chung Công Cúc Cương Cường Dân Diễm Diệp Diệu Doanh Dung Dũng Duy Duyên Dương "
    "Đại Đan Đào Đạt Đăng Đắc Điệp Đình Định Đoan Đông Đồng Đức Gấm Gia Giang Giao Hà Hạ "
    "Hải Hạnh Hào Hảo Hằng Hân Hậu Hiên Hiền Hiển Hiến Hiệp Hiếu Hoa Hòa Hoà Hoài Hoan "
    "Hoàn Hoàng Hoạt Học Hồng Hợp Huân Huệ Hùng Hưng Hương Hường Hữu Huy Huyền Huỳnh Khải "
    "Khang Khanh Khánh Khắc Khiêm Khoa Khôi Khuê Khương Kiên Kiều Kiệt Kim Kỳ Lam Lan Lâm "
    "Lập Lệ Liên Liễu Linh Loan Lộc Lợi Long Luân Lực Lượng Ly Lý Mai Mạnh Mẫn Mến Minh My "
    "Mỹ Nam Năng Nga Ngân Nghĩa Nghiêm Ngọc Nguyên Nguyệt Nhã Nhàn Nhân Nhật Nhi Nhiên Nhung "
    "Như Nương Oanh Phát Phi Phong Phú Phúc Phụng Phước Phương Phượng Quang Quân Quế Quốc "
    "Quý Quyên Quyết Quỳnh Sang Sáng Sinh Sơn Sương Tài Tâm Tân Tấn Thạch Thái Thắm Thắng "
    "Thanh Thành Thảo Thăng Thân Thế Thi Thị Thiên Thiện Thịnh Thoa Thơ Thọ Thông Thu Thư "
    "Thuận Thục Thủy Thúy Thùy Thuỷ Thuý Thuỳ Thương Thường Tiến Tiên Tín Tình Toàn Toản Tố "
    "Trà Trâm Trang Trí Triều Trinh Trọng Trúc Trung Trường Tú Tuấn Tuệ Tùng Tuyền Tuyết "
    "Tường Tưởng Uyên Vân Văn Vi Việt Vinh Vĩnh Võ Vũ Vượng Vy Xuân Ý Yên Yến Cẩm Huế Hưởng "
    "Kỷ Thưởng Tính Toán Tuyến Tuyển"
)
GIVEN_NAMES = tuple(_GIVEN_NAMES_TEXT.split())

_ABOVE_TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE)  # the marks drawn above: readers confuse them


def _tone_key(word: str) -> tuple[str, str]:
    """A word as (its letters without tone mark, lower case; its tone mark or "")."""
    nfd = unicodedata.normalize("NFD", word.lower())
    tone = next((c for c in nfd if c in _TONES), "")
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES)), tone


_GIVEN_NAME_KEYS = frozenset(_tone_key(n) for n in GIVEN_NAMES)


def usual_name_tones(name: str) -> str:
    """``name`` with each middle or given name read with a tone mark drawn above (sắc,
    huyền, hỏi, ngã) that makes no usual name, while exactly one other of those marks
    does ("Khái" → "Khải"), given that mark. Readers confuse these marks, above all stacked
    over a capital's circumflex; a word with no usual variant, or with several, stays."""
    words = name.split(" ")
    for i in range(1, len(words)):
        letters, tone = _tone_key(words[i])
        if tone not in _ABOVE_TONES or (letters, tone) in _GIVEN_NAME_KEYS:
            continue
        usual = [t for t in _ABOVE_TONES if (letters, t) in _GIVEN_NAME_KEYS]
        if len(usual) == 1:
            words[i] = _with_tone(words[i], usual[0])
    return " ".join(words)


def is_leader_noise(text: str) -> bool:
    """Only what OCR makes of an empty dotted fill-in line ("ooooo.....oo", "…… 0000"): every
    word made of leader-like characters and none a syllable. Such a line holds no value."""
    words = text.split()
    if not words:
        return True
    for w in words:
        if not all(c in _LEADER_CHARS for c in w):
            return False
        letters = re.sub(r"[^\w]", "", w)
        if letters and valid_syllable(letters):
            return False
    return True


def _letter_given_name(words: list[str]) -> bool:
    """The words end on one capital letter after the middle name "Văn" or "Thị": the given
    name of a specimen or an example ("… Văn B"), not a dotted leader read as a letter (a
    name never ends on "Văn" or "Thị")."""
    last = words[-1].rstrip(".,;:")
    return (
        len(words) > 1 and len(last) == 1 and last.isupper() and fold(words[-2]) in ("van", "thi")
    )


def strip_leader_junk(text: str) -> str:
    """Drop what OCR made of a dotted leader at the end of a value ("Oanho", "Minhm00", "ooo").

    A last word that is no Vietnamese syllable but starts with one, followed only by
    leader-like characters, is cut back to that syllable; trailing tokens made only of
    leader-like characters that are no syllable are dropped. Numbers, acronyms (TNHH) and
    real syllables are left alone.
    """
    words = text.rstrip().split(" ")
    while words:
        last = words[-1]
        bare = last.rstrip(",;:")
        core = re.sub(r"[^\w]", "", bare)
        noise = all(c in _LEADER_CHARS for c in last) and not valid_syllable(core)
        # "Ana" (capitalised) is more likely "An" + a glued dot than pure noise: cut it below.
        if _letter_given_name(words):
            break
        if len(words) > 1 and noise and (len(core) <= 1 or not any(c.isupper() for c in core)):
            words.pop()  # a whole token of leader noise ("ooo", "0000", "cc:00")
            continue
        if not core or not core[0].isalpha() or core.isupper() and len(core) > 1:
            break
        if valid_syllable(core) or not re.fullmatch(r"[^\W\d_]+[\w.,:;'\"`~°•·…-]*", bare):
            break
        cut = None
        for i in range(len(bare) - 1, 0, -1):
            head, tail = bare[:i], bare[i:]
            if not (head.isalpha() and valid_syllable(head)):
                continue
            # Dots read as letters; a short lowercase tail too ("Ngag", "Thanhvg"), but never a
            # final k (Đắk, Lắk, Pắc are real syllables of highland names).
            if all(c in _LEADER_CHARS for c in tail) or (
                len(tail) <= 2
                and tail.isalpha()
                and tail.islower()
                and "k" not in tail
                and len(head) >= 2
            ):
                cut = head
                break
        if cut is None:
            break
        words[-1] = cut
        break
    out = " ".join(words)
    # A stray lowercase letter glued before a capitalised word ("mMinh") or after a comma
    # (", a Hà Nội") is leader noise too.
    out = re.sub(r"(?<![^\s,])[a-z]{1,2}(?=[A-ZĐ][a-zà-ỹ])", "", out)
    out = re.sub(r",\s*[oaemsv]\s+(?=[A-ZĐ])", ", ", out)
    out = re.sub(r",([a-z])\s+(?=[A-ZĐ])", ", ", out)
    return out


# --- controlled vocabularies ----------------------------------------------------------------

# The 54 ethnic groups (dân tộc) as the register spells them.
ETHNIC_GROUPS = (
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "H'Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
)


def normalize_ethnicity(text: str) -> str | None:
    """An ethnic group name, snapped to the official list when OCR garbled it ("Khnh" → "Kinh")."""
    from rapidfuzz import fuzz, process

    value = normalize_text(re.sub(r"(?i)^d[aâ]n t[oộ]c\s*", "", text))
    if not value:
        return None
    if value in ETHNIC_GROUPS:
        return value
    folded = {fold(g): g for g in ETHNIC_GROUPS}
    if fold(value) in folded:
        return folded[fold(value)]
    best = process.extractOne(fold(value), list(folded), scorer=fuzz.ratio, score_cutoff=70)
    return folded[best[0]] if best else value


# Leading words of address parts, with their tone marks (corrected when OCR dropped them).
_ADDRESS_WORDS = (
    "tổ dân phố",
    "khu phố",
    "thành phố",
    "thị trấn",
    "thị xã",
    "phường",
    "quận",
    "huyện",
    "tỉnh",
    "xã",
    "thôn",
    "xóm",
    "ấp",
    "số",
    "ngõ",
    "ngách",
    "hẻm",
    "tổ",
)


_PROVINCE_BY_FOLD = {fold(p): p for p in reversed(PROVINCES)}  # the first spelling wins


def _province_name(words: list[str]) -> list[str]:
    """A part of an address that is a province's name with a tone mark misread ("HÓ CHÍ
    MINH") is that province, in the capitals or not it was printed in; any other part stays."""
    name = " ".join(words)
    province = _PROVINCE_BY_FOLD.get(fold(name))
    if province is None or name.casefold() == province.casefold() or name in PROVINCES:
        return words
    return (province.upper() if name.isupper() else province).split(" ")


def fix_address_words(text: str) -> str:
    """Restore the tone marks of the unit words that open address parts ("Quân 1" → "Quận 1").

    Only the first word(s) of each comma-separated part are touched: "Thanh" inside a place
    name stays, "Thanh phố" at the head of a part becomes "Thành phố".
    """
    parts = text.split(",")
    out = []
    for part in parts:
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        words = body.split(" ")
        n = 0
        for unit in _ADDRESS_WORDS:
            n = unit.count(" ") + 1
            if len(words) > n and fold(" ".join(words[:n])) == fold(unit):
                head = " ".join(words[:n])
                fixed = unit[:1].upper() + unit[1:] if head[:1].isupper() else unit
                fixed = fixed.upper() if head.isupper() else fixed  # "THÀNH PHỐ" stays capitals
                words = fixed.split(" ") + words[n:]
                break
        else:
            n = 0
        # Districts (quận) are numbered in Arabic digits: an I, l or | where the number
        # stands is a 1 ("Quận I" for "Quận 1").
        if n == 1 and fold(words[0]) == "quan" and len(words) == 2 and words[1] in ("I", "l", "|"):
            words[1] = "1"
        words = words[:n] + _province_name(words[n:])
        words = [repair_syllable(w) for w in words]
        out.append(" " * lead + " ".join(words))
    return ",".join(out)
