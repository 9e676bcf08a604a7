"""Headless Chromium through Selenium, for the playground's browser tests and screenshots.

Uses the system's `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`); Selenium
is asked not to download a browser or driver of its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
DRIVERS = ("chromedriver",)


def _which(names: tuple[str, ...], variable: str) -> str | None:
    explicit = os.environ.get(variable)
    if explicit:
        return explicit if os.path.exists(explicit) else None
    return next((path for path in map(shutil.which, names) if path), None)


def missing() -> str | None:
    """Why the browser cannot run here (naming what is missing), or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install -e '.[test]')"
    if _which(BROWSERS, "CHROMIUM") is None:
        return "no chromium binary on PATH (apt-get install chromium, or set CHROMIUM)"
    if _which(DRIVERS, "CHROMEDRIVER") is None:
        return "no chromedriver binary on PATH (apt-get install chromium-driver, or set CHROMEDRIVER)"
    return None


def chrome(width: int = 1280, height: int = 860, *, arguments: Iterable[str] = ()) -> Any:
    """A headless Chromium WebDriver with a window of `width` x `height` CSS pixels; `arguments` are
    more command-line switches for Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    reason = missing()
    if reason is not None:
        raise RuntimeError(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = str(_which(BROWSERS, "CHROMIUM"))
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        "--force-device-scale-factor=1",
        "--lang=en-US",
        *arguments,
    ):
        options.add_argument(argument)
    service = Service(executable_path=str(_which(DRIVERS, "CHROMEDRIVER")))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_window_size(width, height)
    return driver
