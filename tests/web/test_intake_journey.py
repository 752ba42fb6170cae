"""Intake from the citizen to the printed receipt, in headless Chromium (issue 16 items 2, 3, 6).

The clerk types the citizen's id number: the register's name and date of birth appear (and a
structure warning for a number that does not fit); picks the procedure, opens the dossier; the
checklist offers the birth certificate already in the citizen's store, reused with one click;
one scan is added; the receipt is opened for printing. Clicks and seconds are counted.

The server is the review journey's (its fault pipeline verified against the register).
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import zxingcpp  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from tests.web.server import SCREENSHOT_ENV, LiveServer  # noqa: E402
from tests.web.test_journeys import login, shot, visible, wait_for  # noqa: E402
from tests.web.test_review_journey import (  # noqa: E402, F401 (fixtures)
    CITIZEN,
    NAME,
    Clicks,
    _all_done,
    _scans,
    review_server,
    tablet,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# not in the register; "003" is no province code and digit 4 (8) says born 2300-2399
ODD_NUMBER = "003892000111"


def _store_a_birth_certificate(server: LiveServer) -> str:
    """Before the journey: the citizen's birth certificate, approved in an earlier dossier."""
    token = server.token("clerk", "canbo.truoc")
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as api:
        r = api.post(
            "/api/v1/dossiers",
            json={"procedure_code": "dang-ky-khai-sinh", "citizen_id_number": CITIZEN},
        )
        assert r.status_code == 201, r.text
        [path] = _scans(server, [f"ks_{CITIZEN}.png"], seed=500)
        with Path(path).open("rb") as fh:
            r = api.post(
                f"/api/v1/dossiers/{r.json()['id']}/components",
                files={"file": (f"ks_{CITIZEN}.png", fh, "image/png")},
            )
        assert r.status_code == 202, r.text
        component = r.json()["id"]
        deadline = time.monotonic() + 120
        while (body := api.get(f"/api/v1/components/{component}").json())["status"] != "done":
            assert time.monotonic() < deadline and body["status"] != "failed", body
            time.sleep(0.5)
        [doc] = body["documents"]
        assert api.post(f"/api/v1/documents/{doc['id']}/approve").status_code == 200
        return str(doc["digitization_code"])


def _receipt(driver: Any, url: str) -> bytes:
    """The receipt's bytes as the browser gets them (its session cookie, no header)."""
    data = driver.execute_async_script(
        """
        const [url, done] = arguments;
        fetch(url, {credentials: "same-origin"}).then(async (r) => {
          const b = new Uint8Array(await r.arrayBuffer());
          let s = ""; for (const x of b) s += String.fromCharCode(x);
          done({status: r.status, type: r.headers.get("content-type"), body: btoa(s)});
        });
        """,
        url,
    )
    assert data["status"] == 200 and data["type"] == "application/pdf", data["status"]
    import base64

    return base64.b64decode(data["body"])


