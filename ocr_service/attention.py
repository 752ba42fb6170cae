"""Attention first: whether and why a document needs the clerk, and a dossier's stage.

Each document says why a person must look at it (``reasons_of``): a field that differs from
the population register (khác dữ liệu), a difference only in tone marks (có thể do đọc sai
dấu, unless the surer reader read it the same way), an id number the register does not know,
a field the card's sources (printed text, QR code, MRZ) read differently or that the pipeline
flagged for a look (``field_review``, its reason said in Vietnamese by ``review_message``), a
field read with low confidence, a person named who is not the dossier's citizen and whose
relation no clerk confirmed, a signature still to be made. A component that failed needs the
clerk too. ``attention_first`` orders documents by those reasons, the most serious first; the
dossier page, the dossier's API answer and the today's-work list all read this one order.

A dossier moves received → digitized → reviewed → complete (``dossier_stage``); it is never
``complete`` while a document still needs review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from storage.models import Component, Dossier, RegisteredDocument

__all__ = [
    "LOW_CONFIDENCE",
    "REASON_CODES",
    "STAGES",
    "Reason",
    "ReasonCode",
    "Stage",
    "READING_SOURCES",
    "attention_first",
    "component_reasons",
    "disagreeing_readings",
    "dossier_stage",
    "field_review_messages",
    "needs_clerk",
    "reason_required_fields",
    "reasons_of",
    "review_message",
    "unconfirmed_subjects",
]

# Below this a field's reading is doubtful; the review page marks the same threshold.
LOW_CONFIDENCE = 0.8

# Most serious first: the order documents are listed in.
ReasonCode = Literal[
    "failed",
    "subject_unconfirmed",
    "mismatch",
    "not_found",
    "diacritics",
    "field_review",
    "low_confidence",
    "signature_invalid",
    "signing_pending",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)
_RANK = {code: i for i, code in enumerate(REASON_CODES)}

Stage = Literal["received", "digitized", "reviewed", "complete"]
STAGES: tuple[Stage, ...] = ("received", "digitized", "reviewed", "complete")


@dataclass(frozen=True)
class Reason:
    """Why the clerk is needed: a stable code, what to do in Vietnamese, the fields concerned."""

    code: ReasonCode
    message: str
    fields: list[str] = field(default_factory=list)

    def export(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": list(self.fields)}


def _verification(document: RegisteredDocument) -> dict[str, Any]:
    return dict(document.verification or {})


def reason_required_fields(document: RegisteredDocument) -> list[str]:
    """The fields that still differ from the register (the verification last stored: after a
    correction, the corrected value's): approving the document as it is needs a reason."""
    v = _verification(document)
    if v.get("status") != "mismatch":
        return []
    return [str(f) for f in v.get("mismatched_fields") or []]


def unconfirmed_subjects(document: RegisteredDocument) -> list[str]:
    """Id numbers the document names whose relation to the dossier's citizen is unconfirmed."""
    return sorted(s.citizen.id_number for s in document.subjects if not s.confirmed)


# Who read a field (``DocumentResult.field_readings``' keys), as the pages name them.
READING_SOURCES: dict[str, str] = {"ocr": "chữ in", "qr": "mã QR", "mrz": "MRZ"}
_SOURCE_ORDER = ("ocr", "qr", "mrz")


def _sources_vi(names: Iterable[str]) -> str:
    known = sorted(set(names), key=lambda n: _SOURCE_ORDER.index(n) if n in _SOURCE_ORDER else 9)
    words = [READING_SOURCES.get(n, n) for n in known]
    text = ", ".join(words[:-1]) + " và " + words[-1] if len(words) > 1 else "".join(words)
    return text[:1].upper() + text[1:]


# The reasons the extractors give (classifiers/card_fields.py, classifiers/fields.py), in
# English in the JSON export; each pattern says the same thing to the clerk in Vietnamese.
_SOURCES = r"(?P<sources>[a-z+]+(?:/[a-z+]+)+)"
_REVIEW_VI: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_SOURCES} disagree; (?P<taken>[a-z+]+) taken$"), "{sources} đọc khác nhau; đã lấy theo {taken} — đối chiếu bản giấy."),
    (re.compile(rf"^{_SOURCES} disagree; the print kept$"), "{sources} đọc khác nhau; giữ theo chữ in — đối chiếu bản giấy."),
    (re.compile(r"^read from the QR code only"), "Chỉ đọc được từ mã QR; đối chiếu với chữ in trên giấy tờ."),
    (re.compile(r"^partly hidden on the card$"), "Bị che một phần trên thẻ, không lấy lại từ mã QR; đối chiếu bản giấy."),
    (re.compile(r"^OCR slip: (?P<mark>.+) is no letter an address prints$"), "Đọc nhầm: {mark} không phải chữ của địa chỉ; nhập theo bản giấy."),
    (re.compile(r"^OCR slip: an address opens with a word or a number, not (?P<mark>.+)$"), "Đọc nhầm: địa chỉ không mở đầu bằng {mark}; nhập theo bản giấy."),
    (re.compile(r"^OCR slip: a word of the address is no word, number or abbreviation"), "Đọc nhầm: một chữ của địa chỉ không phải tiếng, số hay chữ viết tắt mà địa chỉ dùng; nhập theo bản giấy."),
    (re.compile(r"^OCR slip: a word of the address ends in ă or â"), "Đọc nhầm: một chữ của địa chỉ kết thúc bằng ă hoặc â, điều không chữ nào có (mất một chữ cái); nhập theo bản giấy."),
    (re.compile(r"^a tone mark read that makes no usual name"), "Dấu thanh đọc được không tạo thành tên thường gặp; đã lấy dấu của tên thường gặp — đối chiếu bản giấy."),
    (re.compile(r"^misread: the number fits no id's structure"), "Đọc nhầm: dãy số không đúng cấu trúc số định danh và trái với ngày sinh hoặc giới tính trên thẻ; nhập theo bản giấy."),
    (re.compile(r"^not read to its end: an address ends with its province"), "Chưa đọc hết: địa chỉ phải kết thúc bằng tên tỉnh, thành phố; nhập theo bản giấy."),
    (re.compile(r"^at the image's edge"), "Nằm sát mép ảnh, có thể bị cắt mất một phần; đối chiếu bản giấy."),
    (re.compile(r"^may be cut short by glare: its line begins"), "Dòng chữ bắt đầu ở chỗ ảnh bị lóa sáng, có thể mất phần đầu; nhập theo bản giấy."),
    (re.compile(r"^may be cut short by glare"), "Dòng chữ dừng ở chỗ ảnh bị lóa sáng, có thể bị mất một phần; đối chiếu bản giấy."),
)  # fmt: skip


