"""Small typed records passed between pipeline stages (each exports itself to the spec's JSON),
and the population register's row and lookup Protocol that verification reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

__all__ = [
    "DocumentResult",
    "ExtractionResult",
    "OcrLine",
    "OcrResult",
    "PageImage",
    "PageText",
    "PersonRecord",
    "PopulationRegister",
    "ProcessedPage",
    "Verification",
    "VerificationStatus",
]

Point = tuple[float, float]
VerificationStatus = Literal["match", "mismatch", "not_found", "not_applicable"]


@dataclass
class PageImage:
    """One page as pixels: BGR uint8, as read from the file (before preprocessing)."""

    image: np.ndarray
    page: int  # 1-based within the source file
    dpi: float | None = None  # from the file's metadata when it has one
    # A born-digital PDF page's own text, in ``image``'s pixels, when its text layer can be
    # trusted (ocr_service.text_layer): read instead of OCRed. None: OCR the pixels.
    text_lines: list[OcrLine] | None = None


@dataclass(frozen=True)
class OcrLine:
    """A recognised line; ``box`` is four corners clockwise from top-left, in page pixels."""

    text: str
    box: tuple[Point, Point, Point, Point]
    confidence: float

    def export(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "box": [[round(x), round(y)] for x, y in self.box],
            "confidence": round(float(self.confidence), 4),
        }


@dataclass
class PageText:
    """The OCR of one page: lines in reading order, coordinates in the preprocessed image."""

    page: int
    width: int
    height: int
    lines: list[OcrLine] = field(default_factory=list)
    rotation: int = 0  # degrees the page was turned (clockwise) to read it upright

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def export(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "text": self.text,
            "lines": [line.export() for line in self.lines],
        }


@dataclass
class OcrResult:
    source: str
    pages: list[PageText] = field(default_factory=list)

    def export(self) -> dict[str, Any]:
        return {"source": self.source, "pages": [p.export() for p in self.pages]}


@dataclass
class Verification:
    status: VerificationStatus
    mismatched_fields: list[str] = field(default_factory=list)
    # Fields that differ from the register only in diacritics: "probably a misread".
    diacritics_only_fields: list[str] = field(default_factory=list)
    # Fields the surer reader read again (``engine.reread``) and read the same way: the paper
    # says what was read, so the difference from the register is not a misread.
    reread_fields: list[str] = field(default_factory=list)

    def export(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "mismatched_fields": list(self.mismatched_fields),
            "diacritics_only_fields": list(self.diacritics_only_fields),
        }
        if self.reread_fields:  # only when a re-read happened: the spec's shape stays as it was
            out["reread_fields"] = list(self.reread_fields)
        return out


@dataclass
class DocumentResult:
    """One document found in a source file, in the shape of ``sohoa extract --json``."""

    source: str
    pages: list[int]
    doc_type: str
    fields: dict[str, str] = field(default_factory=dict)
    field_confidence: dict[str, float] = field(default_factory=dict)
    verification: Verification = field(default_factory=lambda: Verification("not_applicable"))
    doc_type_confidence: float = 0.0
    # Where each field's value came from: "ocr", "qr", "mrz" (extension of the spec).
    field_source: dict[str, str] = field(default_factory=dict)
    # Each field read by more than one source (printed text "ocr", "qr", "mrz"): every
    # reading; and the fields a person should look at, with why (extensions of the spec).
    field_readings: dict[str, dict[str, str]] = field(default_factory=dict)
    field_review: dict[str, str] = field(default_factory=dict)

    def export(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "pages": list(self.pages),
            "doc_type": self.doc_type,
            "fields": dict(self.fields),
            "field_confidence": {k: round(float(v), 4) for k, v in self.field_confidence.items()},
            "verification": self.verification.export(),
            "doc_type_confidence": round(float(self.doc_type_confidence), 4),
            "field_source": dict(self.field_source),
            "field_readings": {k: dict(v) for k, v in self.field_readings.items()},
            "field_review": dict(self.field_review),
        }


@dataclass
class ProcessedPage:
    """One page after OCR: the upright, cleaned image and the text found on it.

    ``text.lines[*].box`` are in ``image`` coordinates; ``image`` is what a viewer and the
    searchable PDF show.
    """

    source: str
    page: int  # 1-based within the source file
    image: np.ndarray  # BGR uint8, preprocessed and upright
    text: PageText
    dpi: float | None = None  # of ``image``, when known
    steps: list[str] = field(default_factory=list)  # what preprocessing did, for logs/debug
    from_text_layer: bool = False  # ``text`` is the PDF's own, exact: nothing to read again

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass
class ExtractionResult:
    """What ``sohoa extract`` and the worker get for one file: OCR'd pages and documents."""

    pages: list[ProcessedPage] = field(default_factory=list)
    documents: list[DocumentResult] = field(default_factory=list)


# --- the population register as verification sees it ------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """One register row; values in the spec's formats (ISO dates, male/female)."""

    id_number: str
    full_name: str
    date_of_birth: str
    sex: str
    ethnicity: str | None = None
    nationality: str | None = None
    place_of_origin: str | None = None
    place_of_residence: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


class PopulationRegister(Protocol):
    """Where verification looks people up."""

    def get(self, id_number: str) -> PersonRecord | None: ...

    def upsert(self, rows: Iterable[PersonRecord]) -> int: ...
