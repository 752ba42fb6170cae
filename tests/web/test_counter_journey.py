"""The counter, from the citizen's id number to the printed receipt, in headless Chromium
(issue 16's target: a five-component dossier with one mismatch and one reused document in at
most 10 clicks).

A citizen registers her permanent residence (Đăng ký thường trú). The clerk types her id
number; the register's name and date of birth appear and she confirms them by opening the
dossier; the checklist offers her birth certificate, approved at an earlier visit, for the
relation to the householder and the clerk reuses it with one click; the four papers she brought
are scanned in one go (the declaration, the land-use certificate, her card's two sides); the
land-use certificate, issued long ago, prints her name without its middle name. The clerk
approves the three the register verified in one action, approves the certificate with a reason
beside the register's value, right in the dossier's list, and prints the receipt, whose text
is checked: the dossier code, the five components (the reused one said to be reused), the
return date.

Clicks are what the clerk does with the pointer: every ``element.click()`` the test makes is
counted (``Clicks``), a native drop-down counts two (open, pick), choosing the four files in
the file picker counts one (the picker's own dialog is the operating system's); typing (the id
number, the reason) is not a click. Seconds are wall-clock, from the intake page on screen to
the receipt's PDF in hand. ``pytest -s`` prints both; the README quotes them.

The server runs ``tests.web.counter_pipeline`` (papers named by their file names, verified
against the register) instead of the OCR: this test is about the pages.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pypdfium2 as pdfium
import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from core.settings import Settings  # noqa: E402
from ocr_service.procedures import due_date, find_procedure  # noqa: E402
from tests.web.counter_pipeline import OTHER_NAME  # noqa: E402
from tests.web.render_page import render_birth_certificate  # noqa: E402
from tests.web.server import LiveServer, serve_with_pipeline  # noqa: E402
from tests.web.test_journeys import CODE, DOSSIER_CODE, shot, visible, wait_for  # noqa: E402
from tests.web.test_review_journey import Clicks as ReviewClicks  # noqa: E402
from tests.web.test_review_journey import _all_done, _stage  # noqa: E402
from tests.web.test_sign_in_journey import _sign_in, _sohoa  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CITIZEN = "001192012345"
NAME = "Nguyễn Thị Minh Hằng"
BORN = "1992-08-15"
PROCEDURE = "dang-ky-thuong-tru"
# the four papers she brings (the file name tells the test pipeline which and whose)
PAPERS = ("to-khai", "gcn-qsdd-khac", "cccd-truoc", "cccd-sau")
REASON = "GCN cấp năm 2004 ghi tên chưa có tên đệm; đã đối chiếu bản chính."


@pytest.fixture(scope="module")
def counter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from tests.web.browser import browser_available

    if not browser_available():
        pytest.skip("needs /usr/bin/chromium and chromedriver (apt-get install chromium-driver)")
    person = {"id_number": CITIZEN, "full_name": NAME, "date_of_birth": BORN, "sex": "female"}
    tmp = tmp_path_factory.mktemp("counter")
    with serve_with_pipeline(tmp, person, "tests.web.counter_pipeline:extract") as server:
        yield server


@pytest.fixture(scope="module")
def tablet(counter_server: LiveServer) -> Iterator[Any]:
    from tests.web.browser import make_driver

    drv = make_driver(1024, 768)  # the counter's tablet in landscape
    try:
        yield drv
    finally:
        drv.quit()


class Clicks(ReviewClicks):
    """Counts every click the test makes for the clerk (``element.click()``)."""

    def choose(self, select: Any, value: str) -> None:
        """A native drop-down: one click opens it, one picks the option."""
        self(select)
        self(select.find_element(By.CSS_SELECTOR, f'option[value="{value}"]'))
        assert Select(select).first_selected_option.get_attribute("value") == value


def _scans(server: LiveServer, words: list[str], seed: int) -> list[str]:
    """One rendered page per paper, each different (no scan is the same file twice); the file
    name says which paper it is and whose."""
    paths = []
    for i, word in enumerate(words):
        path = server.scan.path / f"{word}_{CITIZEN}.png"
        page = render_birth_certificate(
            id_number=CITIZEN, date_of_birth=(1 + (seed + i) % 28, 8, 1992)
        )
        path.write_bytes(page.png)
        paths.append(str(path))
    return paths


def _api(driver: Any, method: str, path: str, body: Any = None) -> Any:
    """The page's own API helper (whatever sign-in the page uses)."""
    return driver.execute_async_script(
        """
        const [method, path, body, done] = arguments;
        window.Sohoa.api(method, path, body === null ? undefined : body)
          .then(done, (e) => done({error: String(e.message || e), status: e.status}));
        """,
        method,
        path,
        body,
    )


