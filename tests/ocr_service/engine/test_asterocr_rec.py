"""asterocr reads crops of the same width in one batch: the readings are those of one crop
at a time, each in its own place."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_service.engine import asterocr_rec

pytestmark = pytest.mark.skipif(not asterocr_rec.available(), reason="asterocr not installed")


def _word(text: str, width: int) -> np.ndarray:
    crop = np.full((40, width, 3), 255, dtype=np.uint8)
    cv2.putText(crop, text, (4, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
    return crop


def test_batched_readings_equal_one_at_a_time() -> None:
    reader = asterocr_rec.AsterRecognizer(threads=1)
    # two pairs of crops of one width each (one batch per pair), one of its own width, and
    # a line wider than the model reads at once (split at its gaps into parts)
    crops = [
        _word("HANOI", 140),
        _word("2024", 90),
        _word("NAM", 140),
        _word("1987", 90),
        _word("VIET", 110),
        _word("CONG HOA XA HOI CHU NGHIA VIET NAM DOC LAP TU DO HANH PHUC", 1300),
    ]
    together = reader.recognize(crops)
    alone = [reader.recognize([c])[0] for c in crops]
    assert [r.text for r in together] == [r.text for r in alone]
    assert [r.confidence for r in together] == pytest.approx([r.confidence for r in alone])
    # the crops of one width read differently: a reading put in the wrong place would show
    assert together[0].text != together[2].text
    assert together[1].text != together[3].text
    assert reader.recognize([]) == []


def test_memory_pattern_off_reads_the_same() -> None:
    import onnxruntime as ort

    reader = asterocr_rec.AsterRecognizer(threads=1)
    # nearly every batch has a shape of its own: planning memory per shape does not pay
    assert reader._session.get_session_options().enable_mem_pattern is False
    opts = reader._session.get_session_options()
    opts.enable_mem_pattern = True
    planned = asterocr_rec.AsterRecognizer(threads=1)
    planned._session = ort.InferenceSession(
        str(asterocr_rec._model_path()), sess_options=opts, providers=["CPUExecutionProvider"]
    )
    crops = [_word("HANOI", 140), _word("2024", 90), _word("NAM", 140), _word("VIET", 110)]
    for batch in (crops, crops[:1], crops[1:3], crops):  # shapes new and seen again
        got = reader.recognize(batch)
        want = planned.recognize(batch)
        assert [(r.text, r.confidence) for r in got] == [(r.text, r.confidence) for r in want]
