"""The Tesseract wrapper: libtesseract in process and the binary give the same words."""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest

from ocr_service.engine import _exec_tesseract as tess
from tests.ocr_service.ocr_testkit import render_page

pytestmark = pytest.mark.skipif(not tess.has_language("vie"), reason="tesseract vie missing")

_TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)
_ROWS = [
    "1\t1\t0\t0\t0\t0\t0\t0\t100\t40\t-1\t",
    "5\t1\t1\t1\t1\t1\t10\t5\t30\t20\t96.5\tNguyễn",
    "5\t1\t1\t1\t1\t2\t45\t5\t20\t20\t-1\t ",
]


@pytest.mark.parametrize("header", [True, False])
def test_tsv_words_with_or_without_header(header: bool) -> None:
    text = "\n".join(([_TSV_HEADER] if header else []) + _ROWS)
    (word,) = tess._parse_tsv(text)
    assert (word.text, word.left, word.width, word.confidence) == ("Nguyễn", 10, 30, 96.5)


def _sheet() -> np.ndarray:
    page, _ = render_page()
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(gray[: gray.shape[0] // 3])


def test_in_process_reads_like_the_binary() -> None:
    pytest.importorskip("tesserocr")
    sheet = _sheet()
    binary = tess._parse_tsv(tess._run_binary(sheet, lang="vie", psm=6, dpi=300, timeout=60))
    in_process = tess.image_to_words(sheet, lang="vie", psm=6)
    assert tess._in_process("vie", 6) is not None
    assert len(binary) > 5
    assert [(w.text, w.left, w.top) for w in in_process] == [
        (w.text, w.left, w.top) for w in binary
    ]


def test_without_tesserocr_the_binary_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import fails
    monkeypatch.setattr(tess, "_APIS", {})
    assert tess._in_process("vie", 6) is None
    words = {w.text for w in tess.image_to_words(_sheet(), lang="vie", psm=6)}
    assert {"NHÂN", "DÂN", "HÒA"} <= words


@pytest.mark.parametrize("psm", [3, 6])
def test_words_walked_are_the_tsv_words(psm: int) -> None:
    """The in-process reader walks the result iterator rather than asking for the TSV
    (quadratic in a block's words): the same words, boxes, confidences and block,
    paragraph and line numbers as the TSV of the same recognition (psm 3 finds several
    blocks on the page: the two header columns and the body)."""
    pytest.importorskip("tesserocr")
    page, _ = render_page()
    gray = np.ascontiguousarray(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY))
    walked = tess.image_to_words(gray, lang="vie", psm=psm)
    reader = tess._in_process("vie", psm)
    assert reader is not None
    api, _ = reader
    tsv = tess._parse_tsv(api.GetTSVText(0))  # the recognition image_to_words just ran
    assert len(walked) > 20
    assert walked == tsv
    if psm == 3:
        assert len({w.block for w in walked}) > 1
    assert len({(w.block, w.par, w.line) for w in walked}) > 5
