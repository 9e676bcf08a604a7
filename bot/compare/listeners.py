"""/compare, its buttons and menu, mentions (answered in a thread) and DMs (answered in the DM)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_bolt.response import BoltResponse

import content
from bot.compare import modal_listeners
from bot.compare.replies import compare_ack_body, compare_reply, shared_comparison_message, shared_note
from bot.core import ids
from bot.core.actions import action_value
from bot.core.after_ack import AfterAck
from bot.core.events import EventDedupe, written_by_a_bot
from bot.core.slack.respond import Responder

COMPARE = "/compare"
JSON = {"content-type": "application/json"}
LEADING_MENTIONS = re.compile(r"^(?:\s*<@[^>]*>)+")
COMPARE_VERB = re.compile(r"^\s*compare\b[\s:,-]*", re.IGNORECASE)
LOOKUP_WARM_UP_DELAY = 3.0
"""Seconds from building the app to building the lookup index: after `/healthz` answers (`make bench`)."""


def topic_of(text: str) -> str:
    """'<@UBOT> compare monitoring' -> 'monitoring'."""
    return COMPARE_VERB.sub("", LEADING_MENTIONS.sub("", text), count=1).strip()


async def handle_compare(command: dict[str, Any]) -> BoltResponse:
    """Returns the ack itself, with the reply's JSON cached per text. Measured against `await ack(...)` in
    `make bench` (2026-11-29): 0.81x vs 0.77x the fastest bare app's requests/s at 8 connections, 0.93x vs
    0.74x at 64; a dispatch alone takes 80 µs instead of 107.

    With `process_before_response`, Bolt sends a response a listener returns as the acknowledgement.
    """
    return BoltResponse(status=200, body=compare_ack_body(str(command.get("text") or "")), headers=JSON)


def register_command(app: AsyncApp) -> None:
    """/compare alone, to be registered before every other listener: Bolt tries listeners in order, and
    each one it tries first costs a request about 36 µs (`make bench`: with eight before it, /compare
    served a third fewer requests a second)."""
    app.command(COMPARE)(handle_compare)


def register(app: AsyncApp, later: AfterAck, dedupe: EventDedupe, responder: Responder) -> None:
    """Everything else of /compare: its buttons, mentions and direct messages. The lookup's retrieval index
    is built in the background once the bot has started, so neither the start nor a first question waits."""
    content.warm_up_lookup(LOOKUP_WARM_UP_DELAY)

    async def handle_open_topic(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = compare_reply(action_value(action))
        later(responder.respond_with(respond, body, reply, replace_original=_is_ephemeral(body)))

    async def handle_share(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        key, user_id = str(action.get("value") or ""), str((body.get("user") or {}).get("id") or "")
        try:
            reply, audience = shared_comparison_message(key, user_id), "in_channel"
        except KeyError:  # a button from an older version of the content: say what we have instead
            reply, audience = compare_reply(key), "ephemeral"

        async def share() -> None:
            shared = await responder.respond_with(respond, body, reply, response_type=audience)
            if shared and audience == "in_channel" and _is_ephemeral(body):  # the private copy says where
                channel = str((body.get("channel") or {}).get("id") or "")
                await responder.respond_with(respond, body, shared_note(key, channel), replace_original=True)

        later(share())

    async def handle_mention(event: dict[str, Any], say: AsyncSay) -> None:
        if written_by_a_bot(event):
            return  # acknowledged, not answered
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        later(say(thread_ts=event.get("thread_ts") or event.get("ts"), **reply.as_kwargs()))

    async def handle_direct_message(event: dict[str, Any], say: AsyncSay) -> None:
        if event.get("subtype") or written_by_a_bot(event) or event.get("channel_type") != "im":
            return  # edits, joins and other bots' messages are not questions
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        later(say(**reply.as_kwargs()))

    app.action(ids.OPEN_TOPIC_PATTERN)(handle_open_topic)
    app.action(ids.PICK_TOPIC)(handle_open_topic)
    app.action(ids.SHARE_COMPARISON)(handle_share)
    app.event("app_mention", middleware=[dedupe.middleware])(handle_mention)
    app.event("message", middleware=[dedupe.middleware])(handle_direct_message)
    modal_listeners.register(app, later)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, dict) and container.get("is_ephemeral") is True
