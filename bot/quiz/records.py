"""Plain frozen records of the quiz; callers never see ORM objects or sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

BONUS_SLOT_PREFIX = "now-"
"""Slots of bonus questions: a `/quiz now` once the channel's question of the day is out. Not counted."""


def scheduled_slot(day: dt.date) -> str:
    """The slot of a channel's question of the day for its local ``day``: ``"2026-11-23"``; the schedule
    posts it, or the day's first ``/quiz now`` when that comes first."""
    return day.isoformat()


def bonus_slot() -> str:
    """A fresh slot for a bonus question (``/quiz now`` after the day's question): ``"now-<uuid4 hex>"``."""
    return f"{BONUS_SLOT_PREFIX}{uuid.uuid4().hex}"


Timing = tuple[dt.time, str, frozenset[int]]
"""When a quiz runs: local time, IANA zone name, weekdays (Monday=0)."""


@dataclass(frozen=True, slots=True)
class ScheduleOptions:
    """What a channel's quiz chooses beyond when it runs."""

    reveal_after: str | None = None
    """`RevealAfter.encode`, e.g. "4h" or "end-of-day"; None: the bot's default."""
    answer_at_reveal: bool = False
    """Wrong pickers learn the right letter only from the reveal."""
    weekly_leaderboard: bool = False
    """A leaderboard is posted in the channel once a week."""


NO_OPTIONS = ScheduleOptions()


@dataclass(frozen=True, slots=True)
class Schedule:
    channel: str
    time: dt.time
    timezone: str
    days: frozenset[int]  # Monday=0
    active: bool
    created_by: str
    updated_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    options: ScheduleOptions = NO_OPTIONS

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    channel: str
    slot: str
    local_date: dt.date
    question_id: str
    due_at: dt.datetime
    claimed_by: str
    lease_until: dt.datetime
    ts: str | None
    posted_at: dt.datetime | None
    reveal_due: dt.datetime
    reveal_claimed_by: str | None
    reveal_lease_until: dt.datetime | None
    revealed_at: dt.datetime | None
    reveal_ts: str | None
    failed_reason: str | None
    failed_at: dt.datetime | None
    answer_at_reveal: bool = False
    """Wrong pickers were told to wait for the reveal for the right letter."""

    @property
    def bonus(self) -> bool:
        """An extra question after the day's one: its answers are not counted in stats."""
        return self.slot.startswith(BONUS_SLOT_PREFIX)


@dataclass(frozen=True, slots=True)
class WeeklyBoard:
    """A channel's weekly leaderboard post, claimed by one process (`bot.core.claims`)."""

    id: int
    channel: str
    week: str
    local_date: dt.date
    due_at: dt.datetime
    claimed_by: str
    lease_until: dt.datetime
    ts: str | None
    posted_at: dt.datetime | None
    failed_reason: str | None
    failed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Answer:
    post_id: int
    user_id: str
    choice: str
    correct: bool
    answered_at: dt.datetime
    counted: bool
    hint_used: bool = False


AnswerClick = tuple[int, str, str, str, dt.datetime]
"""An answer button pressed: (post id, user id, letter, the channel the button was in, when)."""
AnswerKey = Mapping[str, tuple[tuple[str, ...], str]]
"""Each question's letters and its answer, by question id: ``{"q1": (("A", "B", "C", "D"), "B")}``."""


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """An answer click once committed: the post, the person's stored answer (their first), and whether
    this click is what stored it."""

    post: Post
    answer: Answer
    first: bool


@dataclass(frozen=True, slots=True)
class Results:
    """Counted answers to one post."""

    answered: int
    correct: int
    by_choice: dict[str, int]


@dataclass(frozen=True, slots=True)
class UserStats:
    answered: int
    correct: int
    percent: int  # correct / answered, rounded; 0 when nothing answered
    current_streak: int
    best_streak: int
    bonus_answered: int = 0  # answers to bonus questions, which none of the above counts


@dataclass(frozen=True, slots=True)
class LeaderRow:
    user_id: str
    correct: int
    answered: int


class PostStatus(StrEnum):
    POSTED = "posted"
    """Sent now, or found already in the channel (its ts is recorded)."""
    FAILED = "failed"
    """Slack refused for good (``reason``); never retried."""
    PENDING = "pending"
    """Slack kept failing (or another instance took over); the claim expires and a later tick finishes it."""


@dataclass(frozen=True, slots=True)
class PostResult:
    status: PostStatus
    post: Post
    ts: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is PostStatus.POSTED
