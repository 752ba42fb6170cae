"""The national codes of a dossier and its results (docs/legal-codes.md has the sources).

* **Dossier code** (mã số hồ sơ thủ tục hành chính), Circular 01/2018/TT-VPCP, Art. 19 cl. 1:
  ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``: the receiving agency's identifier code
  (QCVN 102:2016/BTTTT, e.g. ``000.00.00.H49``), the receipt date (2-digit year, month, day)
  and the dossier's number among those received that day (4 digits). The number comes from
  ``storage.sequences.next_daily_sequence`` so it is unique across processes.
* **Result code** (mã kết quả), Decree 45/2020/NĐ-CP, Art. 14 cl. 3: ``<dossier code>-KQ(n)``,
  n numbering the results of a dossier that has several.
* **Digitization result code** (mã kết quả số hóa), Circular 01/2023/TT-VPCP, Art. 10: its
  structure (cl. 1) could not be read from the sources reachable here, so it is a configurable
  template (``DigitizationCodeTemplate``) over the parts the article is known to use, with a
  named preset for the structure a provincial one-stop system writes (``one-stop-component``,
  a secondary source; docs/legal-codes.md §3).

Pure functions: no clock, no database; ``receipt_day`` turns an instant into the day in
Vietnam's time zone (the agency's working day, not UTC's).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.errors import InvalidInputError

__all__ = [
    "VIETNAM_TZ",
    "DIGITIZATION_CODE_PRESETS",
    "DigitizationCodeTemplate",
    "DossierCode",
    "ResultCode",
    "digitization_code_template",
    "format_dossier_code",
    "format_result_code",
    "is_valid_agency_code",
    "is_valid_dossier_code",
    "parse_dossier_code",
    "parse_result_code",
    "receipt_day",
]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_DAILY_SEQUENCE = 9999  # "XXXX … gồm 04 ký tự số"

# QCVN 102:2016/BTTTT: levels 4, 3, 2 as digits, then the level-1 code: a group letter and two
# digits (000.00.00.H49 is the People's Committee of Quảng Ninh province).
_AGENCY = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}"
# re.ASCII: \d is [0-9] only, so no Arabic-Indic or full-width digit passes as a code
_AGENCY_RE = re.compile(rf"^{_AGENCY}$", re.ASCII)
_DOSSIER = rf"(?P<agency>{_AGENCY})-(?P<day>\d{{6}})-(?P<seq>\d{{4}})"
_DOSSIER_RE = re.compile(rf"^{_DOSSIER}$", re.ASCII)
_RESULT_RE = re.compile(rf"^{_DOSSIER}-KQ(?:(?P<n>[1-9]\d*)|\((?P<pn>[1-9]\d*)\))?$", re.ASCII)


def _invalid(what: str, code: str, why: str) -> InvalidInputError:
    return InvalidInputError(f"{what} «{code}» không đúng định dạng: {why}.", code_value=code)


def receipt_day(at: datetime, tz: ZoneInfo = VIETNAM_TZ) -> date:
    """The receipt date of an instant, in the agency's time zone (naive means UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(tz).date()


def is_valid_agency_code(code: str) -> bool:
    return bool(_AGENCY_RE.match(code))


@dataclass(frozen=True)
class DossierCode:
    """A dossier code's parts; ``str()`` gives the code."""

    agency_code: str
    received_on: date
    sequence: int

    def __str__(self) -> str:
        return format_dossier_code(
            agency_code=self.agency_code, received_on=self.received_on, sequence=self.sequence
        )


def format_dossier_code(*, agency_code: str, received_on: date, sequence: int) -> str:
    """``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`` (Circular 01/2018/TT-VPCP, Art. 19 cl. 1)."""
    if not is_valid_agency_code(agency_code):
        raise _invalid(
            "Mã cơ quan", agency_code, "cần dạng V1V2V3.Z1Z2.Y1Y2.MX1X2 như 000.00.00.H49"
        )
    if not 1 <= sequence <= MAX_DAILY_SEQUENCE:
        raise InvalidInputError(
            f"Số thứ tự hồ sơ trong ngày phải từ 1 đến {MAX_DAILY_SEQUENCE} (4 chữ số), "
            f"không phải {sequence}; mã hồ sơ không thể ghi hơn {MAX_DAILY_SEQUENCE} hồ sơ một ngày."
        )
    return f"{agency_code}-{received_on:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> DossierCode:
    """The parts of a dossier code; ``InvalidInputError`` (Vietnamese message) if malformed."""
    match = _DOSSIER_RE.match(code.strip())
    if match is None:
        raise _invalid("Mã hồ sơ", code, "cần dạng V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX")
    return _dossier_from(match, code)


def _dossier_from(match: re.Match[str], code: str) -> DossierCode:
    day = match["day"]
    try:
        received = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except ValueError:
        raise _invalid("Mã hồ sơ", code, f"{day} không phải ngày YYMMDD") from None
    sequence = int(match["seq"])
    if sequence == 0:
        raise _invalid("Mã hồ sơ", code, "số thứ tự trong ngày bắt đầu từ 0001")
    return DossierCode(match["agency"], received, sequence)


def is_valid_dossier_code(code: str) -> bool:
    try:
        parse_dossier_code(code)
    except InvalidInputError:
        return False
    return True


@dataclass(frozen=True)
class ResultCode:
    dossier: DossierCode
    index: int | None  # None: the dossier's only result, written "-KQ" without a number


