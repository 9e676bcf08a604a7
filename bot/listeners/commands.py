"""Slash commands. The answer rides in the ack itself: no second round trip to Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.blocks.replies import compare_reply
from bot.services import Services

COMPARE = "/compare"


async def handle_compare(ack: AsyncAck, command: dict[str, Any]) -> None:
    reply = compare_reply(str(command.get("text") or ""))
    await ack(response_type="ephemeral", **reply.as_kwargs())


def register(app: AsyncApp, services: Services) -> None:
    app.command(COMPARE)(handle_compare)
