"""The manifest asks for exactly the scopes the bot's calls and events need, and declares every command."""

from __future__ import annotations

import re
from pathlib import Path

from bot.learn.commands import LEARN
from bot.quiz.commands import QUIZ

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = (ROOT / "manifest.yml").read_text(encoding="utf-8")

METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "users_info": {"users:read"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_history": {"channels:history", "groups:history"},
    "conversations_replies": {"channels:history", "groups:history"},
    "conversations_open": {"im:write"},
    "usergroups_users_list": {"usergroups:read"},
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "views_publish": set(),
    "chat_getPermalink": set(),
    "auth_test": set(),
}
"""Slack's documented bot-token scopes for each Web API method the bot calls."""
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "message.im": {"im:history"},
    "member_joined_channel": {"channels:read", "groups:read"},
    "app_home_opened": set(),
}
CALL = re.compile(r"client\.(chat_\w+|users_\w+|conversations_\w+|usergroups_\w+|views_\w+|auth_\w+)\b")


def _section(name: str) -> str:
    match = re.search(rf"^\s*{name}:\n((?:\s+- .*\n)+)", MANIFEST, re.MULTILINE)
    return match.group(1) if match else ""


def _list(name: str) -> set[str]:
    return {line.split("-", 1)[1].split("#")[0].strip() for line in _section(name).splitlines()}


def test_scopes_are_exactly_what_the_calls_and_events_need() -> None:
    called = {
        m for path in (ROOT / "bot").rglob("*.py") for m in CALL.findall(path.read_text(encoding="utf-8"))
    }
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES"
    needed = {"commands"} | set().union(*(METHOD_SCOPES[m] for m in called))
    needed |= set().union(*(EVENT_SCOPES[event] for event in _list("bot_events")))
    assert _list("bot") == needed


def test_every_command_table_is_declared_with_its_usage_hint() -> None:
    for table in (QUIZ, LEARN):
        block = MANIFEST[MANIFEST.index(f"- command: {table.command}") :]
        hint = re.search(r'usage_hint: "([^"]*)"', block)
        assert hint is not None and hint.group(1) == table.usage_hint(), table.command