def test_intake_from_the_id_number_to_the_receipt(
    tablet: Any,  # noqa: F811 (the fixture imported above)
    review_server: LiveServer,  # noqa: F811
    shots: Path,
) -> None:
    driver, server = tablet, review_server
    driver.set_window_size(1024, 900)
    stored_code = _store_a_birth_certificate(server)
    login(driver, server, server.token("clerk", "canbo.tiepnhan"))
    driver.get(server.url + "/tiep-nhan")

    # a number that does not fit its structure: warned, not refused, nothing stored yet
    id_box = wait_for(driver, lambda d: visible(d, "#citizen-id"))
    id_box.send_keys(ODD_NUMBER)
    check = wait_for(driver, lambda d: visible(d, "#citizen-check"))
    codes = [
        w.get_attribute("data-code")
        for w in driver.find_elements(By.CSS_SELECTOR, "#citizen-warnings li")
    ]
    assert codes == ["unknown_province", "birth_year_in_future"], codes
    assert "Không có số định danh này trong CSDL dân cư" in check.text
    shot(driver, shots, "clerk-intake-warning", full=False)
    id_box.clear()

    click = Clicks()
    started = time.monotonic()
    id_box.send_keys(CITIZEN)  # typed (or read from the card's QR code): no click
    check = wait_for(driver, lambda d: visible(d, "#citizen-check[data-found=yes]"))
    assert NAME in check.text and "15/08/1992" in check.text and "Hà Nội" in check.text
    assert not driver.find_elements(By.CSS_SELECTOR, "#citizen-warnings li")
    select = driver.find_element(By.ID, "procedure")
    click(select)
    Select(select).select_by_value("dang-ky-thuong-tru")
    driver.find_element(By.ID, "applicant-phone").send_keys("0912345678")
    shot(driver, shots, "clerk-intake-citizen", full=False)
    click(driver.find_element(By.ID, "open-dossier"))
    wait_for(driver, lambda d: urlparse(d.current_url).path.startswith("/ho-so/"))
    dossier_id = urlparse(driver.current_url).path.rsplit("/", 1)[1]
    opened = time.monotonic()

    # the checklist: the birth certificate is in the citizen's store; reuse it, no scan
    item = wait_for(
        driver, lambda d: visible(d, '.check-item[data-key="quan-he-nhan-than"][data-status]')
    )
    assert item.get_attribute("data-status") == "available"
    assert stored_code in item.text
    assert driver.find_element(By.ID, "dossier-due").text != "—"
    click(item.find_element(By.CSS_SELECTOR, "button.reuse-one"))
    wait_for(
        driver,
        lambda d: visible(d, '.check-item[data-key="quan-he-nhan-than"][data-status="reused"]'),
    )
    # a code that does not exist: said so, nothing recorded
    driver.find_element(By.ID, "reuse-code").send_keys("SH-20261206-ZZZZZZZZ-0")
    driver.find_element(By.ID, "reuse-by-code").click()  # a check of the page, not counted
    error = wait_for(driver, lambda d: visible(d, "#checklist-error"))
    assert "SH-20261206-ZZZZZZZZ-0" in error.text and "Chưa ghi nhận gì" in error.text
    driver.find_element(By.ID, "reuse-code").clear()

    # the one paper the citizen brought: scanned
    [scan] = _scans(server, ["to-khai-ct01.png"], seed=510)
    driver.find_element(By.ID, "file-input").send_keys(scan)
    click.n += 1  # choosing the file
    wait_for(driver, lambda d: _all_done(d, 1), 120, "the scan was not processed")
    wait_for(
        driver,
        lambda d: visible(d, '.check-item[data-key="cho-o-hop-phap"][data-status="received"]'),
    )
    shot(driver, shots, "clerk-dossier-checklist")

    # the receipt, to print
    before = set(driver.window_handles)
    link = driver.find_element(By.ID, "print-receipt")
    href = link.get_attribute("href")
    click(link)
    wait_for(driver, lambda d: len(d.window_handles) > len(before))
    [tab] = set(driver.window_handles) - before
    finished = time.monotonic()
    driver.switch_to.window(tab)
    assert urlparse(driver.current_url).path == f"/api/v1/dossiers/{dossier_id}/receipt"
    driver.close()
    driver.switch_to.window(next(iter(before)))

    data = _receipt(driver, href)
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    text = " ".join(unicodedata.normalize("NFC", page.get_textpage().get_text_range()).split())
    image = page.render(scale=3).to_pil()
    pdf.close()
    dossier = driver.execute_async_script(
        "const [id, done] = arguments; window.Sohoa.api('GET', '/dossiers/' + id).then(done);",
        dossier_id,
    )
    for expected in (
        NAME,
        CITIZEN,
        dossier["code"],
        stored_code,
        "0912345678",
        "Đăng ký thường trú",
    ):
        assert expected in text, expected
    qr = [r.text for r in zxingcpp.read_barcodes(np.asarray(image.convert("L")))]
    assert qr == [dossier["code"]]
    if os.environ.get(SCREENSHOT_ENV):
        image.resize((image.width // 2, image.height // 2)).save(shots / "receipt.png")

    measured = {
        "clicks": click.n,
        "seconds_total": round(finished - started, 1),
        "seconds_to_open": round(opened - started, 1),
    }
    print("intake journey:", json.dumps(measured))  # the README quotes it (pytest -s)
    assert click.n <= 6, measured


def test_the_card_qr_code_from_a_photo(
    tablet: Any,  # noqa: F811 (the fixture imported above)
    review_server: LiveServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Where the browser has no QR reader (Chromium on Linux has no BarcodeDetector), the
    clerk photographs the card: the server reads the code, the number and the register's
    name appear as if typed."""
    import segno

    driver, server = tablet, review_server
    login(driver, server, server.token("clerk", "canbo.tiepnhan"))
    driver.get(server.url + "/tiep-nhan")
    wait_for(driver, lambda d: visible(d, "#citizen-id"))
    photo = tmp_path / "the-card.png"
    segno.make(f"{CITIZEN}||{NAME}|15081992|Nữ|Hà Nội|01012021", error="m").save(
        str(photo), kind="png", scale=8, border=4
    )
    picker = driver.find_element(By.ID, "card-photo")
    assert picker.get_attribute("capture") == "environment"
    driver.execute_script("arguments[0].hidden = false", picker)  # as the file chooser would
    picker.send_keys(str(photo))
    check = wait_for(driver, lambda d: visible(d, "#citizen-check[data-found=yes]"))
    assert driver.find_element(By.ID, "citizen-id").get_attribute("value") == CITIZEN
    assert "Trên thẻ" in check.text and NAME in check.text and "15/08/1992" in check.text
