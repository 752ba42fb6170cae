"""MRZ lines put back into the MRZ alphabet (ocr_service.engine.mrz_text)."""

from __future__ import annotations

from ocr_service.engine.mrz_text import fix_mrz_line


def test_fillers_document_code_and_name_letters() -> None:
    assert fix_mrz_line("NGUYEN-<KIM-CHAU-<<<<<<<<<<<<<") == "NGUYEN<<KIM<CHAU<<<<<<<<<<<<<<"
    assert fix_mrz_line("TDVNM1928552280046192855228<<<") == "IDVNM1928552280046192855228<<<"
    assert fix_mrz_line("IDVNM2002686420001200268642-<<") == "IDVNM2002686420001200268642<<<"
    assert fix_mrz_line("D0<<QU0C<TAI<<<<<<<<<<<<<<<<<<") == "DO<<QUOC<TAI<<<<<<<<<<<<<<<<<<"
    assert fix_mrz_line("NGUYEN<<PHUONG<THỦY<<<<<<<<<<<") == "NGUYEN<<PHUONG<THUY<<<<<<<<<<<"
    # the digits of line 2 stay digits
    assert fix_mrz_line("0812135F3312131VNM<<<<<<<<<<<7") == "0812135F3312131VNM<<<<<<<<<<<7"


def test_words_run_into_the_zone_are_kept_and_spaces_inside_it_go() -> None:
    assert (
        fix_mrz_line("Tô Văn Huệ TDVNM1926 7738 7800119267738 7<<<")
        == "Tô Văn Huệ IDVNM1926773878001192677387<<<"
    )
    assert (
        fix_mrz_line("fnger TDVNM1818391553001181839155<<<")
        == "fnger IDVNM1818391553001181839155<<<"
    )


def test_other_lines_are_left_alone() -> None:
    for text in [
        "--------------------------------",
        "Hà Nội, ngày 12 tháng 3 năm 2020",
        "Số: 123/2020/QĐ-UBND <<abc",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]:
        assert fix_mrz_line(text) == text
