"""The new-hire learning path's settings (`/learn`): one DM per working day at each learner's local time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.core.settings import Env, channel_id, int_within, keys
from bot.core.timecodes import parse_days, parse_time

MAX_PER_DAY_RANGE = (1, 10)
"""At most ten questions in one day's DM: each takes four blocks, and a message holds fifty."""
NEW_PER_DAY_RANGE = (0, 10)
RETENTION_RANGE = (0.7, 0.97)
"""Below 70 % a review comes too late to help; above 97 % reviews crowd out everything new."""
DECIMAL = re.compile(r"0\.[0-9]{1,3}")


@dataclass(frozen=True, slots=True)
class LearnSettings:
    channel: str | None = None
    """Whoever joins this channel is enrolled automatically (their welcome has an opt-out button)."""
    time: time = time(10, 0)
    """Local time of the day's DM, in the time zone Slack has for each learner."""
    days: frozenset[int] = frozenset(range(5))
    max_per_day: int = 6
    """Questions in one day's DM, about 30 seconds each (`bench.learn_path` shows why six and four)."""
    new_per_day: int = 4
    """New questions a day, at most (within `max_per_day`)."""
    retention: float = 0.9
    """FSRS's desired retention: how likely an answer should still be remembered when it comes back."""
    topics: tuple[str, ...] = ()
    """Topic keys the path covers; empty: every topic."""


def read_learn_settings(env: Env) -> LearnSettings:
    return LearnSettings(
        channel=env.get("LEARN_CHANNEL", "", channel_id, "a channel id such as C0123456789") or None,
        time=env.get("LEARN_TIME", "10:00", parse_time, "a 24-hour time such as 10:00"),
        days=env.get("LEARN_DAYS", "mon-fri", parse_days, "days such as mon-fri or mon,wed,fri"),
        max_per_day=env.get(
            "LEARN_MAX_PER_DAY", "6", int_within(*MAX_PER_DAY_RANGE), "a number from 1 to 10"
        ),
        new_per_day=env.get(
            "LEARN_NEW_PER_DAY", "4", int_within(*NEW_PER_DAY_RANGE), "a number from 0 to 10"
        ),
        retention=env.get("LEARN_RETENTION", "0.9", _retention, "a share such as 0.9 (0.7 to 0.97)"),
        topics=env.get("LEARN_TOPICS", "", keys, "topic keys such as monitoring,deployment"),
    )


def _retention(raw: str) -> float:
    if not DECIMAL.fullmatch(raw):
        raise ValueError("not a share")
    share = float(raw)
    low, high = RETENTION_RANGE
    if not low <= share <= high:
        raise ValueError("out of range")
    return share
