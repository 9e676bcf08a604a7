from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations, pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.core.timecodes import (
    due_at,
    format_days,
    format_duration,
    local_date,
    next_due,
    parse_days,
    parse_duration,
    parse_time,
    parse_timezone,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MON_FRI = frozenset(range(5))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 17:05 ", time(17, 5)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("9.30a.m.", time(9, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["9.30", "25:00", "24:00", "12:60", "", "0930", "9:3", "noon", "09:30:00", "-1:30", "13pm", "0am"]
)
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="9am or 9:30pm"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("MON-FRI", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon, wed , fri", {0, 2, 4}),
        ("mon-wed,fri", {0, 1, 2, 4}),
        ("sat-sun", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sun-sun", {6}),
        ("wed", {2}),
        ("monday", {0}),
        ("Monday-Thursday", {0, 1, 2, 3}),
        ("tues,thurs", {1, 3}),
        ("daily", set(range(7))),
        ("every day", set(range(7))),
        ("Every  Day", set(range(7))),
        ("all", set(range(7))),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("weekdays,sat", {0, 1, 2, 3, 4, 5}),
    ],
)
def test_parse_days(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["", "funday", "mon-", "-fri", "mon-wed-fri", "mon,,tue", "1-5", "mon;tue"])
def test_parse_days_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="mon-fri"):
        parse_days(text)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (set(range(7)), "daily"),
        ({0, 1, 2, 3, 4}, "mon-fri"),
        ({0, 2, 4}, "mon,wed,fri"),
        ({0, 1, 2, 4}, "mon-wed,fri"),
        ({5, 6}, "sat,sun"),
        ({4, 5, 6, 0}, "fri-mon"),
        ({6}, "sun"),
        ({0, 1, 2, 3, 4, 5}, "mon-sat"),
    ],
)
def test_format_days(days: set[int], expected: str) -> None:
    assert format_days(frozenset(days)) == expected


def test_format_days_round_trips_every_set_of_days() -> None:
    for size in range(1, 8):
        for days in combinations(range(7), size):
            assert parse_days(format_days(frozenset(days))) == frozenset(days)


@pytest.mark.parametrize("days", [set(), {7}, {-1, 0}])
def test_format_days_rejects(days: set[int]) -> None:
    with pytest.raises(ValueError):
        format_days(frozenset(days))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8s", timedelta(seconds=8)),
        ("30m", timedelta(minutes=30)),
        ("4h", timedelta(hours=4)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("90M", timedelta(minutes=90)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "5", "1x", "-1h", "1.5h", "h", "30m1h", "4 hours"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0s", "0h0m", "99999999999d"])
def test_parse_duration_rejects_zero_and_huge(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(seconds=8), "8s"),
        (timedelta(hours=4), "4h"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(days=2), "2d"),
        (timedelta(days=1, hours=2, minutes=3, seconds=4), "1d2h3m4s"),
    ],
)
def test_format_duration_round_trips(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text
    assert parse_duration(text) == duration


@pytest.mark.parametrize("duration", [timedelta(0), timedelta(milliseconds=300), timedelta(hours=-1)])
def test_format_duration_rejects_less_than_a_second(duration: timedelta) -> None:
    with pytest.raises(ValueError):
        format_duration(duration)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Europe/London", "Europe/London"), ("america/new_york", "America/New_York"), ("utc", "UTC"),
     (" Asia/Tokyo ", "Asia/Tokyo"), ("CET", "Europe/Berlin"), ("est5edt", "EST5EDT"),
         ("PST", "America/Los_Angeles"), ("est", "America/New_York"), ("IST", "Asia/Kolkata")],
)  # fmt: skip
def test_parse_timezone(name: str, key: str) -> None:
    assert parse_timezone(name).key == key


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "America", "../etc/passwd", "/etc/localtime", "Europe/"]
)
def test_parse_timezone_rejects(name: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse_timezone(name)


def test_local_date() -> None:
    assert local_date(utc(2026, 11, 23, 3, 0), NEW_YORK) == date(2026, 11, 22)
    assert local_date(utc(2026, 11, 23, 3, 0), ZoneInfo("Asia/Tokyo")) == date(2026, 11, 23)
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 11, 23), NEW_YORK)