def format_result_code(
    dossier_code: str, index: int | None = None, *, parenthesized: bool = False
) -> str:
    """``<dossier code>-KQ(n)`` (Decree 45/2020/NĐ-CP, Art. 14 cl. 3).

    The text numbers the results only of "a dossier with several results", and writes the
    number as "(n)": whether the brackets are literal is not said, so ``parenthesized``
    chooses (default: ``-KQ2``; with it, ``-KQ(2)``), and ``index=None`` writes a dossier's
    single result as ``-KQ``.
    """
    parse_dossier_code(dossier_code)
    if index is None:
        return f"{dossier_code}-KQ"
    if index < 1:
        raise InvalidInputError(f"Số thứ tự kết quả phải từ 1 trở lên, không phải {index}.")
    return f"{dossier_code}-KQ({index})" if parenthesized else f"{dossier_code}-KQ{index}"


def parse_result_code(code: str) -> ResultCode:
    match = _RESULT_RE.match(code.strip())
    if match is None:
        raise _invalid("Mã kết quả", code, "cần dạng <mã hồ sơ>-KQ hoặc <mã hồ sơ>-KQ(n)")
    n = match["n"] or match["pn"]
    return ResultCode(_dossier_from(match, code), int(n) if n else None)


# --- the digitization result code: a template until Art. 10 cl. 1 is confirmed ---------------

# What each field of a template may hold (the parse side of the template).
_FIELD_PATTERNS = {
    "applicant_id": r"[0-9A-Za-z]*",  # personal id number / organisation code; empty if none
    # mã loại giấy tờ (e.g. the result type in the CSDLQG TTHC; here sohoa's document type)
    "doc_type_code": r"[0-9A-Za-z._-]+",
    "procedure_code": r"[0-9A-Za-z._-]+",  # mã TTHC (national "1.001193", or the catalogue's)
    "dossier_code": _DOSSIER,
    "agency_code": _AGENCY,
    "day": r"\d{8}",  # YYYYMMDD
    "seq": r"\d+",  # the code's number among those with the same other parts, from 1
}
_SEQ_SPEC = re.compile(r"0?\d*d")  # "{seq:02d}": zero-padded, as the one-stop system writes it

# Named templates (SOHOA_DIGITIZATION_CODE_TEMPLATE takes a name or a template).
DIGITIZATION_CODE_PRESETS: dict[str, str] = {
    # A component's code as a provincial one-stop system (TD.DichVuCongApi) writes it: the
    # owner's identifier, the procedure code, the component's document code, a 2-digit number
    # among codes with the same first three parts. Read from that system's code, which cites
    # no article: a secondary source for Art. 10, agreeing with cl. 2 (the identifier is a
    # part; a document type code is a part). docs/legal-codes.md §3 has the source.
    "one-stop-component": "{applicant_id}.{procedure_code}.{doc_type_code}.{seq:02d}",
}


@dataclass(frozen=True)
class DigitizationCodeTemplate:
    """A digitization result code built from a template, e.g.
    ``"{applicant_id}.{doc_type_code}.{dossier_code}"``; fields: applicant_id, doc_type_code,
    procedure_code, dossier_code, agency_code, day (YYYYMMDD), seq (``{seq:02d}`` pads it).
    The template is configuration: set it to Circular 01/2023/TT-VPCP Art. 10 cl. 1's structure
    once confirmed (docs/legal-codes.md says why sohoa does not ship one as its default)."""

    template: str

    def __post_init__(self) -> None:
        parsed = [
            (f, spec) for _, f, spec, _ in string.Formatter().parse(self.template) if f is not None
        ]
        fields = [f for f, _ in parsed]
        unknown = sorted(set(fields) - set(_FIELD_PATTERNS))
        bad_spec = [
            f for f, spec in parsed if spec and (f != "seq" or not _SEQ_SPEC.fullmatch(spec))
        ]
        if unknown or bad_spec or not fields or len(fields) != len(set(fields)):
            raise ValueError(
                f"digitization code template {self.template!r}: each field once, among "
                f"{sorted(_FIELD_PATTERNS)}, a format only on seq such as {{seq:02d}} "
                f"(unknown: {unknown}, bad format: {bad_spec})"
            )

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(
            f for _, f, _, _ in string.Formatter().parse(self.template) if f is not None
        )

    def format(self, **values: str | int) -> str:
        args: dict[str, str | int] = {}
        for name, value in values.items():
            text = str(value)
            pattern = _FIELD_PATTERNS.get(name)
            if pattern is None or not re.fullmatch(pattern, text, re.ASCII):
                raise InvalidInputError(f"Giá trị «{value}» không dùng được cho {name}.")
            args[name] = int(text) if name == "seq" else text
        return self.template.format(**args)

    def parse(self, code: str) -> dict[str, str]:
        regex = ""
        for literal, field, _, _ in string.Formatter().parse(self.template):
            regex += re.escape(literal)
            if field is not None:
                pattern = _FIELD_PATTERNS[field]
                if field == "dossier_code":  # its own named groups would clash: make them plain
                    pattern = re.sub(r"\?P<\w+>", "?:", pattern)
                regex += f"(?P<{field}>{pattern})"
        match = re.fullmatch(regex, code.strip(), re.ASCII)
        if match is None:
            raise _invalid("Mã kết quả số hóa", code, f"cần dạng {self.template}")
        return match.groupdict()


def digitization_code_template(setting: str) -> DigitizationCodeTemplate:
    """The template SOHOA_DIGITIZATION_CODE_TEMPLATE names: a preset's name or a template.

    It must number its codes (``seq``): two papers of one kind of one citizen would otherwise
    get the same code."""
    template = DigitizationCodeTemplate(DIGITIZATION_CODE_PRESETS.get(setting, setting))
    if "seq" not in template.fields:
        raise ValueError(
            f"digitization code template {template.template!r} has no {{seq}}: codes would "
            f"repeat; presets: {sorted(DIGITIZATION_CODE_PRESETS)}"
        )
    return template
