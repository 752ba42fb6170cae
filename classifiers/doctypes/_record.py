"""The record of one document type and its parts (template versions, classifier cues, subjects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from classifiers.fields import FieldExtractor

__all__ = ["Cues", "DocType", "Field", "Subject", "TemplateVersion"]


@dataclass(frozen=True)
class TemplateVersion:
    """One printed template of a type: an edition, a layout or one form of a family.

    ``titles`` are the title lines as printed, top to bottom. A template with no title (the
    back of a card) names the labels that set it apart in ``printed_labels``. The OCR slips
    are misreadings seen in scans that the classifier (titles) and the label finder (labels)
    must still take for the real thing; tests/classifiers/test_doctypes.py holds them to it.
    """

    id: str
    label: str  # Vietnamese, as a clerk names it
    titles: tuple[str, ...] = ()
    source: str | None = None  # the legal text that sets the template, where known
    printed_labels: tuple[str, ...] = ()
    title_slips: tuple[str, ...] = ()
    label_slips: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cues:
    """What the page classifier (classifiers.classify) looks for on a page of this type.

    ``titles`` are matched fuzzily at the start of a line near the top, ``markers`` (labels
    only this type prints) anywhere; a title from ``excludes`` means a more specific type
    ("TỜ KHAI ĐĂNG KÝ KHAI SINH" is a form, not a birth certificate). ``by="mrz"``: the page
    is recognised by a machine-readable zone and its markers instead of a title.
    """

    titles: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    # Title openings: the first words of many titles ("ĐƠN XIN …"), which may begin a
    # longer title line (a short entry of ``titles`` must stand on a line of its own).
    openings: tuple[str, ...] = ()
    # Section headings only this type prints ("I. Người sử dụng đất, chủ sở hữu …"): one read
    # at the start of a line classifies an inner page that has no title of its own.
    headings: tuple[str, ...] = ()
    # Fuzzy ratio from which a line is taken for the title: below it, OCR may have read
    # another type's title ("GIẤY CHỨNG NHẬN ..." opens several).
    title_min: float = 0.84
    # Cards: markers alone can classify a page with no title (a cropped card).
    marker_only_weight: float = 0.0
    # Cards: a line only this type prints (a regex on the folded line, matched whole: the
    # card's number, "Số 123456789"). With half of one version's ``printed_labels`` opening
    # lines it types a page whose title OCR lost (printed in red, glare, a cut-off edge).
    number_line: str | None = None
    by: Literal["title", "mrz"] = "title"


@dataclass(frozen=True)
class Subject:
    """A person a document is about: the field with their id number, and which document
    fields are compared with which register column (documents.md, "Verification")."""

    id_field: str
    compare: Mapping[str, str]


@dataclass(frozen=True)
class Field:
    """A field a document carries, with the Vietnamese label the pages show for it."""

    name: str
    label: str


@dataclass(frozen=True)
class DocType:
    """Everything sohoa knows about one document type.

    ``position`` orders the types on the officer's page (and the samples generator's
    cycling of degradations, so keep existing positions). ``fields`` are shown in their
    order. ``subjects`` name whose document it is (their ``id_field``) and what the
    population register checks; a type without subjects is ``not_applicable``.
    """

    name: str
    label: str
    position: int
    fields: tuple[Field, ...] = ()
    versions: tuple[TemplateVersion, ...] = ()
    cues: Cues | None = None
    extractor: FieldExtractor | None = None
    subjects: tuple[Subject, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def subject_id_fields(self) -> tuple[str, ...]:
        """The fields whose id number names a person the document belongs to."""
        return tuple(s.id_field for s in self.subjects)

    def version(self, version_id: str) -> TemplateVersion:
        for v in self.versions:
            if v.id == version_id:
                return v
        raise KeyError(f"{self.name} has no template version {version_id!r}")
