"""The /quiz table: parsing, help and the manifest's usage hint all come from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
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
        "timezone": ZoneInfo("CET"),
        "days": WEEKDAYS,
    }
    assert parse("schedule 9:30pm")[1]["at"] == time(21, 30)


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
