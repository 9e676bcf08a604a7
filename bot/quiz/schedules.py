"""Which schedule applies to a channel: one set from Slack (stored) wins over the `.env` default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from bot.core.store.database import Database, LazyQueries
from bot.quiz.blocks.personal import QuizTiming
from bot.quiz.records import NO_OPTIONS, Schedule, ScheduleOptions
from bot.quiz.reveal_after import RevealAfter
from bot.quiz.settings import QuizSettings

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")


@dataclass(frozen=True, slots=True)
class ChannelSchedule:
    channel: str
    at: time
    timezone: ZoneInfo
    days: frozenset[int]
    source: Literal["schedule", "default"]
    created_by: str | None  # None for the default from the settings
    reveal: RevealAfter
    options: ScheduleOptions = NO_OPTIONS
    saved_at: datetime | None = None
    """When it was last set; a question due before then is never posted (None: the default, set at start)."""

    @classmethod
    def from_record(cls, record: Schedule, quiz: QuizSettings) -> ChannelSchedule:
        stored = record.options.reveal_after
        reveal = RevealAfter.parse(stored) if stored else RevealAfter(quiz.reveal_after)
        return cls(
            record.channel,
            record.time,
            record.tz,
            record.days,
            "schedule",
            record.created_by,
            reveal,
            record.options,
            record.updated_at,
        )

    @classmethod
    def from_settings(cls, quiz: QuizSettings, channel: str) -> ChannelSchedule:
        reveal = RevealAfter(quiz.reveal_after)
        return cls(channel, quiz.time, quiz.timezone, quiz.days, "default", None, reveal)


async def effective_schedule(database: Database, quiz: QuizSettings, channel: str) -> ChannelSchedule | None:
    """The schedule in force for `channel`, or None (never set, or stopped)."""
    record = await database.read(queries.get_schedule, channel)
    if record is not None:
        return ChannelSchedule.from_record(record, quiz) if record.active else None
    return ChannelSchedule.from_settings(quiz, channel) if quiz.channel == channel else None


async def active_schedules(database: Database, quiz: QuizSettings) -> list[ChannelSchedule]:
    """Every schedule in force: the stored active ones, plus the default unless its channel has one stored."""
    records = await database.read(queries.active_schedules)
    schedules = [ChannelSchedule.from_record(record, quiz) for record in records]
    if quiz.channel is not None and await database.read(queries.get_schedule, quiz.channel) is None:
        schedules.append(ChannelSchedule.from_settings(quiz, quiz.channel))
    return schedules


@dataclass(frozen=True, slots=True)
class ChannelQuiz:
    """One channel's daily quiz as the App Home shows it: when it runs and its question that counts."""

    schedule: ChannelSchedule
    timing: QuizTiming
    next_due: datetime
    question_ts: str | None
    """The Slack ts of the latest question that counts (the day's, not a bonus); None before the first."""
    question_at: datetime | None
    open_until: datetime | None = None
    """When that question's answer is revealed; None once it is."""
    answered: bool | None = None
    """Whether the person looking answered it; None when nobody in particular looks."""
    name: str | None = None
    """The channel's name, for what a screen reader says of its buttons; None when unknown."""

    @property
    def channel(self) -> str:
        return self.schedule.channel
