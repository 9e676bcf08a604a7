"""The manifest asks for exactly the scopes the bot's calls and events need, and declares every command."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.commands import CommandTable

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = (ROOT / "manifest.yml").read_text(encoding="utf-8")

METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "users_info": {"users:read"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_members": {"channels:read", "groups:read"},
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


def _manifest_commands() -> dict[str, dict[str, str]]:
    """Each slash command the manifest declares, with its fields as written."""
    found: dict[str, dict[str, str]] = {}
    for block in _section_text("slash_commands").split("- command: ")[1:]:
        command, *lines = block.splitlines()
        fields = dict(line.strip().split(": ", 1) for line in lines if ": " in line)
        found[command.strip()] = {
            key: value.split("  #")[0].strip().strip('"') for key, value in fields.items()
        }
    return found


def _section_text(name: str) -> str:
    match = re.search(rf"^  {name}:\n((?:    .*\n)+)", MANIFEST, re.MULTILINE)
    return match.group(1) if match else ""


def test_the_manifest_declares_exactly_the_commands_the_bot_answers(
    command_tables: dict[str, CommandTable],
) -> None:
    assert set(_manifest_commands()) == set(command_tables)


def test_each_command_is_declared_as_its_table_says(command_tables: dict[str, CommandTable]) -> None:
    declared = _manifest_commands()
    for command, table in command_tables.items():
        assert declared[command] == {
            "description": table.description,
            "usage_hint": table.usage_hint(),
            "should_escape": str(table.should_escape).lower(),
        }, command
