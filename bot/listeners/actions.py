"""Buttons on /compare answers: open another category privately, or share one in the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot import ids
from bot.blocks.replies import compare_reply, shared_comparison_message
from bot.listeners.replies import respond_with
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    async def handle_open_category(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = compare_reply(str(action.get("value") or ""))
        services.later(respond_with(respond, body, reply, replace_original=_is_ephemeral(body)))

    async def handle_share(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        key, user_id = str(action.get("value") or ""), str((body.get("user") or {}).get("id") or "")
        try:
            reply, audience = shared_comparison_message(key, user_id), "in_channel"
        except KeyError:  # a button from an older version of the content: say what we have instead
            reply, audience = compare_reply(key), "ephemeral"
        services.later(respond_with(respond, body, reply, response_type=audience))

    app.action(ids.OPEN_CATEGORY_PATTERN)(handle_open_category)
    app.action(ids.SHARE_COMPARISON)(handle_share)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, dict) and container.get("is_ephemeral") is True
