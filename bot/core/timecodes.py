"""Parsing of schedule settings and DST-safe computation of when a daily quiz is due.

All functions are pure. Bad input raises ``ValueError`` with a message fit to show a user.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.zones import suggest_zone, zone_key

ALL_DAYS: frozenset[int] = frozenset(range(7))
WEEKDAYS: frozenset[int] = frozenset(range(5))
WEEKENDS: frozenset[int] = frozenset({5, 6})

_DAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES: dict[str, int] = {
    **{abbr: i for i, abbr in enumerate(_DAY_ABBR)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_DAY_GROUPS: dict[str, frozenset[int]] = {
    "daily": ALL_DAYS,
    "every day": ALL_DAYS,
    "everyday": ALL_DAYS,
    "all": ALL_DAYS,
    "weekdays": WEEKDAYS,
    "weekends": WEEKENDS,
}
_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)
_CLOCK_RE = re.compile(r"(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?m\.?", re.ASCII | re.IGNORECASE)
_DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?", re.ASCII)


def parse_time(text: str) -> time:
    """``"09:30"``, ``"9:30"``, ``"21:30"``, ``"9am"``, ``"9:30pm"``, ``"12pm"`` -> a time of day."""
    cleaned = text.strip()
    if match := _TIME_RE.fullmatch(cleaned):
        return time(int(match[1]), int(match[2]))
    if match := _CLOCK_RE.fullmatch(cleaned):
        hour = int(match[1]) % 12 + (12 if match[3].lower() == "p" else 0)
        return time(hour, int(match[2] or 0))
    raise ValueError(f"`{text[:20]}` is not a time of day; use e.g. 09:30, 17:05, 9am or 9:30pm")


def parse_days(text: str) -> frozenset[int]:
    """Weekdays (Monday=0) from e.g. ``mon-fri``, ``mon,wed,fri``, ``fri-mon``, ``weekdays``, ``daily``."""
    cleaned = " ".join(text.lower().split())
    if cleaned in _DAY_GROUPS:
        return _DAY_GROUPS[cleaned]
    days: set[int] = set()
    for raw in cleaned.split(","):
        part = raw.strip().replace(" ", "")
        if part in _DAY_GROUPS:
            days |= _DAY_GROUPS[part]
        elif "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first, text), _day(last, text)
            days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
        else:
            days.add(_day(part, text))
    return frozenset(days)


def _day(name: str, text: str) -> int:
    try:
        return _DAY_NAMES[name]
    except KeyError:
        raise ValueError(
            f"`{text}` is not a list of days; try mon-fri, mon,wed,fri, weekdays, weekends or daily"
        ) from None


def format_days(days: frozenset[int]) -> str:
    """The compact form that ``parse_days`` reads back: ``"daily"``, ``"mon-fri"``, ``"mon,wed,fri"``."""
    if not days or not days <= ALL_DAYS:
        raise ValueError(f"not a set of weekdays 0-6: {sorted(days)}")
    if days == ALL_DAYS:
        return "daily"
    # Start at a day whose predecessor is off, so a run across Sunday-Monday stays whole ("fri-mon").
    first = next(d for d in range(7) if d in days and (d - 1) % 7 not in days)
    parts: list[str] = []
    run: list[int] = []
    for day in ((first + i) % 7 for i in range(7)):
        if day in days:
            run.append(day)
            continue
        if run:
            parts.append(_format_run(run))
            run = []
    if run:
        parts.append(_format_run(run))
    return ",".join(parts)


def describe_days(days: frozenset[int]) -> str:
    """The days in words for a message: "every day", "on weekdays", "at weekends", "on Mon, Wed and Fri"."""
    if days == ALL_DAYS:
        return "every day"
    if days == WEEKDAYS:
        return "on weekdays"
    if days == WEEKENDS:
        return "at weekends"
    names = [_DAY_ABBR[day].title() for day in sorted(days)]
    return "on " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])


def _format_run(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{_DAY_ABBR[run[0]]}-{_DAY_ABBR[run[-1]]}"
    return ",".join(_DAY_ABBR[d] for d in run)


def parse_duration(text: str) -> timedelta:
    """``"50ms"``, ``"8s"``, ``"30m"``, ``"4h"``, ``"1h30m"``, ``"2d"`` -> a positive timedelta."""
    cleaned = text.strip().lower().replace(" ", "")
    match = _DURATION_RE.fullmatch(cleaned)
    if not cleaned or not match:
        raise ValueError(f"`{text}` is not a duration; use e.g. 30m, 4h, 1h30m or 2d")
    d, h, m, s, ms = (int(g) if g else 0 for g in match.groups())
    try:
        duration = timedelta(days=d, hours=h, minutes=m, seconds=s, milliseconds=ms)
    except OverflowError:
        raise ValueError(f"`{text}` is too long") from None
    if duration <= timedelta(0):
        raise ValueError(f"`{text}` must be longer than zero")
    return duration


def format_duration(duration: timedelta) -> str:
    """The compact form that ``parse_duration`` reads back: ``"4h"``, ``"1h30m"``, ``"2d"``."""
    seconds = int(duration.total_seconds())
    if seconds <= 0:
        raise ValueError(f"not a positive duration: {duration}")
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def parse_timezone(name: str) -> ZoneInfo:
    """Any zone the standard library knows, in any case (``Europe/London``, ``utc``), or an abbreviation
    people use (``PST``, ``CET``, ``IST``); the error names the closest known zone when there is one."""
    key = zone_key(name)
    if key is None:
        suggestion = suggest_zone(name)
        hint = f"did you mean {suggestion}?" if suggestion else "try Europe/London, America/New_York or PST"
        raise ValueError(f"`{name[:40]}` is not a time zone I know; {hint}")
    return ZoneInfo(key)


def is_timezone(name: str) -> bool:
    return zone_key(name) is not None


def local_date(now_utc: datetime, tz: ZoneInfo) -> date:
    """The calendar date in ``tz`` at the instant ``now_utc``."""
    return _require_aware(now_utc).astimezone(tz).date()


def due_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant the quiz for local ``day`` is due at local wall time ``at``.

    A wall time skipped by a DST jump is moved to the first instant after the gap (02:30 on a
    spring-forward day in New York -> 03:00 EDT); a wall time that occurs twice uses the first
    occurrence. Every local day therefore has exactly one due instant, and they are increasing.
    """
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == wall:
        return utc
    return _gap_end(wall, tz)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant ending the DST gap that contains the nonexistent wall time ``wall``."""
    before = wall.replace(tzinfo=tz, fold=0).utcoffset()
    after = wall.replace(tzinfo=tz, fold=1).utcoffset()
    assert before is not None and after is not None
    # The jump happens at some instant T with T + before <= wall < T + after; search that window by second.
    low = (wall - after).replace(tzinfo=UTC)  # offset here is still `before`
    high = (wall - before).replace(tzinfo=UTC)  # offset here is already `after`
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return high


def next_due(now_utc: datetime, at: time, tz: ZoneInfo, days: frozenset[int]) -> datetime:
    """The first due instant strictly after ``now_utc`` on one of ``days`` (local weekdays, Monday=0)."""
    if not days or not days <= ALL_DAYS:
        raise ValueError(f"not a set of weekdays 0-6: {sorted(days)}")
    day = local_date(now_utc, tz) - timedelta(days=1)
    while True:
        if day.weekday() in days:
            when = due_at(day, at, tz)
            if when > now_utc:
                return when
        day += timedelta(days=1)


def _require_aware(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return when
