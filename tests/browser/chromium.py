"""Headless Chromium through Selenium, for the web page's tests and its screenshots.

The system's browser and driver (Debian: apt-get install chromium chromium-driver), never one
downloaded: Selenium's own manager is not asked, so nothing needs the network.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
FOLDER = Path(__file__).parent
AXE = FOLDER / "node_modules" / "axe-core" / "axe.min.js"
VNU = FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def found(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def missing() -> str | None:
    """What to install before a browser test can run, or None when nothing."""
    if found(BROWSERS) is None or found(DRIVERS) is None:
        return "needs Chromium and its driver (apt-get install chromium chromium-driver)"
    return None


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A headless Chromium that logs every console message (`get_log("browser")`)."""
    options = webdriver.ChromeOptions()
    options.binary_location = found(BROWSERS) or ""
    for argument in (
        "--headless=new",
        "--no-sandbox",  # as root in a container, where CI runs
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--lang=en",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(found(DRIVERS)))
    try:
        yield browser
    finally:
        browser.quit()
