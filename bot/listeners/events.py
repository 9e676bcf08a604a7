"""Mentions (answered in a thread) and direct messages (answered in the DM)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncSay

from bot.blocks.replies import compare_reply
from bot.listeners.middleware import answer_each_event_once
from bot.services import Services

LEADING_MENTIONS = re.compile(r"^(?:\s*<@[^>]*>)+")
COMPARE_VERB = re.compile(r"^\s*compare\b[\s:,-]*", re.IGNORECASE)


def topic_of(text: str) -> str:
    """'<@UBOT> compare monitoring' -> 'monitoring'."""
    return COMPARE_VERB.sub("", LEADING_MENTIONS.sub("", text), count=1).strip()


def register(app: AsyncApp, services: Services) -> None:
    once = [answer_each_event_once(services)]

    async def handle_mention(event: dict[str, Any], say: AsyncSay) -> None:
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        services.later(say(thread_ts=event.get("thread_ts") or event.get("ts"), **reply.as_kwargs()))

    async def handle_direct_message(event: dict[str, Any], say: AsyncSay) -> None:
        if event.get("subtype") or event.get("bot_id") or event.get("channel_type") != "im":
            return  # edits, joins and other bots' messages are not questions
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        services.later(say(**reply.as_kwargs()))

    app.event("app_mention", middleware=once)(handle_mention)
    app.event("message", middleware=once)(handle_direct_message)
