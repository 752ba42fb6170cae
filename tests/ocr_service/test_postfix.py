"""Phrase corrections fix only the fixed phrases, in any case."""

from __future__ import annotations

from ocr_service.engine.postfix import fix_phrases


def test_motto_and_titles_are_fixed_in_every_case() -> None:
    assert fix_phrases("CÔNG HOÀ XÃ HÒI CHỦ NGHĨA VIỆT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert fix_phrases("Giấy xác nhân tình trang hôn nhân") == "Giấy xác nhận tình trạng hôn nhân"


def test_valid_words_elsewhere_are_left_alone() -> None:
    for text in ["CÔNG AN PHƯỜNG", "ỦY BAN NHÂN DÂN", "công hoàn thành", "nhân chứng"]:
        assert fix_phrases(text) == text
