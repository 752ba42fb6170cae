"""The test browser leaves nothing behind: no process and no scratch folder in the temp dir."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytest.importorskip("selenium", reason="the browser tests need selenium (pip install -e '.[dev]')")

from tests.web.browser import browser_available, make_driver  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _chromium_scratch() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("org.chromium.Chromium.*"))


@pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium and chromedriver")
def test_quit_leaves_no_scratch_folder() -> None:
    before = _chromium_scratch()
    drv = make_driver(400, 300)
    try:
        drv.get("data:text/html,<p>sohoa</p>")
        scratch = drv.scratch
        # the browser's singleton folder is made in the driver's own folder, not the shared one
        assert list(scratch.glob("org.chromium.Chromium.*"))
    finally:
        drv.quit()
    assert not scratch.exists()
    assert _chromium_scratch() - before == set()
