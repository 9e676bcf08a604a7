from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.core.clock import SystemClock
from slackfake.clock import FakeClock

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo == UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(START)
    assert clock.now() == START
    assert clock.advance(8) == START + timedelta(seconds=8)
    assert clock.advance(timedelta(hours=4)) == START + timedelta(hours=4, seconds=8)
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert clock.now().tzinfo == UTC


def test_fake_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 11, 23))
