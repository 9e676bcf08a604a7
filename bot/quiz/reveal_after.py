"""When a channel's answer is revealed: a fixed time after its question goes out, or at the end of the working
day. The schedule stores it as text (`encode`); the form offers the common choices (`CHOICES`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.timecodes import due_at, format_duration, local_date, parse_duration

END_OF_DAY = "end-of-day"
END_OF_DAY_WORDS = frozenset({END_OF_DAY, "eod", "end"})
END_OF_DAY_AT = time(17, 0)
"""The end of the working day, in the schedule's time zone."""
WORKING_HOURS = (time(8, 0), time(19, 0))
"""A reveal outside these hours (in the schedule's zone) lands when hardly anyone reads it."""
SHORTEST = timedelta(hours=1)
"""At the end of the day, the answer still waits at least this long after its question."""
RANGE = (timedelta(minutes=1), timedelta(days=7))


@dataclass(frozen=True, slots=True)
class RevealAfter:
    delay: timedelta | None
    """None: at the end of the working day."""

    @classmethod
    def parse(cls, text: str) -> RevealAfter:
        """``"4h"``, ``"90m"``, ``"end-of-day"`` (or ``eod``) -> when to reveal; ValueError otherwise."""
        cleaned = text.strip().lower()
        if cleaned in END_OF_DAY_WORDS:
            return cls(None)
        delay = parse_duration(cleaned)
        if not RANGE[0] <= delay <= RANGE[1]:
            raise ValueError(f"`{text[:20]}` is not between 1 minute and 7 days")
        return cls(delay)

    def encode(self) -> str:
        return END_OF_DAY if self.delay is None else format_duration(self.delay)

    def due(self, posted: datetime, zone: ZoneInfo) -> datetime:
        """When the answer to a question posted at *posted* is revealed."""
        if self.delay is not None:
            return posted + self.delay
        return max(due_at(local_date(posted, zone), END_OF_DAY_AT, zone), posted + SHORTEST)

    def time_of_day(self, at: time) -> time:
        """When, on the schedule's clock, the answer to a question posted at *at* comes out."""
        posted = datetime.combine(date.min, at)
        if self.delay is not None:
            return (posted + self.delay).time()
        return max(datetime.combine(date.min, END_OF_DAY_AT), posted + SHORTEST).time()

    def in_working_hours(self, at: time) -> bool:
        return WORKING_HOURS[0] <= self.time_of_day(at) <= WORKING_HOURS[1]

    def too_late(self, at: time) -> str | None:
        """Why a quiz at *at* should not reveal this way (its answer outside working hours), or None."""
        if self.in_working_hours(at):
            return None
        reveal = self.time_of_day(at)
        fitting = [choice.short_words() for choice in CHOICES if choice.in_working_hours(at)]
        instead = f"Pick {_either(fitting)}, or an earlier time." if fitting else "Pick an earlier time."
        return (
            f"With the quiz at {at:%H:%M}, the answer would come at {reveal:%H:%M}, when hardly anyone reads "
            f"it. {instead}"
        )

    def short_words(self) -> str:
        """For a list of choices: "2 hours", "the end of the working day"."""
        return "the end of the working day" if self.delay is None else _duration_words(self.delay)

    def words(self) -> str:
        """For a sentence "the answer is revealed …": "4 hours later", "at the end of the working day"."""
        if self.delay is None:
            return "at the end of the working day"
        return f"{_duration_words(self.delay)} later"

    def label(self) -> str:
        """For a menu: "4 hours after the question", "At the end of the working day"."""
        if self.delay is None:
            return "At the end of the working day"
        return f"{_duration_words(self.delay).capitalize()} after the question"

    def description(self) -> str:
        """What a menu option says below its label: when exactly the end of the day is."""
        if self.delay is None:
            return "5 PM in the quiz's time zone, at least an hour after the question"
        return ""


CHOICES = (*(RevealAfter(timedelta(hours=hours)) for hours in (1, 2, 4, 8)), RevealAfter(None))
"""What the schedule form offers (the channel's own value is added when it is none of these)."""


def _duration_words(delay: timedelta) -> str:
    minutes = int(delay.total_seconds()) // 60
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if 0 < minutes < 60 and delay.total_seconds() % 60 == 0:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return format_duration(delay)


def _either(choices: list[str]) -> str:
    """ "1 hour", "1 hour or 2 hours", "1 hour, 2 hours or the end of the working day"."""
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"
