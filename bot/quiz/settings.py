"""The daily quiz's settings: the default channel's schedule and when answers are revealed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.core.settings import Env, channel_id, within
from bot.core.timecodes import parse_days, parse_time, parse_timezone

REVEAL_AFTER_RANGE = (timedelta(minutes=1), timedelta(days=7))


@dataclass(frozen=True, slots=True)
class QuizSettings:
    channel: str | None
    """A channel with a daily quiz from the start (others get one with `/quiz schedule`)."""
    time: time
    timezone: ZoneInfo
    days: frozenset[int]
    reveal_after: timedelta


def read_quiz_settings(env: Env) -> QuizSettings:
    return QuizSettings(
        channel=env.get("QUIZ_CHANNEL", "", channel_id, "a channel id such as C0123456789") or None,
        time=env.get("QUIZ_TIME", "09:30", parse_time, "a 24-hour time such as 09:30"),
        timezone=env.get("QUIZ_TIMEZONE", "UTC", parse_timezone, "an IANA name such as Europe/Berlin"),
        days=env.get("QUIZ_DAYS", "mon-fri", parse_days, "days such as mon-fri or mon,wed,fri"),
        reveal_after=env.get(
            "QUIZ_REVEAL_AFTER", "4h", within(*REVEAL_AFTER_RANGE), "a duration from 1m to 7d, e.g. 4h"
        ),
    )