def _signed_in(driver: Any, server: LiveServer) -> None:
    """A clerk signed in on a page of the service, when no earlier test of the module left one
    (this test run alone, or selected with -k)."""
    if driver.execute_script("return Boolean(window.Sohoa)"):
        return
    password = secrets.token_urlsafe(18)
    _sohoa(server, "user", "add", "canbo.danhsach", "--role", "clerk", "--password", password)
    _sign_in(driver, server, "canbo.danhsach", password)
    wait_for(driver, lambda d: urlparse(d.current_url).path != "/dang-nhap", 20)
    driver.get(server.url + "/tiep-nhan")
    wait_for(driver, lambda d: d.execute_script("return Boolean(window.Sohoa)"))


def _earlier_visit(driver: Any, server: LiveServer) -> str:
    """Her birth certificate, scanned and approved at an earlier visit: in her store now."""
    created = _api(
        driver,
        "POST",
        "/dossiers",
        {"procedure_code": "chung-thuc-ban-sao", "citizen_id_number": CITIZEN},
    )
    driver.get(f"{server.url}/ho-so/{created['id']}")
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == CITIZEN)
    driver.find_element(By.ID, "file-input").send_keys(_scans(server, ["khai-sinh"], seed=3)[0])
    wait_for(driver, lambda d: _all_done(d, 1), 120, "the earlier scan was not processed")
    dossier = _api(driver, "GET", f"/dossiers/{created['id']}")
    document = dossier["components"][0]["documents"][0]
    assert document["doc_type"] == "birth_certificate"
    assert document["review_status"] == "verified", document
    approved = _api(driver, "POST", f"/documents/{document['id']}/approve")
    assert approved.get("review_status") == "approved", approved
    return str(document["digitization_code"])


