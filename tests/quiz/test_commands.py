"""The /quiz table: parsing, help and the manifest's usage hint all come from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.commands import CommandTable, UsageError
from bot.core.timecodes import WEEKDAYS

Parse = Callable[[str], tuple[str, dict[str, Any]]]


@pytest.fixture
def quiz(command_tables: dict[str, CommandTable]) -> CommandTable:
    return command_tables["/quiz"]


@pytest.fixture
def parse(quiz: CommandTable) -> Parse:
    """The subcommand's name and keyword arguments /quiz's table reads from a text."""

    def names(text: str) -> tuple[str, dict[str, Any]]:
        sub, arguments = quiz.parse(text)
        return sub.name, arguments

    return names


@pytest.mark.parametrize(
    ("text", "name"),
    [("", "practice"), ("  ", "practice"), ("help", "help"), ("STATS", "stats"), ("me", "stats"),
     ("leaderboard", "leaderboard"), ("top", "leaderboard"), ("now", "now"), ("reveal", "reveal"),
     ("status", "status"), ("stop", "stop"), ("?", "help")],
)  # fmt: skip
def test_subcommands(text: str, name: str, parse: Parse) -> None:
    assert parse(text)[0] == name


def test_schedule_with_everything(parse: Parse) -> None:
    assert parse("schedule <#C0NEWHIRE|new-hires> 09:30 Europe/Berlin mon-fri") == (
        "schedule",
        {"channel": "C0NEWHIRE", "at": time(9, 30), "timezone": ZoneInfo("Europe/Berlin"), "days": WEEKDAYS},
    )


def test_schedule_reads_clock_times_and_any_known_zone(parse: Parse) -> None:
    assert parse("schedule 9am CET mon-fri")[1] == {
        "channel": None,
        "at": time(9, 0),
        "timezone": ZoneInfo("Europe/Berlin"),
        "days": WEEKDAYS,
    }
    assert parse("schedule 9:30pm")[1]["at"] == time(21, 30)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("9:30am PST mon-fri", "America/Los_Angeles"),
        ("9:30 am pdt", "America/Los_Angeles"),
        ("9am EST", "America/New_York"),
        ("9am cst", "America/Chicago"),
        ("9am MST", "America/Denver"),
        ("9am CEST", "Europe/Berlin"),
        ("9am GMT", "Europe/London"),
        ("9am BST", "Europe/London"),
        ("9am IST", "Asia/Kolkata"),
        ("9am JST", "Asia/Tokyo"),
        ("9am AEST", "Australia/Sydney"),
        ("9am utc", "UTC"),
        ("9am asia/tokyo", "Asia/Tokyo"),
    ],
)
def test_schedule_reads_the_zone_abbreviations_people_type(parse: Parse, typed: str, zone: str) -> None:
    assert parse(f"schedule {typed}")[1]["timezone"] == ZoneInfo(zone)


def test_schedule_reads_its_options_and_keeps_the_unsaid_ones_unset(parse: Parse) -> None:
    wanted = parse("schedule 10:00 reveal 2h weekly-leaderboard answer-at-reveal off post-now")[1]
    assert wanted["reveal"].delay == timedelta(hours=2)
    assert wanted["weekly_leaderboard"] and wanted["post_now"] and wanted["answer_at_reveal"] is False
    assert parse("schedule 10:00 reveal eod every day")[1]["reveal"].delay is None
    assert "weekly_leaderboard" not in parse("schedule 10:00")[1]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("9:30am PSTX mon-fri", r"^Time zone: `PSTX` is not one I know"),
        ("9am Europe/Berln", r"^Time zone: `Europe/Berln` is not one I know; did you mean Europe/Berlin\?"),
        ("9am berlin", r"did you mean Europe/Berlin\?"),
        ("9am mon-fir", r"^Days: `mon-fir` is not a list of days"),
        ("PST 9am", r"^Time: `PST` is not a time of day"),
        ("9am reveal soon", r"^Reveal: `soon` is not a duration"),
        ("9am PST CET", r"^Time zone: give just one"),
    ],
)
def test_a_typed_mistake_names_the_field_it_is_in(quiz: CommandTable, typed: str, says: str) -> None:
    with pytest.raises(UsageError, match=says):
        quiz.parse(f"schedule {typed}")


def test_schedule_alone_asks_for_the_form(parse: Parse) -> None:
    assert parse("schedule") == ("schedule", {"channel": None, "form": True})
    assert parse("schedule <#C0TEAM|team>") == ("schedule", {"channel": "C0TEAM", "form": True})


def test_schedule_time_only_keeps_the_rest_unset(parse: Parse) -> None:
    assert parse("schedule 7:05")[1] == {"channel": None, "at": time(7, 5), "timezone": None, "days": None}


def test_schedule_days_may_be_spread_over_words(parse: Parse) -> None:
    assert parse("schedule 10:00 UTC mon wed fri")[1]["days"] == frozenset({0, 2, 4})


def test_private_channel_reference_without_name(parse: Parse) -> None:
    assert parse("stop <#G0PRIVATE>")[1]["channel"] == "G0PRIVATE"


def test_status_takes_the_channel_it_names(parse: Parse) -> None:
    assert parse("status <#C0OTHER|other>") == ("status", {"channel": "C0OTHER"})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("schedule 25:00", "not a time"),
        ("schedule 09:30 Mars/Olympus", "time zone"),
        ("schedule 09:30 UTC someday", "days"),
        ("stop #general", "#-menu"),
        ("status extra words", "at most a #channel"),
        ("stats extra", "takes no arguments"),
    ],
)
def test_mistakes_get_a_sentence_that_says_how_to_fix_them(
    text: str, says: str, parse: Parse, quiz: CommandTable
) -> None:
    with pytest.raises(UsageError, match=says):
        quiz.parse(text)


def test_an_unknown_word_is_a_topic_to_practise(parse: Parse) -> None:
    assert parse("model drift") == ("practice", {"topic": "model drift"})
    assert parse("") == ("practice", {"topic": ""})


def test_manager_only_subcommands(quiz: CommandTable) -> None:
    assert {sub.name for sub in quiz.subcommands if sub.manager_only} == {"now", "reveal", "schedule", "stop"}
