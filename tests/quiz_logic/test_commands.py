"""Parsing `/quiz ...` text (pure)."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot.quiz.commands import QuizCommand, QuizCommandError, parse_quiz_command
from bot.quiz.timing import WEEKDAYS


@pytest.mark.parametrize(
    ("text", "name"),
    [("", "practice"), ("  ", "practice"), ("help", "help"), ("STATS", "stats"), ("me", "stats"),
     ("leaderboard", "leaderboard"), ("top", "leaderboard"), ("now", "now"), ("reveal", "reveal"),
     ("status", "status"), ("stop", "stop"), ("?", "help")],
)  # fmt: skip
def test_subcommands(text: str, name: str) -> None:
    assert parse_quiz_command(text).name == name


def test_schedule_with_everything() -> None:
    command = parse_quiz_command("schedule <#C0NEWHIRE|new-hires> 09:30 Europe/Berlin mon-fri")
    assert command == QuizCommand(
        "schedule", channel="C0NEWHIRE", at=time(9, 30), timezone=ZoneInfo("Europe/Berlin"), days=WEEKDAYS
    )


def test_schedule_time_only_keeps_the_rest_unset() -> None:
    assert parse_quiz_command("schedule 7:05") == QuizCommand("schedule", at=time(7, 5))


def test_schedule_days_may_be_spread_over_words() -> None:
    assert parse_quiz_command("schedule 10:00 UTC mon wed fri").days == frozenset({0, 2, 4})


def test_private_channel_reference_without_name() -> None:
    assert parse_quiz_command("stop <#G0PRIVATE>").channel == "G0PRIVATE"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("dance", "don't know"),
        ("schedule", "Usage"),
        ("schedule 25:00", "not a time"),
        ("schedule 09:30 Mars/Olympus", "time zone"),
        ("schedule 09:30 UTC someday", "days"),
        ("stop #general", "#-menu"),
        ("status extra words", "at most a #channel"),
    ],
)
def test_mistakes_get_a_sentence_that_says_how_to_fix_them(text: str, says: str) -> None:
    with pytest.raises(QuizCommandError, match=says):
        parse_quiz_command(text)
