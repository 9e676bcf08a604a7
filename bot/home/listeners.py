"""The App Home: publish it when someone opens the tab, and open the card of a topic picked in its menu."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.core.after_ack import AfterAck
from bot.core.slack.payloads import action_value, trigger_of
from bot.home import ids
from bot.home.service import Home


def register(app: AsyncApp, home: Home, after_ack: AfterAck) -> None:
    async def handle_opened(event: dict[str, Any]) -> None:
        after_ack(home.publish(str(event.get("user") or "")))

    async def handle_pick(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        after_ack(home.open_topic(trigger_of(body), action_value(action)))

    app.event("app_home_opened", matchers=[_home_tab])(handle_opened)
    app.action(ids.HOME_PICK_TOPIC)(handle_pick)


async def _home_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "home" and bool(event.get("user"))
