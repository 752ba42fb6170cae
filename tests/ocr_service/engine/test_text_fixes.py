"""Phrase corrections fix only the fixed phrases, in any case."""

from __future__ import annotations

from ocr_service.engine.text_fixes import fix_phrases, fix_separators


def test_motto_and_titles_are_fixed_in_every_case() -> None:
    assert fix_phrases("CÔNG HOÀ XÃ HÒI CHỦ NGHĨA VIỆT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert fix_phrases("Giấy xác nhân tình trang hôn nhân") == "Giấy xác nhận tình trạng hôn nhân"


def test_valid_words_elsewhere_are_left_alone() -> None:
    for text in ["CÔNG AN PHƯỜNG", "ỦY BAN NHÂN DÂN", "công hoàn thành", "nhân chứng"]:
        assert fix_phrases(text) == text


def test_the_marks_between_the_parts_of_a_fixed_phrase() -> None:
    assert fix_separators("Độc lập Ơl Tự do - Hạnh phúc") == "Độc lập - Tự do - Hạnh phúc"
    assert fix_separators("Độc lập Tự do-Hạnh phúc") == "Độc lập - Tự do - Hạnh phúc"
    assert fix_separators("Nơi cư trú -_ Place of residence:") == "Nơi cư trú / Place of residence:"
    assert fix_separators("Nơi cư trú/ _ Place of residence:") == "Nơi cư trú / Place of residence:"
    assert (
        fix_separators("Giới tính N_ Sex: Nam Quốc tịch +g Nationality: Việt Nam")
        == "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam"
    )
    assert fix_separators("sø;wo: 031193863324") == "Số / No.: 031193863324"
    assert fix_separators("Số/No:031193863324") == "Số / No.: 031193863324"


def test_real_hyphens_slashes_and_prose_are_left_alone() -> None:
    for text in [
        "Độc lập - Tự do - Hạnh phúc",
        "Tự do và Hạnh phúc",
        "Số: 123/2020/QĐ-UBND",
        "Ngày, tháng, năm sinh: 12/03/1990",
        "Số No 12",
        "Số / No.: 031193863324",
    ]:
        assert fix_separators(text) == text


def test_square_metres_get_their_superscript_back_only_after_a_number() -> None:
    from ocr_service.engine.text_fixes import fix_units

    assert fix_units("Diện tích: 120 m2") == "Diện tích: 120 m²"
    assert fix_units("Diện tích (m2): 85,5") == "Diện tích (m²): 85,5"
    assert fix_units("Tổng 45,6 m2.") == "Tổng 45,6 m²."
    for text in ("km2", "mã M2", "số 12 m2b", "phòng m2x", "120 m²"):
        assert fix_units(text) == text
