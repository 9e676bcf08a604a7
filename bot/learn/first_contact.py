"""A new learner's first contact: what the path asks of them, and when their welcome may go out. Pure.

- **What it asks**: about `minutes_a_day` (a day's DM holds at most `LEARN_MAX_PER_DAY` questions) for about
  `weeks` (`progress.weeks_to_go` of a learner with no answers yet, the same estimate `/learn status`
  gives). Read from the settings and the curriculum, so the welcome stays true when they change.
- **How much on day one**: the welcome holds at most `WELCOME_QUESTIONS` (and at least one new one), so the
  first screen on a phone is the intro and a question or two; the next day's DM takes the usual pace.
- **When**: someone put on the path by others (a manager, or joining the learning channel) outside their
  working hours gets the welcome, with its first question, at their next `LEARN_TIME`, not at 9 PM.
  Someone who typed `/learn` is there and asked: theirs goes at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.timecodes import local_date
from bot.learn.plan import Pace, first_due, zone
from bot.learn.progress import weeks_to_go

SECONDS_PER_QUESTION = 30
"""Reading a question, its four choices and the feedback."""
WELCOME_QUESTIONS = 2
"""Questions in the welcome, at most: with the intro, day one still fits a phone's screen or two."""
WORKING_HOURS = (dt.time(8, 0), dt.time(18, 0))
"""Local hours, on the path's days, when a welcome from others may arrive at once."""


@dataclass(frozen=True, slots=True)
class Commitment:
    minutes_a_day: int
    weeks: int | None
    """None when the path asks no new questions (`LEARN_NEW_PER_DAY` 0): it has no end to promise."""


def commitment(pace: Pace, questions_per_topic: Mapping[str, int]) -> Commitment:
    """About how long a day's DM takes, and how many weeks the whole path does at this pace."""
    minutes = max(1, math.ceil(pace.max_per_day * SECONDS_PER_QUESTION / 60))
    if pace.new_per_day <= 0 or not pace.days:
        return Commitment(minutes, None)
    return Commitment(minutes, weeks_to_go((), questions_per_topic, pace.new_per_day, len(pace.days)))


def welcome_pace(pace: Pace) -> Pace:
    """The pace of the welcome's questions: at most `WELCOME_QUESTIONS`, at least one of them new."""
    questions = min(pace.max_per_day, WELCOME_QUESTIONS)
    return Pace(pace.at, pace.days, questions, min(max(pace.new_per_day, 1), questions))


def welcome_due(now: dt.datetime, timezone: str, pace: Pace) -> dt.datetime:
    """When the welcome of someone enrolled by others goes out: now within their working hours on one of
    the path's days, else at their next `LEARN_TIME`."""
    tz = zone(timezone)
    local = now.astimezone(tz)
    start, end = WORKING_HOURS
    if local_date(now, tz).weekday() in pace.days and start <= local.time() < end:
        return now
    return first_due(now, timezone, pace)