@pytest.mark.parametrize(
    ("day", "at", "tz", "expected"),
    [
        # New York springs forward at 02:00 EST -> 03:00 EDT on 2026-03-08.
        (date(2026, 3, 8), time(1, 59), NEW_YORK, utc(2026, 3, 8, 6, 59)),
        (date(2026, 3, 8), time(2, 0), NEW_YORK, utc(2026, 3, 8, 7, 0)),
        (date(2026, 3, 8), time(2, 30), NEW_YORK, utc(2026, 3, 8, 7, 0)),
        (date(2026, 3, 8), time(3, 0), NEW_YORK, utc(2026, 3, 8, 7, 0)),
        (date(2026, 3, 8), time(9, 30), NEW_YORK, utc(2026, 3, 8, 13, 30)),
        # ... and falls back at 02:00 EDT -> 01:00 EST on 2026-11-01: 01:30 happens twice, the first counts.
        (date(2026, 11, 1), time(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 30)),
        (date(2026, 11, 1), time(2, 0), NEW_YORK, utc(2026, 11, 1, 7, 0)),
        (date(2026, 11, 1), time(9, 30), NEW_YORK, utc(2026, 11, 1, 14, 30)),
        # London: 01:00 GMT -> 02:00 BST on 2026-03-29, 02:00 BST -> 01:00 GMT on 2026-10-25.
        (date(2026, 3, 29), time(1, 30), LONDON, utc(2026, 3, 29, 1, 0)),
        (date(2026, 3, 29), time(9, 30), LONDON, utc(2026, 3, 29, 8, 30)),
        (date(2026, 10, 25), time(1, 30), LONDON, utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), time(9, 30), LONDON, utc(2026, 10, 25, 9, 30)),
        # Sao Paulo used to spring forward at midnight: 00:30 on that day became 01:00.
        (date(2018, 11, 4), time(0, 30), ZoneInfo("America/Sao_Paulo"), utc(2018, 11, 4, 3, 0)),
    ],
)
def test_due_at_across_dst(day: date, at: time, tz: ZoneInfo, expected: datetime) -> None:
    assert due_at(day, at, tz) == expected


def test_due_at_at_half_past_two_on_spring_forward_day_is_three_local() -> None:
    when = due_at(date(2026, 3, 8), time(2, 30), NEW_YORK).astimezone(NEW_YORK)
    assert (when.date(), when.time(), when.tzname()) == (date(2026, 3, 8), time(3, 0), "EDT")


@pytest.mark.parametrize("tz", [NEW_YORK, LONDON, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")])
@pytest.mark.parametrize(
    "at", [time(0, 0), time(1, 0), time(1, 30), time(2, 0), time(2, 30), time(9, 30), time(23, 59)]
)
def test_every_local_day_has_exactly_one_due_instant(tz: ZoneInfo, at: time) -> None:
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    instants = [due_at(day, at, tz) for day in days]
    assert all(when.tzinfo == UTC for when in instants)
    assert [local_date(when, tz) for when in instants] == days
    gaps = [later - earlier for earlier, later in pairwise(instants)]
    assert all(timedelta(hours=22) <= gap <= timedelta(hours=26) for gap in gaps)
    moved = [when for when in instants if when.astimezone(tz).time() != at]
    assert len(moved) <= 1  # only a wall time skipped by the spring-forward jump moves


def test_due_at_in_a_half_hour_gap() -> None:
    # Lord Howe Island shifts by 30 minutes: 02:00 -> 02:30 on 2026-10-04.
    assert due_at(date(2026, 10, 4), time(2, 15), ZoneInfo("Australia/Lord_Howe")).astimezone(
        ZoneInfo("Australia/Lord_Howe")
    ).time() == time(2, 30)


def test_next_due_is_strictly_after_now() -> None:
    monday_due = utc(2026, 11, 23, 14, 30)  # 09:30 EST
    assert next_due(monday_due - timedelta(seconds=1), time(9, 30), NEW_YORK, MON_FRI) == monday_due
    assert next_due(monday_due, time(9, 30), NEW_YORK, MON_FRI) == utc(2026, 11, 24, 14, 30)


def test_next_due_skips_days_off() -> None:
    friday_evening = utc(2026, 11, 27, 23, 0)
    assert next_due(friday_evening, time(9, 30), NEW_YORK, MON_FRI) == utc(2026, 11, 30, 14, 30)
    assert next_due(friday_evening, time(9, 30), NEW_YORK, frozenset({2})) == utc(2026, 12, 2, 14, 30)


def test_next_due_when_the_local_day_differs_from_the_utc_day() -> None:
    # 02:00 UTC Tuesday is still Monday 21:00 in New York; 23:00 local Monday is still ahead.
    assert next_due(utc(2026, 11, 24, 2, 0), time(23, 0), NEW_YORK, MON_FRI) == utc(2026, 11, 24, 4, 0)


def test_next_due_across_spring_forward() -> None:
    saturday = utc(2026, 3, 7, 12, 0)
    assert next_due(saturday, time(2, 30), NEW_YORK, frozenset({6})) == utc(2026, 3, 8, 7, 0)


def test_next_due_needs_days() -> None:
    with pytest.raises(ValueError):
        next_due(utc(2026, 11, 23), time(9, 30), NEW_YORK, frozenset())
