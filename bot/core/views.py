"""Opening, updating and publishing views (modals and the App Home), where Slack refusing is logged, not
raised: a view has no reply in which to tell the person, and nothing else waits on it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.calls import SlackFailure, slack_call

log = logging.getLogger(__name__)


async def open_view(client: AsyncWebClient, trigger_id: str, view: dict[str, Any]) -> str | None:
    """views.open with the trigger of the person's click; the new view's id, or None if Slack refused
    (an expired trigger_id, a view over Slack's limits, Slack away)."""
    try:
        reply = await slack_call(client.views_open, trigger_id=trigger_id, view=view)
    except SlackFailure as error:
        log.warning("views.open failed: %s", error.reason)
        return None
    return str((reply.get("view") or {}).get("id") or "") or None


async def update_view(
    client: AsyncWebClient, view_id: str, view: dict[str, Any], view_hash: str = ""
) -> bool:
    """views.update of an open modal; with *view_hash* Slack refuses it when the modal changed meanwhile
    (``hash_conflict``: someone clicked twice, the later click wins)."""
    arguments: dict[str, Any] = {"view_id": view_id, "view": view}
    if view_hash:
        arguments["hash"] = view_hash
    try:
        await slack_call(client.views_update, **arguments)
    except SlackFailure as error:
        log.warning("views.update failed: %s", error.reason)
        return False
    return True


async def publish_home(client: AsyncWebClient, user: str, view: dict[str, Any]) -> bool:
    """views.publish of the person's Home tab."""
    try:
        await slack_call(client.views_publish, user_id=user, view=view)
    except SlackFailure as error:
        log.warning("views.publish failed: %s", error.reason)
        return False
    return True


HomeSection = Callable[[str], Awaitable[list[dict[str, Any]]]]
"""One part of the App Home, from any feature: ``async (user id) -> block dicts`` (empty: nothing to show)."""
