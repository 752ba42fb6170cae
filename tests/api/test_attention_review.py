def test_a_field_the_reread_confirmed_is_shown_as_the_papers(embedded: Harness) -> None:
    """A name differing from the register only in a tone mark, read again the same way by
    the surer reader (stage 5): the comparison says the paper says so."""
    from sqlalchemy import select

    from storage.db import session_scope
    from storage.models import RegisteredDocument

    h = embedded
    ids = _setup(h)
    with session_scope(h.settings.effective_database_url) as s:
        doc = s.scalar(select(RegisteredDocument).where(RegisteredDocument.id == ids["verified"]))
        assert doc is not None
        doc.fields = {**doc.fields, "full_name": "Nguyễn Thị Minh Hăng"}
        doc.verification = {
            "status": "mismatch",
            "mismatched_fields": ["full_name"],
            "diacritics_only_fields": ["full_name"],
            "reread_fields": ["full_name"],
        }
        doc.review_status = "needs_review"
    r = h.client.get(f"/api/v1/documents/{ids['verified']}", headers=h.auth("clerk"))
    assert r.json()["verification"]["reread_fields"] == ["full_name"]
    r = h.client.get(f"/api/v1/documents/{ids['verified']}/register", headers=h.auth("clerk"))
    [name] = [f for f in r.json()["fields"] if f["field"] == "full_name"]
    assert (name["outcome"], name["reread_confirmed"]) == ("diacritics", True)
    # without the re-read it is still "probably a misread"
    r = h.client.get(f"/api/v1/documents/{ids['mismatch']}/register", headers=h.auth("clerk"))
    assert not any(f["reread_confirmed"] for f in r.json()["fields"])