def _pdf_bytes(driver: Any, url: str) -> tuple[int, str, bytes]:
    """GET from inside the page with its credentials, as the browser opens the printed PDF."""
    got = driver.execute_async_script(
        """
        const [url, done] = arguments;
        const t = localStorage.getItem("sohoa_token");
        fetch(url, {credentials: "same-origin", headers: t ? {Authorization: "Bearer " + t} : {}})
          .then(async (r) => {
            const bytes = new Uint8Array(await r.arrayBuffer());
            let s = ""; for (const b of bytes) s += String.fromCharCode(b);
            done({status: r.status, type: r.headers.get("content-type") || "", b64: btoa(s)});
          }).catch((e) => done({status: -1, type: "", b64: ""}));
        """,
        url,
    )
    return int(got["status"]), str(got["type"]), base64.b64decode(got["b64"])


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def test_counter_journey_from_the_id_number_to_the_receipt_in_ten_clicks(
    tablet: Any, counter_server: LiveServer, shots: Path
) -> None:
    driver, server = tablet, counter_server
    # signed in as the counter's staff are: a clerk's account, user name and password
    password = secrets.token_urlsafe(18)
    _sohoa(server, "user", "add", "canbo.motcua", "--role", "clerk", "--password", password)
    _sign_in(driver, server, "canbo.motcua", password)
    wait_for(driver, lambda d: urlparse(d.current_url).path != "/dang-nhap", 20)
    driver.get(server.url + "/tiep-nhan")
    reused_code = _earlier_visit(driver, server)
    assert CODE.match(reused_code)
    files = _scans(server, list(PAPERS), seed=10)

    click = Clicks()
    driver.get(server.url + "/tiep-nhan")
    id_box = wait_for(driver, lambda d: visible(d, "#citizen-id"))
    started = time.monotonic()

    # the id number typed; the register's name and date of birth on screen to confirm
    id_box.send_keys(CITIZEN)
    check = wait_for(driver, lambda d: visible(d, "#citizen-check"))
    assert NAME in check.text and "15/08/1992" in check.text, check.text
    click.choose(driver.find_element(By.ID, "procedure"), PROCEDURE)
    shot(driver, shots, "counter-intake")
    click(driver.find_element(By.ID, "open-dossier"))
    wait_for(driver, lambda d: urlparse(d.current_url).path.startswith("/ho-so/"), 20)
    dossier_id = urlparse(driver.current_url).path.rsplit("/", 1)[1]
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == CITIZEN)

    # the checklist: her birth certificate is in her store, reused with one click
    item = '#checklist li.check-item[data-key="quan-he-nhan-than"]'
    reuse = wait_for(driver, lambda d: visible(d, f"{item} button.reuse-one"))
    assert reuse.get_attribute("data-code") == reused_code
    items = driver.find_elements(By.CSS_SELECTOR, "#checklist li.check-item")
    assert [i.get_attribute("data-status") for i in items] == ["missing", "missing", "available"]
    click(reuse)
    wait_for(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, item).get_attribute("data-status") == "reused",
    )

    # the four papers she brought, chosen at once in the file picker
    driver.find_element(By.ID, "file-input").send_keys("\n".join(files))
    click.n += 1  # the picker's "open" (its dialog is the operating system's)
    wait_for(driver, lambda d: _all_done(d, 4), 120, "the papers were not processed")
    processed = time.monotonic()
    wait_for(driver, lambda d: _stage(d) == "digitized")
    statuses = lambda d: [  # noqa: E731
        i.get_attribute("data-status")
        for i in d.find_elements(By.CSS_SELECTOR, "#checklist li.check-item")
    ]
    wait_for(driver, lambda d: statuses(d) == ["received", "received", "reused"])
    attention = driver.find_elements(By.CSS_SELECTOR, "#attention-list > li")
    assert len(attention) == 1, [a.text for a in attention]
    reasons = [
        b.get_attribute("data-reason")
        for b in attention[0].find_elements(By.CSS_SELECTOR, ".reason")
    ]
    assert reasons == ["mismatch"], reasons
    approve_all = driver.find_element(By.ID, "approve-verified")
    assert approve_all.text == "Phê duyệt 3 giấy tờ đã xác thực"
    shot(driver, shots, "counter-dossier")

    click(approve_all)
    message = wait_for(driver, lambda d: visible(d, "#attention-message"))
    assert "Đã phê duyệt 3 giấy tờ" in message.text and "Còn 1" in message.text

    # the land-use certificate, right in the list: the register's name beside the one printed,
    # approved with a reason
    mismatch = wait_for(driver, lambda d: visible(d, "#attention-list > li"))
    doc_id = mismatch.get_attribute("data-item-id")
    box = f'#attention-list .inline-approve[data-document-id="{doc_id}"]'
    row = wait_for(driver, lambda d: visible(d, f'{box} tr[data-field="owner_name"]'))
    cells = [c.text for c in row.find_elements(By.CSS_SELECTOR, "td")]
    assert cells == [OTHER_NAME, NAME], cells
    reason = driver.find_element(By.CSS_SELECTOR, f"{box} textarea.approval-reason")
    click(reason)
    reason.send_keys(REASON)
    shot(driver, shots, "counter-mismatch-inline")
    click(driver.find_element(By.CSS_SELECTOR, f"{box} button.approve-inline"))
    wait_for(driver, lambda d: _stage(d) == "complete")
    assert driver.find_element(By.ID, "attention-card").get_attribute("hidden")
    approved = _api(driver, "GET", f"/documents/{doc_id}")
    assert approved["review_status"] == "approved", approved
    assert approved["signature"]["status"] == "valid", approved["signature"]
    shot(driver, shots, "counter-complete")

    # the receipt, printed
    receipt = wait_for(driver, lambda d: visible(d, "#print-receipt"))
    dossier_tab = driver.current_window_handle
    click(receipt)  # opens the PDF beside the dossier, to print
    wait_for(driver, lambda d: len(d.window_handles) == 2)
    driver.switch_to.window(next(h for h in driver.window_handles if h != dossier_tab))
    wait_for(driver, lambda d: urlparse(d.current_url).path.endswith("/receipt"))
    assert urlparse(driver.current_url).path == f"/api/v1/dossiers/{dossier_id}/receipt"
    driver.close()
    driver.switch_to.window(dossier_tab)
    status, kind, pdf = _pdf_bytes(driver, str(receipt.get_attribute("href")))
    finished = time.monotonic()
    assert status == 200 and kind == "application/pdf", (status, kind)

    measured = {
        "clicks": click.n,
        "seconds_total": round(finished - started, 1),
        "seconds_processing": round(processed - started, 1),
    }
    print("counter journey:", json.dumps(measured))  # the README quotes it (pytest -s)

    text = _pdf_text(pdf)
    first = pdfium.PdfDocument(pdf)[0].render(scale=1.4).to_pil()
    first.save(shots / "counter-receipt.png")  # the README shows the printed page
    flat = " ".join(text.split())
    dossier = _api(driver, "GET", f"/dossiers/{dossier_id}")
    assert DOSSIER_CODE.match(dossier["code"]), dossier["code"]
    assert dossier["code"] in flat
    assert NAME in flat
    documents = [d for c in dossier["components"] for d in c["documents"]]
    assert len(documents) == 4
    codes = [d["digitization_code"] for d in documents] + [reused_code]
    assert all(code in flat for code in codes), (codes, flat)
    assert flat.count("SH-") >= 5
    for label in ("Tờ khai", "Giấy chứng nhận quyền sử dụng đất", "Căn cước", "Giấy khai sinh"):
        assert label in flat, label
    reused_at = flat.index(reused_code)
    assert "dùng lại" in flat[max(0, reused_at - 300) : reused_at + 300].lower(), flat
    procedure = find_procedure(PROCEDURE)
    assert procedure is not None
    holidays = Settings.model_fields["holidays"].default  # the server runs with the default
    due = due_date(datetime.now(UTC), procedure.processing_days, holidays)
    assert due.isoformat() == dossier["due_on"]
    returned = f"trả kết quả giải quyết hồ sơ: ngày {due:%d} tháng {due:%m} năm {due:%Y}"
    assert returned in flat, (due, flat)

    assert click.n <= 10, measured