def review_message(reason: str) -> str:
    """Why a field needs a look (``field_review``), in Vietnamese; a reason no pattern knows
    still asks the clerk to check the paper."""
    for pattern, message in _REVIEW_VI:
        m = pattern.match(reason.strip())
        if m is None:
            continue
        parts = m.groupdict()
        if "sources" in parts:
            parts["sources"] = _sources_vi(parts["sources"].split("/"))
        if "taken" in parts:
            parts["taken"] = READING_SOURCES.get(parts["taken"], parts["taken"])
        return message.format(**parts)
    return "Cần đối chiếu bản giấy."


def _readings(document: RegisteredDocument) -> Mapping[str, Mapping[str, str]]:
    readings = document.field_readings  # NULL for documents registered before migration 0013
    return readings if isinstance(readings, Mapping) else {}


def disagreeing_readings(document: RegisteredDocument) -> dict[str, dict[str, str]]:
    """Each field whose sources (chữ in, mã QR, MRZ) read it differently: every reading."""
    out: dict[str, dict[str, str]] = {}
    for name, by_source in _readings(document).items():
        if isinstance(by_source, Mapping) and len({str(v) for v in by_source.values()}) > 1:
            out[str(name)] = {str(k): str(v) for k, v in by_source.items()}
    return out


def field_review_messages(document: RegisteredDocument) -> dict[str, str]:
    """Each field the pipeline flagged for a look, and why, in Vietnamese."""
    review = document.field_review  # NULL for documents registered before migration 0013
    if not isinstance(review, Mapping):
        return {}
    return {str(name): review_message(str(why)) for name, why in review.items()}


