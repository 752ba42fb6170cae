"""In Chromium: the search boxes find without diacritics, mark the words found, and a citizen's
box finds only their own documents (the officer's reuse page, the citizen's store, intake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from selenium.webdriver.common.by import By  # noqa: E402

from storage.db import session_scope  # noqa: E402
from storage.models import PageOcr, RegisteredDocument  # noqa: E402
from storage.repository import (  # noqa: E402
    add_component,
    approve_document,
    create_dossier,
    set_document_subjects,
)
from tests.web.server import LiveServer  # noqa: E402
from tests.web.test_journeys import login, shot, visible, wait_for  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DUC = "036092001234"
DONG = "036092005678"


def _seed(server: LiveServer) -> dict[str, str]:
    """Two citizens, each with one approved birth certificate, written as the worker would."""
    ids: dict[str, str] = {}
    with session_scope(f"sqlite:///{server.data_dir / 'sohoa.sqlite3'}") as s:
        for citizen, name in ((DUC, "Nguyễn Văn Đức"), (DONG, "Nguyễn Văn Đông")):
            dossier = create_dossier(
                s,
                procedure_code="1.001193",
                citizen_id_number=citizen,
                created_by="canbo.tiepnhan",
                code=f"000.00.00.H49-261206-{citizen[-4:]}",
            )
            component = add_component(
                s,
                dossier=dossier,
                object_key=f"scans/{dossier.id}",
                sha256=dossier.id * 2,
                original_filename="khai_sinh.png",
                content_type="image/png",
                size_bytes=1,
                created_by="canbo.tiepnhan",
            )
            lines = ["GIẤY KHAI SINH", f"Họ, chữ đệm, tên: {name}", "Nơi sinh: Bệnh viện Đa khoa"]
            s.add(
                PageOcr(
                    component_id=component.id,
                    page=1,
                    width=100,
                    height=100,
                    image_key=f"pages/{component.id}",
                    lines=[{"text": t, "box": [[0, 0]] * 4, "confidence": 0.9} for t in lines],
                )
            )
            doc = RegisteredDocument(
                component_id=component.id,
                document_index=0,
                dossier_id=dossier.id,
                citizen=dossier.citizen,
                source_name="khai_sinh.png",
                doc_type="birth_certificate",
                fields={"full_name": name},
                verification={
                    "status": "match",
                    "mismatched_fields": [],
                    "diacritics_only_fields": [],
                },
                pages=[1],
                digitization_code=f"SH-20261206-{citizen[-8:]}-X",
                source_key=component.object_key,
                review_status="needs_review",
            )
            s.add(doc)
            set_document_subjects(s, document=doc, subjects={})
            approve_document(s, document=doc, by="canbo.tiepnhan")
            ids[citizen], ids[f"dossier_{citizen}"] = doc.id, dossier.id
    return ids


def _search(driver: Any, prefix: str, words: str) -> list[Any]:
    box = wait_for(driver, lambda d: visible(d, f"#{prefix}-q"))
    box.clear()
    box.send_keys(words)
    driver.find_element(By.ID, f"{prefix}-submit").click()
    status = driver.find_element(By.ID, f"{prefix}-status")
    wait_for(driver, lambda d: "kết quả" in status.text, 20, f"no answer: {status.text!r}")
    return driver.find_elements(By.CSS_SELECTOR, f"#{prefix}-results > li")


def test_search_boxes(driver: Any, live_server: LiveServer, shots: Path) -> None:
    ids = _seed(live_server)
    # the officer's reuse page: every citizen's papers, words found marked with diacritics
    login(driver, live_server, live_server.token("officer", "canbo.xuly"))
    driver.get(live_server.url + "/tai-su-dung")
    hits = _search(driver, "doc-search", "nguyen van")
    assert {h.get_attribute("data-document-id") for h in hits} == {ids[DUC], ids[DONG]}
    assert driver.find_element(By.ID, "doc-search-status").text == "Tìm thấy 2 kết quả."
    marked = {m.text for m in driver.find_elements(By.CSS_SELECTOR, "#doc-search-results mark")}
    assert {"Nguyễn", "Văn"} <= marked
    shot(driver, shots, "officer-search")
    hits = _search(driver, "doc-search", "DUC")
    assert [h.get_attribute("data-document-id") for h in hits] == [ids[DUC]]
    assert "?" not in driver.current_url  # the words typed stay out of the address bar
    assert _search(driver, "doc-search", "khong co ai") == []
    assert driver.find_element(By.ID, "doc-search-status").text == "Không tìm thấy kết quả nào."
    # the citizen's own store: the same words find their paper only
    login(driver, live_server, live_server.token("citizen", DUC))
    driver.get(live_server.url + "/kho-du-lieu")
    hits = _search(driver, "citizen-search", "nguyen van")
    assert [h.get_attribute("data-document-id") for h in hits] == [ids[DUC]]
    # intake: a dossier by its citizen's name, without diacritics
    login(driver, live_server, live_server.token("clerk", "canbo.tiepnhan"))
    driver.get(live_server.url + "/tiep-nhan")
    hits = _search(driver, "dossier-search", "nguyen van dong")
    assert [h.get_attribute("data-dossier-id") for h in hits] == [ids[f"dossier_{DONG}"]]
    link = hits[0].find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href").endswith("/ho-so/" + ids[f"dossier_{DONG}"])
