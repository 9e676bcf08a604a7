"""What a learner gets on a day, decided from their record, their cards and the clock. Pure.

- The day's DM is due at `LEARN_TIME` in the learner's own time zone on `LEARN_DAYS`; the engine keeps that
  instant in `next_due_at`. A day missed entirely (the bot was down, the clock jumped) is skipped, never
  sent late on another day: the DM goes out only on the local day it was due.
- Questions, at most `LEARN_MAX_PER_DAY`: the due reviews of topics not learned yet, then at most
  `LEARN_NEW_PER_DAY` new ones, then due reviews of learned topics in the room that is left (a learned
  topic's review that waits is asked later, and FSRS allows for the longer gap). A card due later the
  same day counts as due (a review at 10:05 makes the card due at 10:05 two days later, and the DM goes
  at 10:00). A resting question (a leech, `bot.learn.progress`) is not reviewed.
- New questions finish topics before they start others: first a started topic's next question, the day
  after its first right answer (at once when its only question is resting); then the next topic's first
  question, while fewer than `WORKING_SET` topics are started and not yet learned.
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
from bot.learn.curriculum import Curriculum
from bot.learn.progress import by_topic, is_learned, needed, resting
from bot.learn.records import Card, Kind, Learner

DAY_HORIZON = dt.timedelta(hours=12)
MIN_GAP = dt.timedelta(hours=12)
GRADUATE_EVERY = dt.timedelta(days=7)
UNANSWERED_LIMIT = 5
WORKING_SET = 6
"""Topics started and not yet learned, at most, before another topic starts."""
FOLLOW_UP_AFTER = dt.timedelta(days=1)
"""A topic's next question comes this long after its first right answer (at the next day's DM)."""
REST = dt.timedelta(days=7)
"""A resting question comes back after this long when its topic has no other question left."""


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


def next_questions_at(
    now: dt.datetime, timezone: str, pace: Pace, taken: dt.date | None = None
) -> dt.datetime:
    """When the next day's DM is due: the first `LEARN_TIME` after `now` on a path day later than `taken`,
    the local date of the last DM with questions (a welcome takes its day's slot: that day gets no other)."""
    tz = zone(timezone)
    when = next_due(now, pace.at, tz, pace.days)
    while taken is not None and local_date(when, tz) <= taken:
        when = next_due(when, pace.at, tz, pace.days)
    return when


def asked_again_at(
    card_due: dt.datetime, now: dt.datetime, timezone: str, pace: Pace, taken: dt.date
) -> dt.datetime:
    """The day's DM that asks a question again: the first after `taken` that counts its card as due (a
    card due later that day counts, `DAY_HORIZON`)."""
    counted_from = card_due - DAY_HORIZON - dt.timedelta(seconds=1)
    return next_questions_at(max(now, counted_from), timezone, pace, taken)


def choose(
    cards: Mapping[str, Card],
    curriculum: Curriculum,
    now: dt.datetime,
    pace: Pace,
    *,
    graduated: bool = False,
) -> tuple[str, ...]:
    """The question ids of one day: due reviews of topics not learned yet, then new questions, then due
    reviews of learned topics in the room that is left (most overdue first within each)."""
    limit = 1 if graduated else pace.max_per_day
    by = now + DAY_HORIZON
    grouped = by_topic(cards.values(), curriculum.topics)
    learned = {
        topic
        for topic, found in grouped.items()
        if found and is_learned(found, len(curriculum.questions[topic]))
    }
    due = sorted(
        (card for found in grouped.values() for card in found if card.due <= by and not resting(card)),
        key=lambda card: (card.due, card.question_id),
    )
    picked = [card.question_id for card in due if card.topic not in learned][:limit]
    if not graduated:
        budget = min(pace.new_per_day, limit - len(picked))
        picked += _new_questions(grouped, learned, curriculum, by)[: max(budget, 0)]
    picked += [card.question_id for card in due if card.topic in learned][: limit - len(picked)]
    return tuple(picked)


def _new_questions(
    grouped: Mapping[str, Sequence[Card]], learned: set[str], curriculum: Curriculum, by: dt.datetime
) -> list[str]:
    """The new questions that may come on the day of `by`: started topics' next ones, then new topics'."""
    follow_ups: list[str] = []
    fresh: list[str] = []
    open_topics = 0
    for topic in curriculum.topics:
        found, questions = grouped[topic], curriculum.questions[topic]
        if not found:
            fresh.append(questions[0])
        elif topic not in learned:
            open_topics += 1
            following = _next_question(found, questions, by)
            if following is not None:
                follow_ups.append(following)
    return follow_ups + fresh[: max(0, WORKING_SET - open_topics)]


def _next_question(found: Sequence[Card], questions: Sequence[str], by: dt.datetime) -> str | None:
    """A started topic's next question when it is time for one: None while the questions it has can
    still make it learned (reviews do that), or before a few days have passed since a first right answer."""
    live = [card for card in found if not resting(card)]
    if len(live) >= needed(len(questions)):
        return None
    if live and not any(card.right_since and card.right_since + FOLLOW_UP_AFTER <= by for card in live):
        return None
    asked = {card.question_id for card in found}
    unasked = [qid for qid in questions if qid not in asked]
    if unasked:
        return unasked[0]
    rested = sorted(
        (card for card in found if resting(card) and card.last_review and card.last_review + REST <= by),
        key=lambda card: (card.last_review, card.question_id),
    )
    return rested[0].question_id if rested else None


def plan_day(
    learner: Learner, cards: Mapping[str, Card], curriculum: Curriculum, pace: Pace, now: dt.datetime
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
