"""What a learner gets on a day, decided from their record, their cards and the clock. Pure.

- The day's DM is due at `LEARN_TIME` in the learner's own time zone on `LEARN_DAYS`; the engine keeps that
  instant in `next_due_at`. A day missed entirely (the bot was down, the clock jumped) is skipped, never
  sent late on another day: the DM goes out only on the local day it was due.
- Questions: the reviews that are due (most overdue first), then new ones in curriculum order, at most
  `LEARN_NEW_PER_DAY` new and `LEARN_MAX_PER_DAY` in all. A card due later the same day counts as due
  (a review at 10:05 makes the card due at 10:05 two days later, and the DM goes at 10:00).
- Nothing to ask: no DM that day.
- Five question days in a row without an answer: instead of a sixth, one message saying the path paused.
- Graduates get reviews only, at most one question a week.
- A day whose DM would come less than 12 hours after the previous one (the learner moved east) is skipped,
  so a time zone change never means two DMs in a few hours; it skips at most that one day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.timecodes import due_at, local_date, next_due
from bot.learn.records import Card, Kind, Learner

DAY_HORIZON = dt.timedelta(hours=12)
MIN_GAP = dt.timedelta(hours=12)
GRADUATE_EVERY = dt.timedelta(days=7)
UNANSWERED_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Pace:
    """The settings a plan needs."""

    at: dt.time
    days: frozenset[int]
    max_per_day: int
    new_per_day: int


@dataclass(frozen=True, slots=True)
class DayPlan:
    kind: Kind | None
    """None: nothing is sent for this due instant."""
    slot: str
    local_date: dt.date
    due_at: dt.datetime
    question_ids: tuple[str, ...]
    next_due_at: dt.datetime | None
    """None when the path pauses itself."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:  # an unknown or malformed name from Slack: fall back rather than stop the path
        return ZoneInfo("UTC")


def first_due(now: dt.datetime, timezone: str, pace: Pace) -> dt.datetime:
    return next_due(now, pace.at, zone(timezone), pace.days)


def choose(
    cards: Mapping[str, Card],
    curriculum: Sequence[str],
    now: dt.datetime,
    pace: Pace,
    *,
    graduated: bool = False,
) -> tuple[str, ...]:
    """The question ids of one day: due reviews first, then new questions."""
    on_path = set(curriculum)
    limit = 1 if graduated else pace.max_per_day
    due = sorted(
        (card for card in cards.values() if card.question_id in on_path and card.due <= now + DAY_HORIZON),
        key=lambda card: (card.due, card.question_id),
    )
    picked = [card.question_id for card in due[:limit]]
    if not graduated:
        budget = min(pace.new_per_day, limit - len(picked))
        picked += [qid for qid in curriculum if qid not in cards][: max(budget, 0)]
    return tuple(picked)


def plan_day(
    learner: Learner, cards: Mapping[str, Card], curriculum: Sequence[str], pace: Pace, now: dt.datetime
) -> DayPlan:
    """The day for a learner whose `next_due_at` has passed."""
    tz = zone(learner.timezone)
    today = local_date(now, tz)
    today_due = due_at(today, pace.at, tz)
    following = next_due(now, pace.at, tz, pace.days)
    skip = DayPlan(None, today.isoformat(), today, today_due, (), following)
    if today.weekday() not in pace.days or today_due > now:
        return skip  # the due instant was on an earlier local day (missed), or moved with the time zone
    if learner.last_due_at is not None and today_due - learner.last_due_at < MIN_GAP:
        return skip
    graduate = learner.graduated_at is not None and learner.last_due_at is not None
    if graduate and now - learner.last_due_at < GRADUATE_EVERY:  # type: ignore[operator]
        return skip
    if learner.unanswered_days >= UNANSWERED_LIMIT:
        return DayPlan(Kind.PAUSE, f"pause-{today.isoformat()}", today, today_due, (), None)
    questions = choose(cards, curriculum, now, pace, graduated=learner.graduated_at is not None)
    if not questions:
        return skip
    return DayPlan(Kind.DAY, today.isoformat(), today, today_due, questions, following)
