"""Buttons on /compare answers: open another category privately, or share one in the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot import ids
from bot.blocks import Message
from bot.blocks.replies import compare_reply, shared_comparison_message
from bot.services import Services


async def handle_open_category(
    ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
) -> None:
    await ack()
    reply = compare_reply(str(action.get("value") or ""))
    await _respond(respond, body, reply, response_type="ephemeral", replace_original=_is_ephemeral(body))


async def handle_share(
    ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
) -> None:
    await ack()
    user_id = str((body.get("user") or {}).get("id") or "")
    try:
        reply = shared_comparison_message(str(action.get("value") or ""), user_id)
    except KeyError:
        reply = compare_reply(str(action.get("value") or ""))
        await _respond(respond, body, reply, response_type="ephemeral", replace_original=False)
        return
    await _respond(respond, body, reply, response_type="in_channel", replace_original=False)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, dict) and container.get("is_ephemeral") is True


async def _respond(respond: AsyncRespond, body: dict[str, Any], reply: Message, **options: Any) -> None:
    if not body.get("response_url"):
        return  # nowhere to answer (e.g. a forged or truncated payload); the ack was enough
    await respond(**options, **reply.as_kwargs())


def register(app: AsyncApp, services: Services) -> None:
    app.action(ids.OPEN_CATEGORY_PATTERN)(handle_open_category)
    app.action(ids.SHARE_COMPARISON)(handle_share)
