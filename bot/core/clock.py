"""Time sources. Everything time-based takes a ``Clock`` so tests can control the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant as an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by a timedelta or a number of seconds; returns the new time."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        self._now += step
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _as_utc(when)


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("FakeClock needs an aware datetime")
    return when.astimezone(UTC)
