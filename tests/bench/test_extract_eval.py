"""The generated-set scores: per card version and capture, and real_eval's field counts."""

from __future__ import annotations

from pathlib import Path

from bench.extract_eval import Sample, Score, _table, score_documents
from core.records import DocumentResult, Verification


def _sample(sid: str, doc_type: str, version: str, degradation: str, fields: dict) -> Sample:  # type: ignore[type-arg]
    doc = {
        "doc_type": doc_type,
        "pages": [1],
        "fields": fields,
        "verification": {"status": "not_applicable"},
        "card_version": version,
    }
    expected = {**doc, "degradation": degradation, "documents": [doc]}
    return Sample(sid, Path(f"{sid}.jpg"), expected, None)


def test_counts_per_card_version_and_capture_and_real_eval_rule() -> None:
    score = Score()
    cmnd = _sample(
        "a",
        "citizen_id_front",
        "cmnd_9digit",
        "counter_hand",
        {"old_id_number": "123456789", "full_name": "Lê Văn An", "date_of_birth": "1990-01-02"},
    )
    # the old number read as the 12-digit id: invented; the name right; the birth date wrong
    got = DocumentResult(
        "a.jpg",
        [1],
        "citizen_id_front",
        {"id_number": "001090000001", "full_name": "Lê Văn An", "date_of_birth": "1990-01-03"},
        verification=Verification("not_applicable"),
    )
    score_documents(cmnd, [got], score)
    chip = _sample("b", "citizen_id_front", "2021", "counter_crop", {"id_number": "001090000001"})
    # typed `other`, nothing read: the field is missing and the type wrong
    score_documents(chip, [DocumentResult("b.jpg", [1], "other")], score)

    assert score.fields_any == {"right": 1, "wrong": 1, "missing": 2, "invented": 1}
    assert score.per_version["cmnd_9digit"][:4] == [1, 1, 3, 1]
    assert score.per_version["cccd_2021_chip"][:4] == [1, 0, 1, 0]
    assert score.per_degradation["counter_crop"][:2] == [1, 0]
    assert score.per_degradation["counter_hand"][:2] == [1, 1]
    table = _table({"sohoa": score})
    assert "| cmnd_9digit | 1 | 1/1 / 1/3 / 1/1 |" in table
    assert "| counter_crop | 1 | 0/1 / 0/1 / 1/1 |" in table
    assert "1 / 1 / 2 / 1" in table
