"""Who a request comes from and where: read once from the payload shapes Slack sends.

Slash commands carry `user_id` and `channel_id` at the top level; interactions (`block_actions`,
`view_submission`, shortcuts) carry `user.id`, `channel.id` or `container.channel_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """Who typed a slash command, and where."""

    user: str
    channel: str
    channel_name: str = ""
    trigger_id: str = ""
    """For opening a modal (valid for 3 s after the command)."""
    team: str = ""

    @classmethod
    def of(cls, command: dict[str, Any]) -> CommandRequest:
        return cls(
            user=str(command.get("user_id") or ""),
            channel=str(command.get("channel_id") or ""),
            channel_name=str(command.get("channel_name") or ""),
            trigger_id=str(command.get("trigger_id") or ""),
            team=str(command.get("team_id") or ""),
        )

    @property
    def in_dm(self) -> bool:
        """Typed in a direct message or a group DM, where no channel lives."""
        where = self.channel_name
        return self.channel.startswith("D") or where == "directmessage" or where.startswith("mpdm-")


def user_of(body: dict[str, Any]) -> str:
    """The id of the person who clicked, submitted or typed; "" when the payload has none."""
    user = body.get("user")
    return str((user.get("id") if isinstance(user, dict) else body.get("user_id")) or "")


def channel_of(body: dict[str, Any]) -> str:
    """The channel the interaction happened in; "" for a modal or the Home tab."""
    channel, container = body.get("channel"), body.get("container")
    return str(
        (channel.get("id") if isinstance(channel, dict) else None)
        or (container.get("channel_id") if isinstance(container, dict) else None)
        or body.get("channel_id")
        or ""
    )


def trigger_of(body: dict[str, Any]) -> str:
    return str(body.get("trigger_id") or "")


def is_ephemeral(body: dict[str, Any]) -> bool:
    """Whether the clicked message is an ephemeral one (only that person sees it)."""
    container = body.get("container")
    return isinstance(container, dict) and container.get("is_ephemeral") is True


def action_value(action: dict[str, Any]) -> str:
    """A button's value, or the value of the option picked in a menu; "" when there is neither."""
    option = action.get("selected_option")
    if isinstance(option, dict):
        return str(option.get("value") or "")
    return str(action.get("value") or "")