def _field_reasons(document: RegisteredDocument) -> list[Reason]:
    v = _verification(document)
    out: list[Reason] = []
    diacritics = [str(f) for f in v.get("diacritics_only_fields") or []]
    reread = set(v.get("reread_fields") or [])
    hard = [f for f in reason_required_fields(document) if f not in diacritics or f in reread]
    if hard:
        out.append(
            Reason(
                "mismatch",
                "Khác dữ liệu dân cư: sửa cho đúng giấy tờ, hoặc ghi lý do khi phê duyệt.",
                hard,
            )
        )
    misread = [f for f in diacritics if f not in reread and f in reason_required_fields(document)]
    if misread:
        out.append(
            Reason(
                "diacritics",
                "Chỉ khác dấu so với dữ liệu dân cư — có thể do đọc sai dấu; đối chiếu bản giấy.",
                misread,
            )
        )
    if v.get("status") == "not_found":
        out.append(
            Reason(
                "not_found",
                "Số định danh không có trong Cơ sở dữ liệu dân cư; kiểm tra số đã đọc.",
            )
        )
    corrected = set((document.corrected_fields or {}).keys())
    # a field the sources read differently (or the pipeline flagged) until the clerk has set
    # its value; the readings stay on the document as evidence
    flagged = sorted(set(field_review_messages(document)) - corrected)
    if flagged:
        out.append(
            Reason(
                "field_review",
                "Mã QR, MRZ và chữ in đọc khác nhau hoặc chưa đủ; đối chiếu bản giấy, sửa nếu cần.",
                flagged,
            )
        )
    low = sorted(
        name
        for name, c in (document.field_confidence or {}).items()
        if isinstance(c, int | float) and c < LOW_CONFIDENCE and name not in corrected
    )
    if low:
        out.append(Reason("low_confidence", "Đọc với độ tin cậy thấp; đối chiếu bản giấy.", low))
    return out


def reasons_of(document: RegisteredDocument) -> list[Reason]:
    """Why the clerk is needed for this document, most serious first; empty: nothing to do
    but approve it (verified) or nothing at all (approved and signed)."""
    out: list[Reason] = []
    if document.review_status != "approved":
        others = unconfirmed_subjects(document)
        if others:
            out.append(
                Reason(
                    "subject_unconfirmed",
                    "Giấy tờ có tên người khác chưa xác nhận quan hệ với người nộp hồ sơ.",
                    others,
                )
            )
        out.extend(_field_reasons(document))
    else:
        status = (document.signature or {}).get("status")
        if status == "invalid":
            out.append(Reason("signature_invalid", "Chữ ký số không hợp lệ; báo quản trị."))
        elif status == "pending":
            out.append(Reason("signing_pending", "Đã phê duyệt, chưa ký số được; ký số lại."))
    return sorted(out, key=lambda r: _RANK[r.code])


def component_reasons(component: Component) -> list[Reason]:
    """A failed component needs the clerk: retry it or scan the paper again."""
    if component.status != "failed":
        return []
    return [Reason("failed", component.error_message or "Xử lý lỗi; bấm “Xử lý lại”.")]


def needs_clerk(document: RegisteredDocument) -> bool:
    return bool(reasons_of(document)) or document.review_status == "needs_review"


def _key(document: RegisteredDocument) -> tuple[int, int]:
    reasons = reasons_of(document)
    if reasons:
        return 0, _RANK[reasons[0].code]
    if document.review_status == "needs_review":
        return 0, len(REASON_CODES)
    if document.review_status == "verified":
        return 1, 0
    return 2, 0  # approved, nothing left


def attention_first(documents: Iterable[RegisteredDocument]) -> list[RegisteredDocument]:
    """Documents needing the clerk first (most serious reason first), then verified ones
    waiting for approval, then approved ones; the original order otherwise (a stable sort)."""
    return sorted(documents, key=_key)


def dossier_stage(dossier: Dossier, components: Sequence[Component] | None = None) -> Stage:
    """``received`` until every component is digitized (a failed one keeps it there),
    ``digitized`` while a document still needs review, ``reviewed`` once none does but some
    are still to be approved or signed, ``complete`` when every document is approved and
    signed (or signing is not configured)."""
    parts = list(dossier.components if components is None else components)
    if not parts or any(c.status != "done" for c in parts):
        return "received"
    documents = [d for c in parts for d in c.documents]
    if any(d.review_status != "approved" and needs_clerk(d) for d in documents):
        return "digitized"
    if any(d.review_status != "approved" or reasons_of(d) for d in documents):
        return "reviewed"
    return "complete"
