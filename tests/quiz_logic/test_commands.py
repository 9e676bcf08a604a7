"""The /quiz table: parsing, help and the manifest's usage hint all come from it."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.subcommands import UsageError
from bot.core.timecodes import WEEKDAYS
from bot.quiz.commands import QUIZ

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def parse(text: str) -> tuple[str, dict[str, Any]]:
    sub, arguments = QUIZ.parse(text)
    return sub.name, arguments


@pytest.mark.parametrize(
    ("text", "name"),
    [("", "practice"), ("  ", "practice"), ("help", "help"), ("STATS", "stats"), ("me", "stats"),
     ("leaderboard", "leaderboard"), ("top", "leaderboard"), ("now", "now"), ("reveal", "reveal"),
     ("status", "status"), ("stop", "stop"), ("?", "help")],
)  # fmt: skip
def test_subcommands(text: str, name: str) -> None:
    assert parse(text)[0] == name


def test_schedule_with_everything() -> None:
    assert parse("schedule <#C0NEWHIRE|new-hires> 09:30 Europe/Berlin mon-fri") == (
        "schedule",
        {"channel": "C0NEWHIRE", "at": time(9, 30), "timezone": ZoneInfo("Europe/Berlin"), "days": WEEKDAYS},
    )


def test_schedule_reads_clock_times_and_any_known_zone() -> None:
    assert parse("schedule 9am CET mon-fri")[1] == {
        "channel": None,
        "at": time(9, 0),
        "timezone": ZoneInfo("CET"),
        "days": WEEKDAYS,
    }
    assert parse("schedule 9:30pm")[1]["at"] == time(21, 30)


def test_schedule_alone_asks_for_the_form() -> None:
    assert parse("schedule") == ("schedule", {"channel": None, "form": True})
    assert parse("schedule <#C0TEAM|team>") == ("schedule", {"channel": "C0TEAM", "form": True})


def test_schedule_time_only_keeps_the_rest_unset() -> None:
    assert parse("schedule 7:05")[1] == {"channel": None, "at": time(7, 5), "timezone": None, "days": None}


def test_schedule_days_may_be_spread_over_words() -> None:
    assert parse("schedule 10:00 UTC mon wed fri")[1]["days"] == frozenset({0, 2, 4})


def test_private_channel_reference_without_name() -> None:
    assert parse("stop <#G0PRIVATE>")[1]["channel"] == "G0PRIVATE"


def test_status_takes_the_channel_it_names() -> None:
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
def test_mistakes_get_a_sentence_that_says_how_to_fix_them(text: str, says: str) -> None:
    with pytest.raises(UsageError, match=says):
        QUIZ.parse(text)


def test_an_unknown_word_is_a_topic_to_practise() -> None:
    assert parse("model drift") == ("practice", {"topic": "model drift"})
    assert parse("") == ("practice", {"topic": ""})


def test_manager_only_subcommands() -> None:
    assert {sub.name for sub in QUIZ.subcommands if sub.manager_only} == {"now", "reveal", "schedule", "stop"}


def test_manifest_usage_hint_is_the_tables() -> None:
    manifest = MANIFEST.read_text(encoding="utf-8")
    block = manifest[manifest.index(f"- command: {QUIZ.command}") :]
    hint = re.search(r'usage_hint: "([^"]*)"', block)
    assert hint is not None
    assert hint.group(1) == QUIZ.usage_hint()
