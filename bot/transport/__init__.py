"""How Slack's requests reach the Bolt app: an HTTP server, or a Socket Mode connection."""

from __future__ import annotations

from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


class Servable(Protocol):
    """What a transport needs of the bot (`bot.app.BotApp` is one)."""

    bolt: AsyncApp
    client: AsyncWebClient

    async def health(self) -> dict[str, Any]:
        """Liveness: answered while the process runs; says how its dependencies are."""
        ...

    async def readiness(self) -> dict[str, Any]:
        """Readiness: `{"ready": bool, ...}`, whether it can do all of its work now (the database answers)."""
        ...
