"""`/quiz schedule [#channel] time [zone] [days] [options]` as typed: each word is read as what it can only
be, and an error names the field that is wrong (a zone that is almost right gets a "did you mean")."""

from __future__ import annotations

import difflib
from typing import Any

from bot.core.commands import UsageError
from bot.core.timecodes import parse_days, parse_time, parse_timezone
from bot.core.zones import suggest_zone, zone_key
from bot.quiz.reveal_after import RevealAfter

SCHEDULE_USAGE = (
    "\nUsage: `/quiz schedule [#channel] time [time zone] [days]`, e.g. `/quiz schedule 9:30am PST mon-fri` "
    "(your time zone if you give none). `/quiz help` lists the options; `/quiz schedule` alone opens a form."
)
SWITCHES = {"answer-at-reveal": "answer_at_reveal", "weekly-leaderboard": "weekly_leaderboard"}
"""Options turned on by their name, or off with `off` after it."""
ON_OFF = {"on": True, "yes": True, "off": False, "no": False}
DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekends", "daily")


def parse_schedule(words: list[str]) -> dict[str, Any]:
    """The schedule's fields from the words after the #channel; UsageError naming the field otherwise."""
    if len(words) > 1 and words[1].lower().strip(".") in ("am", "pm"):
        words[:2] = [words[0] + words[1]]  # "9:30 am"
    at = _field("Time", parse_time, words.pop(0))
    wanted: dict[str, Any] = {"at": at, "timezone": None, "days": None}
    days: list[str] = []
    while words:
        word = words.pop(0)
        lowered = word.lower()
        if lowered == "reveal":
            if not words:
                raise UsageError(f"Reveal: say when, e.g. `reveal 2h` or `reveal eod`. {SCHEDULE_USAGE}")
            wanted["reveal"] = _field("Reveal", RevealAfter.parse, words.pop(0))
        elif lowered in SWITCHES:
            on = ON_OFF.get(words[0].lower()) if words else None
            if on is not None:
                words.pop(0)
            wanted[SWITCHES[lowered]] = on is not False
        elif lowered == "post-now":
            wanted["post_now"] = True
        elif lowered == "every" and words and words[0].lower() == "day":
            words.pop(0)
            days.append("daily")
        elif _is_days(word):
            days.append(word.strip(","))
        elif zone_key(word) is not None:
            if wanted["timezone"] is not None:
                raise UsageError(f"Time zone: give just one. {SCHEDULE_USAGE}")
            wanted["timezone"] = parse_timezone(word)
        else:
            raise UsageError(f"{_unknown(word)} {SCHEDULE_USAGE}")
    if days:
        wanted["days"] = parse_days(",".join(days))
    return wanted


def _field(name: str, parse: Any, word: str) -> Any:
    try:
        return parse(word)
    except ValueError as error:
        raise UsageError(f"{name}: {error}. {SCHEDULE_USAGE}") from None


def _is_days(word: str) -> bool:
    try:
        parse_days(word.strip(","))
    except ValueError:
        return False
    return True


def _unknown(word: str) -> str:
    """Which field a word that is none of them was most likely meant for, and how to write it."""
    shown = word[:40]
    if (suggestion := suggest_zone(word)) is not None:
        return f"Time zone: `{shown}` is not one I know; did you mean {suggestion}?"
    parts = [part for part in word.lower().replace(",", "-").split("-") if part]
    if parts and all(difflib.get_close_matches(part, DAY_WORDS, n=1, cutoff=0.6) for part in parts):
        return f"Days: `{shown}` is not a list of days; try mon-fri, mon,wed,fri, weekdays or daily."
    if "/" in word or (word.isalpha() and word.isupper() and len(word) <= 5):
        return f"Time zone: `{shown}` is not one I know; try Europe/London, America/New_York or PST."
    return f"I didn't understand `{shown}`: it is neither a time zone, nor days, nor an option."
