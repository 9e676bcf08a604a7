"""Learning-path fixtures: bots started as `python -m bot` would start them, on a fake clock and the fake
Slack, with the fake's people acting over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.harness import RunningBot, bot_settings

TOPICS = "monitoring,deployment"
"""Two topics (eight questions): a path that can be finished within two simulated weeks."""


@pytest.fixture
def learn_bot(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, database_url: str
) -> Iterator[Callable[..., RunningBot]]:
    """Starts bots (HTTP, fake clock) on one database; the fake's people reach the last one started."""
    running: list[RunningBot] = []

    def start(**env: str) -> RunningBot:
        defaults = {"LEARN_TOPICS": TOPICS, "LEARN_MAX_PER_DAY": "3", "LEARN_NEW_PER_DAY": "2"}
        settings = bot_settings(fake, tmp_path, DATABASE_URL=database_url, **{**defaults, **env})
        bot = RunningBot(settings, clock=clock)
        running.append(bot)
        bot.start()
        fake.set_request_url(bot.events_url)
        return bot

    yield start
    for bot in running:
        bot.stop()
