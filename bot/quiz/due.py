"""What is due now: today's slot of each schedule in force."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.timecodes import due_at, local_date
from bot.quiz.records import scheduled_slot
from bot.quiz.schedules import ChannelSchedule


@dataclass(frozen=True, slots=True)
class DueSlot:
    channel: str
    slot: str
    local_date: date
    due_at: datetime


def due_slot(schedule: ChannelSchedule, now: datetime) -> DueSlot | None:
    """Today's slot (today in the schedule's time zone) if today is a quiz day and its time has come.

    Only today is ever due: a day missed while the bot was down is skipped, not posted late, and the
    slot is the local date, so a DST change can neither skip nor repeat a day. A schedule saved after
    today's time has passed starts tomorrow: saving never posts a question.
    """
    today = local_date(now, schedule.timezone)
    if today.weekday() not in schedule.days:
        return None
    when = due_at(today, schedule.at, schedule.timezone)
    if when > now or (schedule.saved_at is not None and when < schedule.saved_at):
        return None
    return DueSlot(schedule.channel, scheduled_slot(today), today, when)


def due_slots(schedules: Iterable[ChannelSchedule], now: datetime) -> list[DueSlot]:
    return [slot for schedule in schedules if (slot := due_slot(schedule, now)) is not None]
