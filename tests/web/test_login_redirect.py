"""In Chromium: after signing in, ``?next=`` never takes the browser to another origin.

Two layers are tried: the server's vetting (hostile ``?next=`` in the address bar) and the
script's own check (a hostile ``data-next`` written into the page, as if the server had not
vetted it). Either way the browser stays on this origin and lands on the role's home page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from selenium.webdriver.common.by import By  # noqa: E402

from tests.web.server import LiveServer  # noqa: E402
from tests.web.test_journeys import visible, wait_for  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# raw query strings, as an attacker would write the link
HOSTILE_QUERIES = [
    "/%09/127.0.0.1:8899/",
    "/%0a/127.0.0.1:8899/",
    "/%0d/127.0.0.1:8899/",
    "//127.0.0.1:8899/",
    "/%5C127.0.0.1:8899/",
    "%5C%5C127.0.0.1:8899/",
    "https://127.0.0.1:8899/",
    "javascript:alert(1)",
]
# values the script itself must refuse, bypassing the server
HOSTILE_DATA = [
    "/\t/127.0.0.1:8899/",
    "/\n/127.0.0.1:8899/",
    "/\\127.0.0.1:8899/",
    "//127.0.0.1:8899/",
]


def _sign_in(driver: Any, server: LiveServer, query: str, data_next: str | None = None) -> str:
    driver.get(server.url + "/dang-nhap")
    driver.delete_all_cookies()
    driver.execute_script("localStorage.clear()")
    driver.get(server.url + "/dang-nhap?next=" + query)
    if data_next is not None:
        driver.execute_script(
            "document.getElementById('login').dataset.next = arguments[0]", data_next
        )
    box = wait_for(driver, lambda d: visible(d, "#token"))
    box.send_keys(server.token("clerk", "canbo.tiepnhan"))
    driver.find_element(By.ID, "login-submit").click()
    wait_for(driver, lambda d: urlparse(d.current_url).path != "/dang-nhap", 20, "no move")
    return str(driver.current_url)


def test_hostile_next_stays_on_this_origin(driver: Any, live_server: LiveServer) -> None:
    origin = urlparse(live_server.url).netloc
    for query in HOSTILE_QUERIES:
        landed = urlparse(_sign_in(driver, live_server, query))
        assert (landed.netloc, landed.path) == (origin, "/tiep-nhan"), (query, landed)
    for value in HOSTILE_DATA:
        landed = urlparse(_sign_in(driver, live_server, "", data_next=value))
        assert (landed.netloc, landed.path) == (origin, "/tiep-nhan"), (value, landed)


def test_a_same_site_next_is_followed(driver: Any, live_server: LiveServer) -> None:
    landed = urlparse(_sign_in(driver, live_server, "%2Fho-so%2Fabc123"))
    assert (landed.netloc, landed.path) == (urlparse(live_server.url).netloc, "/ho-so/abc123")


def test_the_logout_button_ends_the_session_on_the_server(
    driver: Any, live_server: LiveServer
) -> None:
    """Not only forgotten by the browser: the token is refused by the API afterwards."""
    import httpx

    _sign_in(driver, live_server, "")
    token = driver.execute_script("return localStorage.getItem('sohoa_token')")
    me = httpx.get(live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: urlparse(d.current_url).path == "/dang-nhap")
    assert driver.execute_script("return localStorage.getItem('sohoa_token')") is None

    def refused(_: Any) -> bool:
        r = httpx.get(live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        return r.status_code == 401

    wait_for(driver, refused, 10, "the signed-out token is still accepted")
