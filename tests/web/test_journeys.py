"""The three journeys through the web pages in headless Chromium, against a live server.

Clerk: login → open a dossier → upload a scan → sees it processed → review (page image with
boxes, fields with confidences, digitization code) → corrects a field → approves.
Officer: looks the citizen up → sees the document → opens its PDF → reuses it for a dossier.
Citizen: sees their own document only; another citizen sees nothing and gets 404s.
Also: refused and failed uploads with retry, the admin's audit page, phones, keyboard, labels.

Run: ``pytest -m browser tests/web``; ``SOHOA_WEB_SCREENSHOTS=docs/screenshots`` also
rewrites the README screenshots. Needs Debian's ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from tests.web.server import LiveServer  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE = re.compile(r"^SH-\d{8}-[0-9A-Z]{8}-[0-9A-Z]$")
DOSSIER_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
OTHER_CITIZEN = "079301000777"


def wait_for(driver: Any, condition: Any, timeout: float = 20, message: str = "") -> Any:
    # The pages re-render lists while polling, so an element found a moment ago may be gone.
    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(driver, timeout, poll_frequency=0.25, ignored_exceptions=ignored).until(
        lambda d: condition(d), message
    )


def visible(driver: Any, css: str) -> Any:
    found = [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
    return found[0] if found else None


def reveal(driver: Any, element: Any) -> Any:
    """Opens the fold of unread fields when ``element`` sits in it, as a clerk would."""
    if not element.is_displayed():
        fold = driver.execute_script("return arguments[0].closest('details')", element)
        if fold is not None:
            fold.find_element(By.TAG_NAME, "summary").click()
    return element


def login(driver: Any, server: LiveServer, token: str) -> str:
    """Signs in through the login page; returns the path the page sent the user to."""
    driver.get(server.url + "/dang-nhap")
    driver.delete_all_cookies()
    driver.execute_script("localStorage.clear()")
    driver.get(server.url + "/dang-nhap")
    box = wait_for(driver, lambda d: visible(d, "#token"))
    box.send_keys(token)
    driver.find_element(By.ID, "login-submit").click()
    wait_for(
        driver, lambda d: urlparse(d.current_url).path != "/dang-nhap", 20, "login did not move on"
    )
    return urlparse(driver.current_url).path


def fetch(driver: Any, path: str, *, header: bool = False) -> dict[str, Any]:
    """GET from inside the page: with the cookie only (like <a>/<img>) or with the bearer header."""
    return driver.execute_async_script(
        """
        const [path, header, done] = arguments;
        const h = header ? {Authorization: "Bearer " + localStorage.getItem("sohoa_token")} : {};
        fetch(path, {headers: h, credentials: "same-origin"}).then(async (r) => {
          const type = r.headers.get("content-type") || "";
          const body = type.includes("json") ? await r.json() : null;
          const size = body ? 0 : (await r.arrayBuffer()).byteLength;
          done({status: r.status, type, body, size});
        }).catch((e) => done({status: -1, type: "", body: String(e), size: 0}));
        """,
        path,
        header,
    )


def shot(
    driver: Any, folder: Path, name: str, *, full: bool = True, size: tuple[int, int] = (1024, 768)
) -> Path:
    """A screenshot of the tablet's viewport (or a phone's), or of the whole page with ``full``."""
    path = folder / f"{name}.png"
    width, height = size
    if full:
        page_height = driver.execute_script("return document.documentElement.scrollHeight")
        height = max(height, int(page_height))
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(0.3)
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert path.stat().st_size > 10_000, f"{name} screenshot looks empty"
    return path


def test_login_page_rejects_a_bad_token_and_shows_the_role(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    driver.get(live_server.url + "/dang-nhap")
    driver.execute_script("localStorage.clear()")
    driver.get(live_server.url + "/dang-nhap")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    label = driver.find_element(By.CSS_SELECTOR, "label[for=token]")
    assert label.text == "Mã truy cập"
    shot(driver, shots, "login", full=False)
    # Keyboard only: Tab reaches the button, and the focused button shows an outline.
    for _ in range(12):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element.get_attribute("id") == "login-submit":
            break
    focused = driver.switch_to.active_element
    assert focused.get_attribute("id") == "login-submit"
    assert focused.value_of_css_property("outline-style") != "none"
    driver.find_element(By.ID, "token").send_keys("not-a-token")
    driver.find_element(By.ID, "login-submit").click()
    error = wait_for(driver, lambda d: visible(d, "#login-error"))
    assert "đăng nhập lại" in error.text
    assert driver.execute_script("return localStorage.getItem('sohoa_token')") is None

    assert login(driver, live_server, live_server.token("clerk", "canbo.tiepnhan")) == "/tiep-nhan"
    assert driver.find_element(By.ID, "who-role").text == "Cán bộ tiếp nhận"
    assert "sohoa_token" in {c["name"] for c in driver.get_cookies()}
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: urlparse(d.current_url).path == "/dang-nhap")
    assert driver.execute_script("return localStorage.getItem('sohoa_token')") is None
    assert "sohoa_token" not in {c["name"] for c in driver.get_cookies()}


def test_clerk_intake_review_correct_approve(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    server, scan = live_server, live_server.scan
    citizen_id = scan.person["id_number"]
    assert login(driver, server, server.token("clerk", "canbo.tiepnhan")) == "/tiep-nhan"

    # Open a dossier: a bad id number is refused on the page, a good one opens it.
    Select(driver.find_element(By.ID, "procedure")).select_by_value("dang-ky-khai-sinh")
    id_box = driver.find_element(By.ID, "citizen-id")
    id_box.send_keys("12345")
    driver.find_element(By.ID, "open-dossier").click()
    assert "12 chữ số" in wait_for(driver, lambda d: visible(d, "#dossier-error")).text
    assert id_box.get_attribute("aria-invalid") == "true"
    id_box.clear()
    id_box.send_keys(citizen_id)
    # Typing again clears the complaint.
    assert id_box.get_attribute("aria-invalid") is None
    assert not visible(driver, "#dossier-error")
    # Nothing is stored before the clerk has seen who the number is: the register's name and
    # date of birth appear as the twelfth digit is typed, with no structure warning here.
    check = wait_for(driver, lambda d: visible(d, "#citizen-check"))
    assert scan.person["full_name"] in check.text
    assert "/".join(reversed(scan.person["date_of_birth"].split("-"))) in check.text
    assert not driver.find_elements(By.CSS_SELECTOR, "#citizen-warnings li")
    id_box.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: urlparse(d.current_url).path.startswith("/ho-so/"))
    dossier_id = urlparse(driver.current_url).path.rsplit("/", 1)[1]
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == citizen_id)
    assert driver.find_element(By.ID, "dossier-procedure").text == "Đăng ký khai sinh"
    # The national dossier code heads the page (Circular 01/2018/TT-VPCP Art. 19).
    opened = fetch(driver, f"/api/v1/dossiers/{dossier_id}", header=True)["body"]
    assert DOSSIER_CODE.match(opened["code"]), opened["code"]
    assert driver.find_element(By.ID, "dossier-code").text == opened["code"]
    # Shown in Vietnam's time (UTC+7), whatever zone the server wrote.
    created = fetch(driver, f"/api/v1/dossiers/{dossier_id}", header=True)["body"]["created_at"]
    utc = datetime.fromisoformat(created)
    utc = utc if utc.tzinfo else utc.replace(tzinfo=UTC)
    local = utc.astimezone(timezone(timedelta(hours=7)))
    assert driver.find_element(By.ID, "dossier-created").text == local.strftime("%H:%M %d/%m/%Y")

    # Upload through the file picker; the component appears, is processed, then done.
    picker = driver.find_element(By.ID, "file-input")
    assert picker.get_attribute("accept") == "image/*,application/pdf"
    camera = driver.find_element(By.ID, "camera-input")
    assert camera.get_attribute("capture") == "environment"
    picker.send_keys(str(scan.path))
    status_of = "return document.querySelector(arguments[0])?.dataset.status"
    component_id = wait_for(
        driver,
        lambda d: d.execute_script(
            "return document.querySelector('li.component[data-component-id]')?.dataset.componentId"
        ),
        60,
    )
    selector = f'li.component[data-component-id="{component_id}"]'
    seen: set[str] = set()

    def finished(d: Any) -> bool:
        status = d.execute_script(status_of, selector)
        seen.add(status)
        return status in ("done", "failed")

    wait_for(driver, finished, 420, "the component was not processed in time")
    node = driver.find_element(By.CSS_SELECTOR, f'li.component[data-component-id="{component_id}"]')
    assert node.get_attribute("data-status") == "done", node.text
    assert seen & {"queued", "processing"}, f"never saw the job pending: {seen}"
    assert "Đã số hóa" in node.text
    docs = node.find_elements(By.CSS_SELECTOR, "li[data-document-id]")
    assert docs, "no document was found in the scan"
    code = node.find_element(By.CSS_SELECTOR, ".code-chip").text
    assert CODE.match(code), code
    shot(driver, shots, "clerk-intake")

    # Review: the page image with one box per OCR line, beside the fields.
    node.find_element(By.CSS_SELECTOR, "a.review-link").click()
    wait_for(driver, lambda d: urlparse(d.current_url).path == f"/thanh-phan/{component_id}")
    card = wait_for(driver, lambda d: visible(d, "article.doc"))
    doc_id = card.get_attribute("data-document-id")
    component = fetch(driver, f"/api/v1/components/{component_id}", header=True)["body"]
    page = component["pages"][0]
    boxes = driver.find_elements(By.CSS_SELECTOR, "#page-svg polygon.ocr-line")
    assert len(boxes) == len(page["lines"]) > 3
    href = driver.find_element(By.CSS_SELECTOR, "#page-svg image").get_dom_attribute("href")
    image = fetch(driver, href)  # with the cookie only, as the <image> element loads it
    assert image["status"] == 200 and image["type"].startswith("image/") and image["size"] > 1000
    viewbox = driver.find_element(By.ID, "page-svg").get_dom_attribute("viewBox")
    assert viewbox == f"0 0 {page['width']} {page['height']}"
    assert CODE.match(card.find_element(By.CSS_SELECTOR, ".code-chip").text)
    document = next(d for d in component["documents"] if d["id"] == doc_id)
    confidences = card.find_elements(By.CSS_SELECTOR, ".conf")
    assert len(confidences) == len(document["field_confidence"])
    low = [n for n, c in document["field_confidence"].items() if c < 0.8]
    flagged = [
        r.get_attribute("data-field") for r in card.find_elements(By.CSS_SELECTOR, ".frow.low")
    ]
    assert sorted(flagged) == sorted(low)
    verification = document["verification"]
    mismatch = card.find_elements(By.CSS_SELECTOR, ".frow.mismatch")
    diacritics = card.find_elements(By.CSS_SELECTOR, ".frow.diacritics")
    # a field the surer reader read again the same way is what the paper says: no misread hint
    reread = set(verification.get("reread_fields", []))
    only_diacritics = set(verification.get("diacritics_only_fields", [])) - reread
    assert {r.get_attribute("data-field") for r in diacritics} == only_diacritics
    assert {r.get_attribute("data-field") for r in mismatch} == (
        set(verification.get("mismatched_fields", [])) - only_diacritics
    )
    for field in reread:
        row = card.find_element(By.CSS_SELECTOR, f'.frow[data-field="{field}"]')
        assert "giấy tờ ghi đúng như vậy" in row.text and "đọc sai dấu" not in row.text

    # Focusing a field lights up the line that holds its value.
    name_input = reveal(driver, card.find_element(By.CSS_SELECTOR, 'input[name="full_name"]'))
    read_name = name_input.get_attribute("value")
    name_input.click()
    if read_name:
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "polygon.ocr-line.hit"), 5)
    shot(driver, shots, "clerk-review")
    assert unlabelled(driver) == []

    # Correct the name, save, and see it kept with the "corrected" mark.
    # the register's spelling, unless the reader already gave exactly that
    corrected = scan.person["full_name"]
    if read_name == corrected:
        corrected = "Nguyễn Thị Minh Hạnh"
    name_input.clear()
    name_input.send_keys(corrected)
    leaving = (
        "const e = new Event('beforeunload', {cancelable: true});"
        "window.dispatchEvent(e); return e.defaultPrevented;"
    )
    assert driver.execute_script(leaving), "no warning before leaving with unsaved corrections"
    card.find_element(By.CSS_SELECTOR, "button.save").click()
    wait_for(driver, lambda d: visible(d, f'article[data-document-id="{doc_id}"] .ok-text'))
    card = driver.find_element(By.CSS_SELECTOR, f'article[data-document-id="{doc_id}"]')
    assert "Đã lưu 1 trường" in card.find_element(By.CSS_SELECTOR, ".ok-text").text
    assert not driver.execute_script(leaving), "still warns after saving"
    row = card.find_element(By.CSS_SELECTOR, '.frow[data-field="full_name"]')
    assert "đã sửa" in row.text
    stored = fetch(driver, f"/api/v1/documents/{doc_id}", header=True)["body"]
    assert stored["fields"]["full_name"] == corrected
    assert "full_name" in stored["corrected_fields"]
    assert stored["review_status"] != "approved"
    # the PATCH answer's fresh verification against the register is told to the clerk
    saved_text = card.find_element(By.CSS_SELECTOR, ".ok-text").text
    expected_note = {"match": "đã khớp", "mismatch": "vẫn khác", "not_found": "không tìm thấy"}
    note = expected_note.get(stored["verification"]["status"])
    assert note is None or note in saved_text, (stored["verification"], saved_text)

    # A date typed the Vietnamese way is checked before anything is sent.
    dob = reveal(driver, card.find_element(By.CSS_SELECTOR, 'input[name="date_of_birth"]'))
    before_dob = dob.get_attribute("value")
    dob.clear()
    dob.send_keys("31/02/1992")
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    err = wait_for(
        driver, lambda d: visible(d, f'article[data-document-id="{doc_id}"] .error-text')
    )
    assert "dd/mm/yyyy" in err.text
    assert (
        fetch(driver, f"/api/v1/documents/{doc_id}", header=True)["body"]["review_status"]
        != "approved"
    )
    dob.clear()
    dob.send_keys(before_dob)

    # Approve. The scan's place of origin differs from the register's outright, so the
    # approval needs a reason (issue 16 item 5): without one it is refused, and says so.
    still = fetch(driver, f"/api/v1/documents/{doc_id}/register", header=True)["body"]
    if still["reason_required_fields"]:
        card.find_element(By.CSS_SELECTOR, "button.approve").click()
        refused = wait_for(
            driver, lambda d: visible(d, f'article[data-document-id="{doc_id}"] .error-text')
        )
        assert "lý do" in refused.text
        reason = driver.switch_to.active_element
        assert "approval-reason" in (reason.get_attribute("class") or "")
        reason.send_keys("Đã đối chiếu bản chính: quê quán ghi đúng như giấy tờ.")
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    wait_for(
        driver,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, f'article[data-document-id="{doc_id}"]').get_attribute(
                "data-review"
            )
            == "approved"
        ),
    )
    card = driver.find_element(By.CSS_SELECTOR, f'article[data-document-id="{doc_id}"]')
    assert card.find_element(By.CSS_SELECTOR, "button.approve").get_attribute("disabled")
    assert "Đã phê duyệt" in card.text
    stored = fetch(driver, f"/api/v1/documents/{doc_id}", header=True)["body"]
    assert stored["review_status"] == "approved"
    assert stored["fields"]["full_name"] == corrected
    # Approving signed the copy (the demo PKI): the page says who signed and shows the QR code.
    assert stored["signature"]["status"] == "valid", stored["signature"]
    box = wait_for(
        driver, lambda d: visible(d, f'article[data-document-id="{doc_id}"] .signature-box')
    )
    assert box.get_attribute("data-signature") == "valid"
    assert stored["signature"]["signer"] in box.text and "hợp lệ" in box.text
    assert "đã được ký số" in card.find_element(By.CSS_SELECTOR, ".ok-text").text
    assert card.find_element(By.CSS_SELECTOR, "[data-signature].badge").text == "✓ Đã ký số"
    qr_img = card.find_element(By.CSS_SELECTOR, "figure.qr img")
    wait_for(driver, lambda d: d.execute_script("return arguments[0].naturalWidth", qr_img) > 0)
    assert_signed_copy(server, doc_id, opened["code"], citizen_id)
    shot(driver, shots, "clerk-review-approved")

    # A second dossier for the same citizen, where the officer will reuse the document.
    driver.get(server.url + "/tiep-nhan")
    Select(wait_for(driver, lambda d: visible(d, "#procedure"))).select_by_value("dang-ky-ket-hon")
    driver.find_element(By.ID, "citizen-id").send_keys(stored["citizen_id_number"])
    wait_for(driver, lambda d: visible(d, "#citizen-check"))
    driver.find_element(By.ID, "citizen-id").send_keys(Keys.ENTER)
    wait_for(driver, lambda d: urlparse(d.current_url).path.startswith("/ho-so/"))
    reuse_dossier = urlparse(driver.current_url).path.rsplit("/", 1)[1]
    assert reuse_dossier != dossier_id

    server.state.update(
        first_dossier_id=dossier_id,
        component_id=component_id,
        dossier_id=reuse_dossier,
        doc_id=doc_id,
        code=stored["digitization_code"],
        owner=stored["citizen_id_number"],
        doc_type=stored["doc_type"],
    )


def assert_signed_copy(server: LiveServer, doc_id: str, dossier_code: str, owner: str) -> None:
    """The approved document's PDF is a signed PDF/A copy that pyHanko validates, carrying
    the QR code with the national dossier code."""
    import io
    import json
    import urllib.request

    import pikepdf

    from core.settings import Settings
    from ocr_service.copies.signing import SignatureState, trust_from_settings, verify_copy
    from tests.ocr_service.copies.copy_kit import decode_qr, rasterise

    request = urllib.request.Request(
        f"{server.url}/api/v1/documents/{doc_id}/file",
        headers={"Authorization": "Bearer " + server.token("officer", "kiem-tra")},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["X-Signature-Status"] == "valid"
        pdf = r.read()
    trust = trust_from_settings(Settings(data_dir=server.data_dir))  # the demo PKI it signed with
    status = verify_copy(pdf, trust)
    assert status.state is SignatureState.VALID, status
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert b"pdfaid" in bytes(doc.Root.Metadata.read_bytes())
    [qr] = decode_qr(rasterise(pdf, 0, dpi=200))
    data = json.loads(qr)
    assert data["ma_ho_so"] == dossier_code and data["ma_dinh_danh"] == owner
    assert data["ma_tthc"] == "dang-ky-khai-sinh" and data["ten_giay_to"] == "Giấy khai sinh"


def unlabelled(driver: Any) -> list[str]:
    """Form controls on the page that no label names (screen readers would say nothing)."""
    return driver.execute_script(
        """
        return [...document.querySelectorAll("input, select, textarea, button")]
          .filter((c) => c.type !== "hidden")
          .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute("aria-label")
                        && !c.getAttribute("aria-labelledby") && !(c.textContent || "").trim())
          .map((c) => c.outerHTML.slice(0, 80));
        """
    )


def test_clerk_sees_bad_files_and_retries(
    driver: Any, live_server: LiveServer, shots: Path, tmp_path: Path
) -> None:
    """A dropped file of the wrong type is refused; a damaged scan fails and can be retried."""
    server = live_server
    login(driver, server, server.token("clerk", "canbo.tiepnhan"))
    # The recent dossiers list the journeys' dossiers, newest first.
    recent = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#recent-list li"))
    assert len(recent) >= 2
    driver.find_element(By.ID, "citizen-id").send_keys(OTHER_CITIZEN)
    check = wait_for(driver, lambda d: visible(d, "#citizen-check"))
    assert "Không có số định danh này trong CSDL dân cư" in check.text  # said, not refused
    shot(driver, shots, "clerk-open-dossier", full=False)
    driver.find_element(By.ID, "citizen-id").send_keys(Keys.ENTER)
    wait_for(driver, lambda d: urlparse(d.current_url).path.startswith("/ho-so/"))
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == OTHER_CITIZEN)
    assert unlabelled(driver) == []

    # The file pickers are reachable by keyboard and their buttons show the focus.
    for _ in range(20):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element.get_attribute("id") == "file-input":
            break
    assert driver.switch_to.active_element.get_attribute("id") == "file-input"
    button = driver.find_element(By.CSS_SELECTOR, 'label[for="file-input"]')
    assert button.value_of_css_property("outline-style") == "solid"

    # Drag and drop: a text file is refused with the Vietnamese reason, nothing is queued.
    driver.execute_script(
        """
        const dt = new DataTransfer();
        dt.items.add(new File(["không phải ảnh"], "ghi-chu.txt", {type: "text/plain"}));
        const zone = document.getElementById("dropzone");
        for (const type of ["dragenter", "dragover", "drop"]) {
          zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
        }
        """
    )
    refused = wait_for(
        driver, lambda d: visible(d, 'li.component[data-status="rejected"] .error-text')
    )
    assert "Định dạng tệp không được hỗ trợ" in refused.text
    assert not driver.find_elements(By.CSS_SELECTOR, "li.component[data-component-id]")

    # A "JPEG" that is not one: stored, queued, then failed with what to do next.
    broken = tmp_path / "anh-hong.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    driver.find_element(By.ID, "file-input").send_keys(str(broken))
    selector = "li.component[data-component-id]"
    status_of = "return document.querySelector(arguments[0])?.dataset.status"
    wait_for(driver, lambda d: d.execute_script(status_of, selector) == "failed", 180)
    item = driver.find_element(By.CSS_SELECTOR, selector)
    component_id = item.get_attribute("data-component-id")
    message = item.find_element(By.CSS_SELECTOR, ".error-text").text
    assert message and not message.isascii(), f"not a Vietnamese message: {message!r}"
    attempts = fetch(driver, f"/api/v1/components/{component_id}", header=True)["body"]["attempts"]
    shot(driver, shots, "clerk-failed", full=False)

    item.find_element(By.CSS_SELECTOR, "button.retry").click()
    wait_for(
        driver,
        lambda d: (
            fetch(d, f"/api/v1/components/{component_id}", header=True)["body"]["attempts"]
            > attempts
        ),
        180,
        "retry did not run the job again",
    )
    wait_for(driver, lambda d: d.execute_script(status_of, selector) == "failed", 180)


def test_officer_looks_up_and_reuses(driver: Any, live_server: LiveServer, shots: Path) -> None:
    state = live_server.state
    if "doc_id" not in state:
        pytest.skip("the clerk journey did not register a document")
    assert (
        login(driver, live_server, live_server.token("officer", "canbo.giaiquyet"))
        == "/tai-su-dung"
    )
    # The officer's menu has no intake page.
    assert not visible(driver, 'a[href="/tiep-nhan"]')
    driver.find_element(By.ID, "lookup-id").send_keys(state["owner"])
    driver.find_element(By.ID, "reuse-dossier").send_keys(state["dossier_id"])
    driver.find_element(By.ID, "lookup-submit").click()
    card = wait_for(
        driver, lambda d: visible(d, f'li.doc-card[data-document-id="{state["doc_id"]}"]')
    )
    group = driver.find_element(
        By.CSS_SELECTOR, f'section.type-group[data-doc-type="{state["doc_type"]}"]'
    )
    assert card in group.find_elements(By.CSS_SELECTOR, "li.doc-card")
    assert card.find_element(By.CSS_SELECTOR, ".digitization-code").text == state["code"]
    assert (
        card.find_element(By.CSS_SELECTOR, "[data-review]").get_attribute("data-review")
        == "approved"
    )
    assert "(đã sửa)" in card.text  # the clerk's correction is visible to the officer
    # the signature, checked at this read, and the QR code printed on the copy
    badge = card.find_element(By.CSS_SELECTOR, ".badges [data-signature]")
    assert badge.get_attribute("data-signature") == "valid"
    assert "hợp lệ" in card.find_element(By.CSS_SELECTOR, ".signature-box").text
    qr_img = card.find_element(By.CSS_SELECTOR, "figure.qr img")
    wait_for(driver, lambda d: d.execute_script("return arguments[0].naturalWidth", qr_img) > 0)

    # The PDF link works with the cookie alone, as a click on it would.
    pdf = fetch(driver, card.find_element(By.CSS_SELECTOR, "a.open-pdf").get_attribute("href"))
    assert pdf["status"] == 200 and pdf["type"] == "application/pdf" and pdf["size"] > 1000

    card.find_element(By.CSS_SELECTOR, "button.reuse").click()
    done = wait_for(
        driver, lambda d: visible(d, f'li.doc-card[data-document-id="{state["doc_id"]}"] .ok-text')
    )
    assert f"Đã ghi nhận sử dụng lại cho hồ sơ {state['dossier_id']}" in done.text
    card.find_element(By.CSS_SELECTOR, "details.reuses summary").click()
    wait_for(
        driver,
        lambda d: (
            state["dossier_id"] in card.find_element(By.CSS_SELECTOR, "details.reuses ul").text
        ),
    )
    reuses = fetch(driver, f"/api/v1/documents/{state['doc_id']}/reuses", header=True)["body"][
        "reuses"
    ]
    assert [r["dossier_id"] for r in reuses] == [state["dossier_id"]]
    assert reuses[0]["actor"] == "canbo.giaiquyet"
    shot(driver, shots, "officer-reuse")
    assert unlabelled(driver) == []

    # An unknown citizen: an explicit "nothing digitized" message, not an error.
    box = driver.find_element(By.ID, "lookup-id")
    box.clear()
    box.send_keys(OTHER_CITIZEN, Keys.ENTER)
    assert OTHER_CITIZEN in wait_for(driver, lambda d: visible(d, "#no-results")).text


def test_citizen_sees_only_their_own(driver: Any, live_server: LiveServer, shots: Path) -> None:
    state = live_server.state
    if "doc_id" not in state:
        pytest.skip("the clerk journey did not register a document")
    assert (
        login(driver, live_server, live_server.token("citizen", state["owner"])) == "/kho-du-lieu"
    )
    card = wait_for(
        driver, lambda d: visible(d, f'li.doc-card[data-document-id="{state["doc_id"]}"]')
    )
    assert card.find_element(By.CSS_SELECTOR, ".digitization-code").text == state["code"]
    assert not card.find_elements(By.CSS_SELECTOR, "button.reuse")
    assert card.find_element(By.CSS_SELECTOR, ".signature-box").get_attribute("data-signature") == (
        "valid"
    )
    assert card.find_elements(By.CSS_SELECTOR, "figure.qr img")
    download = card.find_element(By.CSS_SELECTOR, "a.download")
    assert download.get_attribute("download").endswith(".pdf")
    pdf = fetch(driver, download.get_attribute("href"))
    assert pdf["status"] == 200 and pdf["type"] == "application/pdf"
    assert [
        a.text for a in driver.find_elements(By.CSS_SELECTOR, ".mainnav a") if a.is_displayed()
    ] == ["Kho dữ liệu của tôi"]
    # Ai đã xem giấy tờ của tôi: the officer's reuse, by name, and the dossier it served
    reuse = wait_for(
        driver, lambda d: visible(d, '#access-log-rows tr[data-action="document.reuse"]')
    )
    assert "canbo.giaiquyet" in reuse.text and "Sử dụng lại giấy tờ" in reuse.text
    assert state["dossier_id"] in reuse.text
    approved = driver.find_element(
        By.CSS_SELECTOR, '#access-log-rows tr[data-action="document.approve"]'
    )
    assert "canbo.tiepnhan" in approved.text and "Cán bộ tiếp nhận" in approved.text
    shot(driver, shots, "citizen")

    # Staff pages say they are not for citizens, and show no data.
    driver.get(live_server.url + "/tai-su-dung?so_dinh_danh=" + state["owner"])
    assert "dành cho" in wait_for(driver, lambda d: visible(d, "#global-notice")).text
    assert not driver.find_elements(By.CSS_SELECTOR, "li.doc-card")

    # Another citizen: an empty store, and 404 for the first citizen's things.
    login(driver, live_server, live_server.token("citizen", OTHER_CITIZEN))
    # The box shows "Đang tải…" until the store's answer arrives: wait for the answer itself.
    wait_for(
        driver,
        lambda d: (e := visible(d, "#citizen-empty")) is not None and "chưa có giấy tờ" in e.text,
        message="the other citizen's empty store",
    )
    assert not driver.find_elements(By.CSS_SELECTOR, "li.doc-card")
    for path in (
        f"/api/v1/citizens/{state['owner']}/documents",
        f"/api/v1/documents/{state['doc_id']}",
        f"/api/v1/documents/{state['doc_id']}/file",
    ):
        assert fetch(driver, path, header=True)["status"] == 404, path
        assert fetch(driver, path)["status"] == 404, path


def test_admin_sees_who_did_what(driver: Any, live_server: LiveServer, shots: Path) -> None:
    """The audit page lists the journeys' reads and changes of the citizen's document."""
    state = live_server.state
    if "doc_id" not in state:
        pytest.skip("the clerk journey did not register a document")
    assert login(driver, live_server, live_server.token("admin", "quantri")) == "/nhat-ky"
    box = wait_for(driver, lambda d: visible(d, "#audit-id"))
    box.send_keys(state["owner"], Keys.ENTER)

    def actions(d: Any) -> set[tuple[str, str]]:
        rows = d.find_elements(By.CSS_SELECTOR, "#audit-rows tr")
        return {
            (r.get_attribute("data-action"), r.find_elements(By.TAG_NAME, "td")[1].text)
            for r in rows
        }

    expected = {"document.correct", "document.approve", "document.reuse", "document.file"}
    wait_for(driver, lambda d: expected <= {a for a, _ in actions(d)}, 10)
    seen = actions(driver)
    assert any(a == "document.reuse" and "canbo.giaiquyet" in who for a, who in seen)
    assert any(a == "document.file" and state["owner"] in who for a, who in seen)
    assert "Phê duyệt giấy tờ" in driver.find_element(By.ID, "audit-rows").text
    assert unlabelled(driver) == []
    shot(driver, shots, "admin-audit", full=False)


def test_pages_fit_a_phone(driver: Any, live_server: LiveServer, shots: Path) -> None:
    """At 390 px wide nothing scrolls sideways, on every page of every role."""
    state = live_server.state
    if "doc_id" not in state:
        pytest.skip("the clerk journey did not register a document")
    owner = state["owner"]
    visits = {
        ("clerk", "canbo.tiepnhan"): [
            "/tiep-nhan",
            "/hom-nay",
            f"/ho-so/{state['first_dossier_id']}",
            f"/thanh-phan/{state['component_id']}",
        ],
        ("officer", "canbo.giaiquyet"): [f"/tai-su-dung?so_dinh_danh={owner}"],
        ("citizen", owner): ["/kho-du-lieu"],
    }
    driver.set_window_size(390, 844)
    try:
        for (role, subject), paths in visits.items():
            login(driver, live_server, live_server.token(role, subject))
            for path in paths:
                driver.get(live_server.url + path)
                wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".spinner"), 10)
                time.sleep(0.5)
                overflow = driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 1, f"{path} overflows by {overflow}px"
                if path.startswith("/thanh-phan/"):
                    shot(driver, shots, "phone-review", full=False, size=(390, 844))
    finally:
        driver.set_window_size(1024, 768)


def test_clerk_confirms_a_person_the_paper_names(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    """A parent's dossier, the child's birth certificate: the child is named, not confirmed,
    until the clerk says how the two relate; the review page marks it and confirms it."""
    import httpx

    server = live_server
    child = server.scan.person["id_number"]
    clerk = {"Authorization": "Bearer " + server.token("clerk", "canbo.tiepnhan")}
    with httpx.Client(base_url=server.url, headers=clerk, timeout=30) as api:
        dossier = api.post(
            "/api/v1/dossiers",
            json={"procedure_code": "dang-ky-thuong-tru", "citizen_id_number": OTHER_CITIZEN},
        ).json()["id"]
        with server.scan.path.open("rb") as fh:
            r = api.post(
                f"/api/v1/dossiers/{dossier}/components",
                files={"file": ("giay-khai-sinh-con.png", fh, "image/png")},
            )
        assert r.status_code == 202, r.text
        component = r.json()["id"]
        deadline = time.monotonic() + 180
        while api.get(f"/api/v1/components/{component}").json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the scan was not processed in time"
            time.sleep(1)
    assert login(driver, server, server.token("clerk", "canbo.tiepnhan")) == "/tiep-nhan"
    driver.get(f"{server.url}/thanh-phan/{component}")
    named = wait_for(driver, lambda d: visible(d, f'.subjects li[data-id-number="{child}"]'))
    assert named.get_attribute("data-confirmed") == "false"
    assert "Chưa xác nhận" in named.text
    Select(named.find_element(By.CSS_SELECTOR, "select.relation")).select_by_value("child")
    named.find_element(By.CSS_SELECTOR, "button.confirm-subject").click()
    done = wait_for(
        driver,
        lambda d: visible(d, f'.subjects li[data-id-number="{child}"][data-confirmed="true"]'),
    )
    assert "Con của người nộp hồ sơ" in done.text and "canbo.tiepnhan" in done.text
    assert unlabelled(driver) == []
    [doc] = fetch(driver, f"/api/v1/components/{component}", header=True)["body"]["documents"]
    [subject] = [s for s in doc["subjects"] if s["id_number"] == child]
    assert (subject["confirmed"], subject["relation"], subject["confirmed_by"]) == (
        True,
        "child",
        "canbo.tiepnhan",
    )
