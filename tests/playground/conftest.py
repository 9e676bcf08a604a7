"""Fixtures for the playground's browser tests: headless Chromium, the playground, and the real bot on it.

The tests skip, saying what is missing, when chromium, chromedriver or selenium is not installed
(Debian: `apt-get install chromium chromium-driver`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from slackfake.playground import Playground
from slackfake.playground.browser import chrome, missing
from tests.fixtures.harness import RunningBot, bot_settings

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "manifest.yml"
WAIT = 20.0


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = missing()
    if reason is not None:
        pytest.skip(f"browser tests need headless Chromium: {reason}")
    driver = chrome(1280, 900)
    yield driver
    driver.quit()


@pytest.fixture
def playground() -> Iterator[Playground]:
    with Playground(manifest=MANIFEST) as pg:
        yield pg


@pytest.fixture
def bot(playground: Playground, tmp_path: Path) -> Iterator[RunningBot]:
    """The real bot in Socket Mode against the playground, its quiz in #new-hires."""
    settings = bot_settings(playground, tmp_path, socket=True, QUIZ_CHANNEL="CNEWHIRES")  # type: ignore[arg-type]
    with RunningBot(settings) as running:
        playground.fake.wait_for_socket()
        yield running


class Page:
    """The playground page in the browser, with waits that say what they waited for."""

    def __init__(self, driver: Any, pg: Playground) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.pg = pg
        self.by = By
        self._wait = WebDriverWait
        driver.get(pg.url)
        self.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".nav-item"), "the sidebar")

    def until(self, condition: Callable[[Any], Any], what: str, timeout: float = WAIT) -> Any:
        from selenium.common.exceptions import StaleElementReferenceException, TimeoutException

        try:  # the page redraws as news arrives: an element found a moment ago may be gone
            wait = self._wait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
            return wait.until(condition)
        except TimeoutException:
            raise AssertionError(f"waited {timeout}s for {what}") from None

    def css(self, selector: str) -> list[Any]:
        return self.driver.find_elements(self.by.CSS_SELECTOR, selector)

    def wait_css(self, selector: str, what: str | None = None) -> Any:
        return self.until(lambda d: (self.css(selector) or [None])[0], what or selector)

    def wait_text(self, selector: str, text: str) -> Any:
        def found(_: Any) -> Any:
            return next((e for e in self.css(selector) if text in e.text), None)

        return self.until(found, f"{selector} containing {text!r}")

    def click_fresh(self, selector: str) -> None:
        """Click the first element matching `selector`, finding it again if the page redrew it meanwhile."""

        def clicked(_: Any) -> bool:
            found = self.css(selector)
            if found:
                found[0].click()  # a stale element raises, and the wait tries again
            return bool(found)

        self.until(clicked, f"{selector} to click")

    def open(self, target: str) -> None:
        self.click_fresh(f'.nav-item[data-target="{target}"]')  # the sidebar redraws as messages arrive
        self.until(lambda d: self.css(f'.nav-item.active[data-target="{target}"]'), f"{target} to open")

    def act_as(self, user: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.wait_css("#person")).select_by_value(user)
        self.until(lambda d: d.execute_script("return S.me") == user, f"acting as {user}")

    def type(self, text: str, *, enter: bool = True) -> None:
        from selenium.webdriver.common.keys import Keys

        box = self.wait_css("#message-input")
        box.send_keys(text)
        if enter:
            box.send_keys(Keys.ENTER)

    def hover(self, element: Any) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).move_to_element(element).perform()


@pytest.fixture
def page(browser: Any, playground: Playground) -> Page:
    return Page(browser, playground)
