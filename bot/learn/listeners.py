"""The learning path's buttons and `member_joined_channel`: read what Slack sent, call `LearnService`,
reply (/learn itself is a table: `bot.learn.commands`).

An answer is recorded before the click is acknowledged; the private feedback and the redrawn DM follow the
ack through the response_url.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.core.after_ack import AfterAck
from bot.core.events import EventDedupe
from bot.core.slack.payloads import action_value, is_ephemeral, user_of
from bot.core.slack.respond import Responder
from bot.learn import ids
from bot.learn.records import Answered
from bot.learn.service import LearnService


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

    async def handle_share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        after_ack(_share(service, user_of(body), body, respond, responder))

    async def handle_joined(event: dict[str, Any]) -> None:
        after_ack(service.joined(str(event.get("user") or ""), str(event.get("channel") or "")))

    app.action(ids.LEARN_ANSWER_PATTERN)(handle_answer)
    app.action(ids.LEARN_HINT_PATTERN)(handle_hint)
    app.action(ids.LEARN_OPT_OUT)(handle_opt_out)
    app.action(ids.LEARN_FORGET)(handle_forget)
    app.action(ids.LEARN_SHARE)(handle_share)
    app.event("member_joined_channel", middleware=[dedupe.middleware])(handle_joined)


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
