"""Slash commands. The answer rides in the ack itself: no second round trip to Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.blocks.replies import compare_ack_body
from bot.services import Services

COMPARE = "/compare"
JSON = {"content-type": "application/json"}


async def handle_compare(command: dict[str, Any]) -> BoltResponse:
    """Returns the ack itself: the reply's JSON is cached per text, so the busiest path serialises nothing.

    With `process_before_response`, Bolt sends a response a listener returns as the acknowledgement.
    """
    return BoltResponse(status=200, body=compare_ack_body(str(command.get("text") or "")), headers=JSON)


def register(app: AsyncApp, services: Services) -> None:
    app.command(COMPARE)(handle_compare)
