"""Verification statuses against the population register (samples/README.md rule)."""

from __future__ import annotations

from classifiers.verification import compare_values, verify_fields

WIFE = "001192012345"
HUSBAND = "036089001234"


def test_match_compares_printed_fields_only(register) -> None:
    fields = {
        "id_number": WIFE,
        "full_name": "Nguyễn Thị Minh Hằng",
        "date_of_birth": "1992-08-15",
        "sex": "female",
        "ethnicity": "Tày",
    }  # ethnicity is not compared
    v = verify_fields("residence_confirmation", fields, register)
    assert (v.status, v.mismatched_fields) == ("match", [])


def test_mismatch_lists_document_field_names(register) -> None:
    fields = {
        "id_number": WIFE,
        "full_name": "Nguyễn Thị Minh Hằng",
        "date_of_birth": "1992-08-16",
        "sex": "male",
    }
    v = verify_fields("marital_status_certificate", fields, register)
    assert v.status == "mismatch"
    assert v.mismatched_fields == ["date_of_birth", "sex"]
    assert v.diacritics_only_fields == []


def test_difference_only_in_diacritics_is_a_mismatch_flagged_as_such(register) -> None:
    fields = {"id_number": WIFE, "full_name": "Nguyễn Thị Minh Hang"}
    v = verify_fields("application_form", fields, register)
    assert v.status == "mismatch"
    assert v.mismatched_fields == ["full_name"]
    assert v.diacritics_only_fields == ["full_name"]


def test_places_compare_case_insensitively_names_do_not(register) -> None:
    assert (
        compare_values(
            "xã cổ loa, huyện đông anh, hà nội",
            "xã Cổ Loa, huyện Đông Anh, Hà Nội",
            "place_of_origin",
        )
        == "same"
    )
    assert (
        compare_values("nguyễn thị minh hằng", "Nguyễn Thị Minh Hằng", "full_name") == "different"
    )
    assert (
        compare_values("Nguyen Thi Minh Hang", "Nguyễn Thị Minh Hằng", "full_name") == "diacritics"
    )
    assert (
        compare_values("thành phố Thú Đức", "Thành phố Thủ Đức", "place_of_origin") == "diacritics"
    )
    assert compare_values("Thủ Đức", "Thủ Dầu Một", "place_of_origin") == "different"


def test_not_found_when_the_id_is_not_in_the_register(register) -> None:
    v = verify_fields(
        "citizen_id_front", {"id_number": "001099999999", "full_name": "Ai Đó"}, register
    )
    assert (v.status, v.mismatched_fields) == ("not_found", [])


def test_not_applicable_without_a_subject_id(register) -> None:
    assert (
        verify_fields("diploma", {"full_name": "Trần Văn Đức"}, register).status == "not_applicable"
    )
    assert verify_fields("other", {}, register).status == "not_applicable"
    assert (
        verify_fields("birth_certificate", {"full_name": "X Y"}, register).status
        == "not_applicable"
    )


def test_marriage_covers_both_people(register) -> None:
    fields = {
        "husband_id_number": HUSBAND,
        "husband_name": "Trần Văn Đức",
        "husband_date_of_birth": "1989-02-01",
        "wife_id_number": WIFE,
        "wife_name": "Nguyễn Thị Minh Hằng",
        "wife_date_of_birth": "1992-08-15",
    }
    assert verify_fields("marriage_certificate", fields, register).status == "match"
    v = verify_fields(
        "marriage_certificate", {**fields, "wife_date_of_birth": "1992-08-05"}, register
    )
    assert (v.status, v.mismatched_fields) == ("mismatch", ["wife_date_of_birth"])
    v = verify_fields("marriage_certificate", {**fields, "husband_name": "Tran Van Duc"}, register)
    assert v.mismatched_fields == ["husband_name"] and v.diacritics_only_fields == ["husband_name"]
    # One spouse missing from the register decides the status.
    v = verify_fields(
        "marriage_certificate",
        {**fields, "wife_id_number": "001199999999", "husband_name": "Trần Văn Đực"},
        register,
    )
    assert v.status == "not_found"


def test_no_register_configured_is_not_applicable() -> None:
    assert verify_fields("citizen_id_front", {"id_number": WIFE}, None).status == "not_applicable"
