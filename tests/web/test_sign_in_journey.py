"""Signing in as people do, in headless Chromium against a live ``sohoa serve``: staff with a
user name and password (demo accounts from `sohoa user demo`), a citizen with the one-time
code a clerk issued on the dossier page, an administrator managing accounts; sign-out ends
the session on the server. No token is pasted anywhere here.

Run: ``pytest -m browser tests/web/test_sign_in_journey.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from selenium.webdriver.common.by import By  # noqa: E402

from ocr_service.accounts import DEMO_PASSWORD  # noqa: E402
from tests.web.server import REPO, LiveServer, run_sohoa  # noqa: E402
from tests.web.test_journeys import shot, visible, wait_for  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CITIZEN = "001192012345"


def _sohoa(server: LiveServer, *args: str) -> str:
    """Runs ``sohoa ARGS`` on the live server's data dir, as its operator would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(
        SOHOA_DATA_DIR=str(server.data_dir),
        SOHOA_SECRET_KEY=server.secret,
        SOHOA_ENVIRONMENT="development",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    proc = run_sohoa(list(args), env, server.data_dir.parent, stdout=subprocess.PIPE)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    return out.decode()


def _fresh(driver: Any, server: LiveServer, path: str) -> None:
    driver.get(server.url + path)
    driver.delete_all_cookies()
    driver.execute_script("localStorage.clear()")
    driver.get(server.url + path)


def _sign_in(driver: Any, server: LiveServer, username: str, password: str) -> None:
    _fresh(driver, server, "/dang-nhap")
    _type(driver, username, password)


def _type(driver: Any, username: str, password: str) -> None:
    box = wait_for(driver, lambda d: visible(d, "#username"))
    box.clear()
    box.send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "password-submit").click()


def _path(driver: Any) -> str:
    return urlparse(driver.current_url).path


def _cookie(driver: Any, name: str) -> dict[str, Any] | None:
    return next((c for c in driver.get_cookies() if c["name"] == name), None)


def test_staff_sign_in_with_a_password_issue_a_code_and_sign_out(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    server = live_server
    out = _sohoa(server, "user", "demo")
    assert out.count("created") == 3

    # a wrong password: the one generic message, still on the sign-in page
    _sign_in(driver, server, "canbo.demo", "khong-phai-mat-khau")
    error = wait_for(driver, lambda d: visible(d, "#password-error"))
    assert error.text == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert _path(driver) == "/dang-nhap" and _cookie(driver, "sohoa_session") is None
    shot(driver, shots, "login-password", full=False)

    # the right one (the name is kept, the password typed again)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.ID, "password-submit").click()
    wait_for(driver, lambda d: _path(d) == "/tiep-nhan", 20, "the clerk did not reach intake")
    assert driver.find_element(By.ID, "who-role").text == "Cán bộ tiếp nhận"
    session = _cookie(driver, "sohoa_session")
    assert session is not None and session["httpOnly"] and session["sameSite"] == "Lax"
    assert "sohoa_session" not in driver.execute_script("return document.cookie")
    assert driver.execute_script("return localStorage.getItem('sohoa_token')") is None

    # a dossier (opened through the API, as the intake page does), then its page: the clerk
    # issues the citizen's one-time code with one click; the POST carries the CSRF token
    clerk = {"Authorization": "Bearer " + server.token("clerk", "canbo.demo")}
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    dossier = httpx.post(server.url + "/api/v1/dossiers", json=body, headers=clerk).json()["id"]
    driver.get(f"{server.url}/ho-so/{dossier}")
    wait_for(driver, lambda d: d.find_element(By.ID, "dossier-citizen").text == CITIZEN)
    driver.find_element(By.ID, "citizen-code-issue").click()
    value = wait_for(driver, lambda d: visible(d, "#citizen-code-value"))
    code = value.text
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    server.state["citizen_code"] = code

    # sign out: back at the sign-in page, and the old cookie is refused by the server
    old = session["value"]
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: _path(d) == "/dang-nhap")
    assert _cookie(driver, "sohoa_session") is None
    me = httpx.get(server.url + "/api/v1/me", cookies={"sohoa_session": old})
    assert me.status_code == 401


def test_a_citizen_opens_their_store_with_the_code_once(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    server = live_server
    code = server.state.get("citizen_code")
    if not code:
        pytest.skip("the staff journey did not issue a code")
    _fresh(driver, server, "/dang-nhap")
    driver.find_element(By.ID, "citizen-login-link").click()
    wait_for(driver, lambda d: _path(d) == "/dang-nhap/cong-dan")
    driver.find_element(By.ID, "id-number").send_keys(CITIZEN)
    driver.find_element(By.ID, "code").send_keys(code.lower())  # as typed on a phone
    shot(driver, shots, "login-citizen-code", full=False)
    driver.find_element(By.ID, "code-submit").click()
    wait_for(
        driver, lambda d: _path(d) == "/kho-du-lieu", 20, "the citizen did not reach the store"
    )
    assert driver.find_element(By.ID, "who-role").text == "Công dân"
    assert CITIZEN in driver.find_element(By.ID, "who-subject").text

    # the same code a second time: refused, with the message that says why
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: _path(d) == "/dang-nhap")
    driver.get(server.url + "/dang-nhap/cong-dan")
    driver.find_element(By.ID, "id-number").send_keys(CITIZEN)
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.ID, "code-submit").click()
    error = wait_for(driver, lambda d: visible(d, "#code-error"))
    assert "đã dùng" in error.text and _cookie(driver, "sohoa_session") is None


def test_an_admin_creates_and_disables_an_account(
    driver: Any, live_server: LiveServer, shots: Path
) -> None:
    server = live_server
    if "citizen_code" not in server.state:
        _sohoa(server, "user", "demo")
    _sign_in(driver, server, "quantri.demo", DEMO_PASSWORD)
    wait_for(driver, lambda d: _path(d) == "/nhat-ky", 20, "the admin did not reach the audit log")
    driver.find_element(By.CSS_SELECTOR, 'a[href="/quan-tri/tai-khoan"]').click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#accounts-rows tr[data-username]"))
    driver.find_element(By.ID, "account-username").send_keys("canbo.moi")
    driver.find_element(By.ID, "account-password").send_keys("mat-khau-cua-moi-1")
    driver.find_element(By.ID, "account-submit").click()
    row = 'tr[data-username="canbo.moi"]'
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, row), 10, "no new row")
    driver.find_element(By.CSS_SELECTOR, row + ' button[data-action="disable"]').click()
    wait_for(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, row).get_attribute("data-disabled") == "1",
        10,
        "the account was not disabled",
    )
    shot(driver, shots, "admin-accounts", full=False)
    # the disabled account cannot sign in (the same generic message)
    _sign_in(driver, server, "canbo.moi", "mat-khau-cua-moi-1")
    error = wait_for(driver, lambda d: visible(d, "#password-error"))
    assert error.text == "Tên đăng nhập hoặc mật khẩu không đúng."
