"""Fixtures for the playground's browser tests: headless Chromium, the playground, and the real bot on it.

The tests skip, saying what is missing, when chromium, chromedriver or selenium is not installed
(Debian: `apt-get install chromium chromium-driver`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.playground import START_HERE
from slackfake.playground import Playground
from slackfake.playground.browser import chrome, missing
from tests.fixtures.harness import RunningBot, bot_settings
from tests.fixtures.playground import MANIFEST, Page


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
    with Playground(manifest=MANIFEST, guide=START_HERE) as pg:
        yield pg


@pytest.fixture
def bot(playground: Playground, tmp_path: Path) -> Iterator[RunningBot]:
    """The real bot in Socket Mode against the playground, its quiz in #new-hires."""
    settings = bot_settings(playground, tmp_path, socket=True, QUIZ_CHANNEL="CNEWHIRES")  # type: ignore[arg-type]
    with RunningBot(settings) as running:
        playground.fake.wait_for_socket()
        yield running


@pytest.fixture
def page(browser: Any, playground: Playground) -> Page:
    return Page(browser, playground)
