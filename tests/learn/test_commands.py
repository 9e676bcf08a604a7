"""/learn's table, its manifest entry and its parsing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.subcommands import UsageError
from bot.learn.commands import LEARN

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def test_manifest_declares_learn_its_event_and_scopes() -> None:
    text = MANIFEST.read_text()
    block = text.split("- command: /learn", 1)[1].split("- command:", 1)[0]
    hint = re.search(r'usage_hint: "([^"]*)"', block)
    assert hint is not None and hint.group(1) == LEARN.usage_hint()
    for needed in ("member_joined_channel", "im:write", "channels:read", "groups:read"):
        assert f"- {needed}" in text


def test_enroll_takes_mentions_only() -> None:
    sub, arguments = LEARN.parse("enroll <@U123|alice> <@U456> <@U123>")
    assert sub.name == "enroll" and arguments == {"users": ("U123", "U456")}
    for text in ("enroll", "enroll alice", "enroll <!channel>"):
        with pytest.raises(UsageError):
            LEARN.parse(text)


def test_default_and_unknown() -> None:
    assert LEARN.parse("")[0].name == "start"
    with pytest.raises(UsageError):
        LEARN.parse("dance")