def test_a_mismatch_is_not_approved_in_the_list_without_a_reason(
    tablet: Any, counter_server: LiveServer
) -> None:
    """The list's approval refuses an empty reason (the box takes the focus, nothing is
    recorded), and a paper that differs only from the register is the only one it offers."""
    driver, server = tablet, counter_server
    _signed_in(driver, server)
    created = _api(
        driver, "POST", "/dossiers", {"procedure_code": PROCEDURE, "citizen_id_number": CITIZEN}
    )
    driver.get(f"{server.url}/ho-so/{created['id']}")
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == CITIZEN)
    files = _scans(server, ["gcn-qsdd-khac", "to-khai"], seed=20)
    driver.find_element(By.ID, "file-input").send_keys("\n".join(files))
    wait_for(driver, lambda d: _all_done(d, 2), 120, "the papers were not processed")
    item = wait_for(driver, lambda d: visible(d, "#attention-list > li"))
    doc_id = item.get_attribute("data-item-id")
    # the verified declaration waits for "approve all", with no box of its own
    assert len(driver.find_elements(By.CSS_SELECTOR, "#attention-list .inline-approve")) == 1
    box = f'#attention-list .inline-approve[data-document-id="{doc_id}"]'
    wait_for(driver, lambda d: visible(d, f'{box} tr[data-field="owner_name"]'))
    reason = driver.find_element(By.CSS_SELECTOR, f"{box} textarea.approval-reason")
    reason.send_keys("   ")
    driver.find_element(By.CSS_SELECTOR, f"{box} button.approve-inline").click()
    error = wait_for(driver, lambda d: visible(d, f"{box} .error-text"))
    assert "lý do" in error.text
    assert driver.switch_to.active_element == reason
    time.sleep(0.5)  # were anything sent, it would be recorded by now
    document = _api(driver, "GET", f"/documents/{doc_id}")
    assert document["review_status"] == "needs_review", document["review_status"]
    # with the reason typed, approved (its audit row: tests/api/test_safe_review.py)
    reason.send_keys(REASON)
    driver.find_element(By.CSS_SELECTOR, f"{box} button.approve-inline").click()
    wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, box))
    document = _api(driver, "GET", f"/documents/{doc_id}")
    assert document["review_status"] == "approved", document["review_status"]
