"""The learning path's buttons, `member_joined_channel` and a learner's small talk in the DM: read what
Slack sent, call `LearnService`, reply (/learn itself is a table: `bot.learn.commands`).

An answer is recorded before the click is acknowledged; the private feedback and the redrawn DM follow the
ack through the response_url.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay

from bot.compare import finds_nothing
from bot.core.after_ack import AfterAck
from bot.core.events import EventDedupe, written_by_a_bot
from bot.core.message import Message
from bot.core.slack.payloads import action_value, is_ephemeral, user_of
from bot.core.slack.respond import Responder
from bot.learn import ids
from bot.learn.records import Answered
from bot.learn.service import LearnService

SMALL_TALK_WORDS = 8
SMALL_TALK_CHARACTERS = 80
"""A learner's DM longer than either is a question for the lookup, even when it finds no topic."""


def register(
    app: AsyncApp, service: LearnService, after_ack: AfterAck, dedupe: EventDedupe, responder: Responder
) -> None:
    respond_with = responder.respond_with

    async def handle_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        reply, answered = await service.answer(action_value(action), user_of(body))
        await ack()
        after_ack(respond_with(respond, body, reply))
        if answered is not None:
            after_ack(_redraw(service, answered, body, respond, responder))

    async def handle_hint(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        reply = await service.hint(action_value(action), user_of(body))
        await ack()
        after_ack(respond_with(respond, body, reply))

    async def handle_opt_out(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        reply = await service.opt_out(user_of(body))
        await ack()
        after_ack(respond_with(respond, body, reply))

    async def handle_forget(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        reply = await service.forget_button(user_of(body))
        await ack()
        after_ack(respond_with(respond, body, reply, replace_original=is_ephemeral(body)))

    async def handle_undo_stop(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        reply = await service.undo_stop(user_of(body))
        await ack()
        after_ack(respond_with(respond, body, reply, replace_original=is_ephemeral(body)))

    async def handle_share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        after_ack(_share(service, user_of(body), body, respond, responder))

    async def handle_joined(event: dict[str, Any]) -> None:
        after_ack(service.joined(str(event.get("user") or ""), str(event.get("channel") or "")))

    app.action(ids.LEARN_ANSWER_PATTERN)(handle_answer)
    app.action(ids.LEARN_HINT_PATTERN)(handle_hint)
    app.action(ids.LEARN_OPT_OUT)(handle_opt_out)
    app.action(ids.LEARN_FORGET)(handle_forget)
    app.action(ids.LEARN_UNDO_STOP)(handle_undo_stop)
    app.action(ids.LEARN_SHARE)(handle_share)
    app.event("member_joined_channel", middleware=[dedupe.middleware])(handle_joined)


def register_small_talk(
    app: AsyncApp, service: LearnService, after_ack: AfterAck, dedupe: EventDedupe
) -> None:
    """A learner's short text in the DM that names no topic ("thanks!", "how long will this take?") gets
    one line about the path. Register before /compare, which answers every other DM as a lookup."""

    async def small_talk(event: dict[str, Any]) -> bool:
        if event.get("channel_type") != "im" or event.get("subtype") or written_by_a_bot(event):
            return False
        text = str(event.get("text") or "")
        if len(text) > SMALL_TALK_CHARACTERS or len(text.split()) > SMALL_TALK_WORDS:
            return False  # a longer message is a question: the lookup answers it, even without a topic
        return finds_nothing(text) and await service.on_path(str(event.get("user") or ""))

    async def handle_small_talk(event: dict[str, Any], say: AsyncSay) -> None:
        after_ack(_say(say, service.small_talk(str(event.get("user") or ""))))

    app.event("message", matchers=[small_talk], middleware=[dedupe.middleware])(handle_small_talk)


async def _say(say: AsyncSay, reply: Awaitable[Message]) -> None:
    await say(**(await reply).as_kwargs())


async def _redraw(
    service: LearnService,
    answered: Answered,
    body: dict[str, Any],
    respond: AsyncRespond,
    responder: Responder,
) -> None:
    day = await service.redrawn(answered)
    if day is not None:
        await responder.respond_with(respond, body, day, replace_original=True)
    await service.after_answer(answered)


async def _share(
    service: LearnService, user: str, body: dict[str, Any], respond: AsyncRespond, responder: Responder
) -> None:
    await responder.respond_with(respond, body, await service.share(user))
