"""Shared values and shortcuts for the quiz engine tests."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.clock import FakeClock
from bot.core.settings import SchedulerSettings, Settings
from bot.core.timecodes import WEEKDAYS
from bot.quiz import ids
from bot.quiz.settings import QuizSettings
from slackfake import FakeSlack
from tests.conftest import CHANNEL, MONDAY

QUIZ = QuizSettings(
    channel=CHANNEL,
    time=time(9, 30),
    timezone=ZoneInfo("UTC"),
    days=WEEKDAYS,
    reveal_after=timedelta(hours=4),
)
SCHEDULER = SchedulerSettings(claim_lease=timedelta(seconds=60))
LEASE = SCHEDULER.claim_lease


def make_settings(api_url: str) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_app_token=None,
        slack_api_url=api_url,
        port=3000,
        database_url="sqlite://",
        log_level="INFO",
        scheduler=SCHEDULER,
    )


def at(clock: FakeClock, hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """Set the clock to hh:mm UTC, ``days`` after the Monday the tests start on."""
    when = MONDAY.replace(hour=hour, minute=minute) + timedelta(days=days)
    clock.set(when)
    return when


def quiz_posts(fake: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The channel's quiz posts as Slack stores them (found by metadata, as the engine finds them)."""
    return [m for m in fake.messages(channel) if _event(m) == ids.QUIZ_POST_EVENT]


def reveals(fake: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    return [m for m in fake.messages(channel) if _event(m) == ids.QUIZ_REVEAL_EVENT]


def has_buttons(message: dict[str, Any]) -> bool:
    return any(block.get("type") == "actions" for block in message.get("blocks") or [])


def _event(message: dict[str, Any]) -> str | None:
    return (message.get("metadata") or {}).get("event_type")
