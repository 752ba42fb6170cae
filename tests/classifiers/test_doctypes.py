"""Every registered document type is complete: one record, and everything that hangs off it.

A type's record (classifiers/doctypes/<type>.py) must carry a label, template versions,
classifier cues, an extractor, labelled fields and subjects within those fields; the
samples generator must render it, samples/data must hold its committed sample with ground
truth, golden and recorded OCR, and the pages must show its label. ``missing_parts`` says
what is missing; docs/adding-a-document-type.md is the recipe.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from pathlib import Path

import pytest

from classifiers import doctypes
from classifiers.classify import CLASSIFIERS, classify_page
from classifiers.doctypes import Cues, DocType, Field, Subject, TemplateVersion
from classifiers.extractors import EXTRACTORS
from classifiers.fields import FieldSpec, LabelExtractor
from classifiers.text_lines import find_label, layout_lines
from core.records import PersonRecord
from ocr_service.web import labels as web_labels
from samples.documents import TEMPLATES
from samples.generate import CARD_RENDERERS
from tests.classifiers._helpers import page_from_rows
from tests.fixtures.ocr_cache import cached_pages

DATA = Path(__file__).resolve().parents[2] / "samples" / "data"
SCAN_SUFFIXES = (".jpg", ".png", ".tif", ".pdf")
REGISTER_COLUMNS = {f.name for f in dataclass_fields(PersonRecord)}


def _spec_labels(record: DocType) -> list[str]:
    specs: tuple[FieldSpec, ...] = getattr(record.extractor, "specs", ())
    return [label for spec in specs for label in spec.labels]


def missing_parts(record: DocType) -> list[str]:
    """What a registered type lacks, in words a newcomer can act on (empty: complete)."""
    name = record.name
    out: list[str] = []
    other = name == doctypes.OTHER
    if not record.label.strip():
        out.append("record: no Vietnamese label")
    # template versions
    if not other and not record.versions:
        out.append("record: no template version")
    ids = [v.id for v in record.versions]
    if len(set(ids)) != len(ids):
        out.append(f"record: template version ids repeat: {ids}")
    for v in record.versions:
        if not v.label.strip():
            out.append(f"version {v.id}: no Vietnamese label")
        if not v.titles and not v.printed_labels:
            out.append(f"version {v.id}: neither titles nor printed labels")
    by_title = record.cues is not None and record.cues.by == "title"
    if by_title and not any(v.titles for v in record.versions):
        out.append("record: no template version with its titles as printed")
    # classifier and extractor
    if not other:
        if record.cues is None or name not in CLASSIFIERS:
            out.append("record: no classifier cues (not in classifiers.classify.CLASSIFIERS)")
        elif record.cues.by == "title" and not record.cues.titles:
            out.append("cues: a title classifier without titles")
        if record.extractor is None or name not in EXTRACTORS:
            out.append("record: no extractor (not in classifiers.extractors.EXTRACTORS)")
        elif record.extractor.doc_type != name:
            out.append(f"extractor: declares doc_type {record.extractor.doc_type!r}")
    # fields, subjects
    names = list(record.field_names)
    if len(set(names)) != len(names):
        out.append(f"fields: a field is listed twice: {names}")
    out += [f"field {f.name}: no label" for f in record.fields if not f.label.strip()]
    if not other and not record.fields:
        out.append("record: no fields")
    if isinstance(record.extractor, LabelExtractor):
        out += [
            f"extractor: returns {s.name}, not among the type's fields"
            for s in record.extractor.specs
            if s.name not in names
        ]
    for s in record.subjects:
        if s.id_field not in names:
            out.append(f"subject: id field {s.id_field} is not among the type's fields")
        for doc_field, column in s.compare.items():
            if doc_field not in names:
                out.append(f"subject: compared field {doc_field} is not among the type's fields")
            if column not in REGISTER_COLUMNS:
                out.append(f"subject: {doc_field} compared with unknown register column {column}")
    # the samples generator, the committed sample and its goldens
    if name not in TEMPLATES and name not in CARD_RENDERERS:
        out.append("samples: no generator template (samples.documents.TEMPLATES)")
    scans = [p for p in DATA.glob(f"{name}_001.*") if p.suffix in SCAN_SUFFIXES]
    if not scans:
        out.append(f"samples/data: no committed sample {name}_001.<jpg|png|tif|pdf>")
    elif cached_pages(scans[0].read_bytes()) is None:
        out.append(f"tests/fixtures/ocr_cache: no recorded OCR for {scans[0].name}")
    for suffix in (".gt.json", ".expected.json"):
        if not (DATA / f"{name}_001{suffix}").exists():
            out.append(f"samples/data: no {name}_001{suffix}")
    # the pages
    if web_labels.DOC_TYPES.get(name) != record.label:
        out.append("pages: no label in ocr_service.web.labels.DOC_TYPES")
    if web_labels.DOC_TYPE_FIELDS.get(name) != names:
        out.append("pages: fields not in ocr_service.web.labels.DOC_TYPE_FIELDS")
    return out


TYPES = [t.name for t in doctypes.all_types()]


def test_the_spec_types_are_registered_in_the_officers_order() -> None:
    spec_order = [
        "citizen_id_front",
        "citizen_id_back",
        "birth_certificate",
        "marriage_certificate",
        "marital_status_certificate",
        "residence_confirmation",
        "household_business_registration",
        "enterprise_registration",
        "land_use_certificate",
        "diploma",
        "application_form",
        "other",
    ]
    # New types may come between them; these keep their order (and ``other`` stays last).
    assert [name for name in TYPES if name in spec_order] == spec_order
    assert TYPES[-1] == doctypes.OTHER
    positions = [t.position for t in doctypes.all_types()]
    assert positions == sorted(set(positions))
    assert doctypes.get("birth_certificate") is doctypes.DOC_TYPES["birth_certificate"]
    assert doctypes.get("dossier") is None


@pytest.mark.parametrize("name", TYPES)
def test_every_registered_type_has_every_part(name: str) -> None:
    problems = missing_parts(doctypes.DOC_TYPES[name])
    assert not problems, f"{name} lacks:\n" + "\n".join(problems)


def test_the_check_reports_what_an_incomplete_record_lacks() -> None:
    record = DocType(
        name="lease_contract",
        label="",
        position=55,
        fields=(Field("tenant_name", "Bên thuê"), Field("rent", "")),
        versions=(TemplateVersion("2024", "Hợp đồng thuê nhà"),),
        cues=Cues(titles=("HỢP ĐỒNG THUÊ NHÀ",)),
        subjects=(Subject("tenant_id_number", {"tenant_name": "full_name", "rent": "salary"}),),
    )
    problems = "\n".join(missing_parts(record))
    for words in (
        "no Vietnamese label",
        "version 2024: neither titles nor printed labels",
        "no template version with its titles",
        "not in classifiers.classify.CLASSIFIERS",
        "no extractor",
        "field rent: no label",
        "id field tenant_id_number is not among",
        "unknown register column salary",
        "no generator template",
        "no committed sample lease_contract_001",
        "no lease_contract_001.expected.json",
        "no label in ocr_service.web.labels.DOC_TYPES",
    ):
        assert words in problems, words
    # and a complete record's copy that lost one part is caught too
    birth = doctypes.DOC_TYPES["birth_certificate"]
    broken = DocType(**{**vars(birth), "subjects": (Subject("mother_id_number", {}),)})
    assert missing_parts(broken) == [
        "subject: id field mother_id_number is not among the type's fields"
    ]


def test_a_field_has_one_label_whichever_type_carries_it() -> None:
    seen: dict[str, str] = {}
    for t in doctypes.all_types():
        for f in t.fields:
            assert seen.setdefault(f.name, f.label) == f.label, f.name
    assert doctypes.field_labels() == seen


def test_subject_id_fields_are_the_records() -> None:
    assert doctypes.all_subject_id_fields() == (
        "id_number",
        "husband_id_number",
        "wife_id_number",
        "owner_id_number",
    )
    assert doctypes.DOC_TYPES["marriage_certificate"].subject_id_fields == (
        "husband_id_number",
        "wife_id_number",
    )
    assert doctypes.DOC_TYPES["diploma"].subject_id_fields == ()


def _classify(lines: list[str]) -> str:
    rows = [(1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]
    rows += [(700, 450 + 70 * i, text) for i, text in enumerate(lines)]
    page = page_from_rows(rows)
    return classify_page(layout_lines(page), page.height).doc_type


TITLED = [
    (t.name, v) for t in doctypes.all_types() for v in t.versions if v.titles or v.title_slips
]


@pytest.mark.parametrize(("name", "version"), TITLED, ids=[f"{n}-{v.id}" for n, v in TITLED])
def test_every_version_is_classified_by_its_printed_title_and_its_slips(
    name: str, version: TemplateVersion
) -> None:
    if version.titles:
        assert _classify(list(version.titles)) == name
    for slip in version.title_slips:
        assert _classify([slip]) == name, slip


SLIPPED = [
    (t.name, slip) for t in doctypes.all_types() for v in t.versions for slip in v.label_slips
]


@pytest.mark.parametrize(("name", "slip"), SLIPPED)
def test_a_known_ocr_slip_of_a_label_still_anchors_it(name: str, slip: str) -> None:
    page = page_from_rows([(250, 600, slip)])
    line = layout_lines(page)[0]
    record = doctypes.DOC_TYPES[name]
    assert any(find_label(line, label) is not None for label in _spec_labels(record)), slip
