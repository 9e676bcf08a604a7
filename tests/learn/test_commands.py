"""/learn's table and its parsing."""

from __future__ import annotations

import pytest

from bot.core.commands import CommandTable, UsageError


@pytest.fixture
def learn(command_tables: dict[str, CommandTable]) -> CommandTable:
    return command_tables["/learn"]


def test_enroll_takes_mentions_only(learn: CommandTable) -> None:
    sub, arguments = learn.parse("enroll <@U123|alice> <@U456> <@U123>")
    assert sub.name == "enroll" and arguments == {"users": ("U123", "U456")}
    for text in ("enroll", "enroll alice", "enroll <!channel>"):
        with pytest.raises(UsageError):
            learn.parse(text)


def test_default_and_unknown(learn: CommandTable) -> None:
    assert learn.parse("")[0].name == "start"
    with pytest.raises(UsageError):
        learn.parse("dance")
