"""Headless Debian Chromium through Debian's chromedriver (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

__all__ = ["CHROMEDRIVER", "CHROMIUM", "TIMEZONE", "browser_available", "make_driver"]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
TIMEZONE = "Asia/Ho_Chi_Minh"


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class _Chrome(webdriver.Chrome):
    """A Chrome driver whose browser keeps its scratch files in a folder of its own.

    Chromium puts its singleton socket folder (``org.chromium.Chromium.*``) in ``$TMPDIR`` and
    leaves it there when it quits; pointed at a private folder, ``quit`` removes it all.
    """

    scratch: Path

    def quit(self) -> None:
        try:
            super().quit()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


def make_driver(width: int = 1024, height: int = 768, *, mobile: bool = False) -> _Chrome:
    """A headless Chromium sized like the counter tablet (or a phone with ``mobile``)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--lang=vi-VN",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if mobile:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}},
        )
    # An explicit driver path keeps Selenium Manager from looking for (or fetching) a driver.
    # The counter is in Vietnam: the pages must turn the server's UTC into local time.
    scratch = Path(tempfile.mkdtemp(prefix="sohoa-chromium-"))
    env = {**os.environ, "TZ": TIMEZONE, "TMPDIR": str(scratch)}
    service = Service(executable_path=CHROMEDRIVER, env=env)
    try:
        driver = _Chrome(options=options, service=service)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    driver.scratch = scratch
    try:
        # --window-size counts the (invisible) window frame; make the viewport itself that size.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        rect = driver.get_window_rect()
        driver.set_window_rect(
            width=rect["width"] + width - int(inner[0]),
            height=rect["height"] + height - int(inner[1]),
        )
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
    except BaseException:
        driver.quit()
        raise
    return driver
