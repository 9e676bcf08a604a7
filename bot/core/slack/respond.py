"""Answering through a response_url, where Slack being away is logged, not raised."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.core.message import Message

log = logging.getLogger(__name__)


async def respond_with(
    respond: AsyncRespond,
    body: dict[str, Any],
    message: Message,
    *,
    response_type: str = "ephemeral",
    replace_original: bool = False,
) -> None:
    """Send `message` to the response_url of `body` (without one, a truncated payload, no one is told)."""
    if not isinstance(body.get("response_url"), str) or not body["response_url"]:
        return
    try:
        await respond(response_type=response_type, replace_original=replace_original, **message.as_kwargs())
    except (SlackApiError, SlackRequestError, ClientError, TimeoutError) as error:
        log.warning("could not answer through the response_url: %s", type(error).__name__)
