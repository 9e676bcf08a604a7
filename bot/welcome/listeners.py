"""Greetings and "help" in a DM or a mention get the welcome; opening the bot's DM the first time, too.

Register before /compare: its listeners answer every other DM and mention, and Bolt runs only the first
listener whose matchers accept an event.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncSay

from bot.core.after_ack import AfterAck
from bot.core.events import EventDedupe
from bot.welcome.greetings import is_greeting
from bot.welcome.service import WelcomeService


def register(app: AsyncApp, welcome: WelcomeService, after_ack: AfterAck, dedupe: EventDedupe) -> None:
    async def handle_mention(event: dict[str, Any], say: AsyncSay) -> None:
        reply = welcome.greeting(in_dm=False)
        after_ack(say(thread_ts=event.get("thread_ts") or event.get("ts"), **reply.as_kwargs()))

    async def handle_direct_message(say: AsyncSay) -> None:
        after_ack(say(**welcome.greeting(in_dm=True).as_kwargs()))

    async def handle_messages_tab(event: dict[str, Any]) -> None:
        after_ack(welcome.first_visit(str(event.get("user")), str(event.get("channel") or "")))

    app.event("app_mention", matchers=[_greets], middleware=[dedupe.middleware])(handle_mention)
    app.event("message", matchers=[_greets_in_dm], middleware=[dedupe.middleware])(handle_direct_message)
    app.event("app_home_opened", matchers=[_messages_tab])(handle_messages_tab)


async def _greets(event: dict[str, Any]) -> bool:
    """A person (not a bot) greeting the bot or asking for help."""
    if event.get("subtype") or event.get("bot_id") or event.get("bot_profile"):
        return False
    return is_greeting(str(event.get("text") or ""))  # mentions of the bot are not part of it


async def _greets_in_dm(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im" and await _greets(event)


async def _messages_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "messages" and bool(event.get("user"))
