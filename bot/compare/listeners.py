"""/compare's buttons and menu, mentions (answered in a thread) and DMs (answered in the DM); the command
itself is a table (`bot.compare.commands`)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay

import content
from bot.compare import ids, modal_listeners
from bot.compare.replies import (
    compare_reply,
    comparison_message,
    shared_comparison_message,
    shared_note,
    topic_of,
)
from bot.core.after_ack import AfterAck
from bot.core.events import EventDedupe, written_by_a_bot
from bot.core.slack.payloads import action_value, channel_of, is_ephemeral, user_of
from bot.core.slack.respond import Responder

LOOKUP_WARM_UP_DELAY = 3.0
"""Seconds from the start to building the lookup's index: after `/healthz` answers (`make bench`)."""


def warm_up() -> None:
    """Build the lookup's retrieval index in the background, so neither the start nor a first question
    waits for it."""
    content.warm_up_lookup(LOOKUP_WARM_UP_DELAY)


def register(app: AsyncApp, after_ack: AfterAck, dedupe: EventDedupe, responder: Responder) -> None:
    """Everything else of /compare: its buttons, mentions and direct messages."""

    async def handle_open_topic(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = compare_reply(action_value(action))
        after_ack(responder.respond_with(respond, body, reply, replace_original=is_ephemeral(body)))

    async def handle_example(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        key = action_value(action)
        # A private card (ephemeral, or in the DM) unfolds in place; anyone else's gets its own copy.
        private = is_ephemeral(body) or channel_of(body).startswith("D")
        try:
            reply = comparison_message(key, in_channel=not is_ephemeral(body) and private, example=True)
        except KeyError:  # a button from an older version of the content
            reply = compare_reply(key)
        after_ack(responder.respond_with(respond, body, reply, replace_original=private))

    async def handle_share(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        key, user_id = action_value(action), user_of(body)
        try:
            reply, audience = shared_comparison_message(key, user_id), "in_channel"
        except KeyError:  # a button from an older version of the content: say what we have instead
            reply, audience = compare_reply(key), "ephemeral"

        async def share() -> None:
            shared = await responder.respond_with(respond, body, reply, response_type=audience)
            if shared and audience == "in_channel" and is_ephemeral(body):  # the private copy says where
                channel = channel_of(body)
                await responder.respond_with(respond, body, shared_note(key, channel), replace_original=True)

        after_ack(share())

    async def handle_mention(event: dict[str, Any], say: AsyncSay) -> None:
        if written_by_a_bot(event):
            return  # acknowledged, not answered
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        after_ack(say(thread_ts=event.get("thread_ts") or event.get("ts"), **reply.as_kwargs()))

    async def handle_direct_message(event: dict[str, Any], say: AsyncSay) -> None:
        if event.get("subtype") or written_by_a_bot(event) or event.get("channel_type") != "im":
            return  # edits, joins and other bots' messages are not questions
        reply = compare_reply(topic_of(str(event.get("text") or "")), in_channel=True)
        after_ack(say(**reply.as_kwargs()))

    app.action(ids.OPEN_TOPIC_PATTERN)(handle_open_topic)
    app.action(ids.PICK_TOPIC)(handle_open_topic)
    app.action(ids.SHARE_COMPARISON)(handle_share)
    app.action(ids.SHOW_EXAMPLE)(handle_example)
    app.event("app_mention", middleware=[dedupe.middleware])(handle_mention)
    app.event("message", middleware=[dedupe.middleware])(handle_direct_message)
    modal_listeners.register(app, after_ack)
