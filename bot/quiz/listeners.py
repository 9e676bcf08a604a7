"""The quiz's buttons and its schedule form: parse what Slack sent, call `QuizService`, reply.

An answer button records the answer before it acknowledges the click: once Slack shows the click as taken,
the answer is in the database. (/quiz itself is a table: `bot.quiz.commands`.)
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.core.after_ack import AfterAck
from bot.core.slack.respond import Responder
from bot.quiz import ids
from bot.quiz.service import QuizService


def register_answer(app: AsyncApp, service: QuizService, later: AfterAck, responder: Responder) -> None:
    """The answer buttons alone, to be registered right after /compare: hundreds of people answer one post
    within a second, and each listener Bolt tries before the right one is time before their acks."""

    async def handle_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        reply = await service.answer(str(action.get("value") or ""), _user(body), _channel(body))
        await ack()
        later(_answer_later(reply, body, respond, responder))

    app.action(ids.QUIZ_ANSWER_PATTERN)(handle_answer)


def register(app: AsyncApp, service: QuizService, later: AfterAck, responder: Responder) -> None:
    """Everything else of the quiz: hints, practice and the schedule form (/quiz is a table)."""

    async def handle_practice_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply, replace = service.practice_answer(str(action.get("value") or ""))
        later(responder.respond_with(respond, body, reply, replace_original=replace))

    async def handle_practice_next(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        same_topic = action.get("action_id") == ids.PRACTICE_NEXT_TOPIC
        reply = service.next_practice(str(action.get("value") or ""), same_topic=same_topic)
        later(responder.respond_with(respond, body, reply, replace_original=True))

    async def handle_practice_topic(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        later(responder.respond_with(respond, body, service.practice_topic(str(action.get("value") or ""))))

    async def handle_hint(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        value = str(action.get("value") or "")
        if action.get("action_id") == ids.PRACTICE_HINT:
            reply = service.practice_hint(value)
        else:
            reply = await service.hint(value, _user(body), _channel(body))
        later(responder.respond_with(respond, body, reply))

    async def handle_schedule_form(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = _user(body)
        form = await service.check_form(user, (view.get("state") or {}).get("values") or {})
        if isinstance(form, dict):
            await ack(response_action="errors", errors=form)
            return
        await ack()
        later(service.save_form(user, form))

    app.view(ids.QUIZ_SCHEDULE_FORM)(handle_schedule_form)
    app.action(ids.PRACTICE_ANSWER_PATTERN)(handle_practice_answer)
    app.action(ids.PRACTICE_NEXT)(handle_practice_next)
    app.action(ids.PRACTICE_NEXT_TOPIC)(handle_practice_next)
    app.action(ids.QUIZ_HINT)(handle_hint)
    app.action(ids.PRACTICE_TOPIC)(handle_practice_topic)
    app.action(ids.PRACTICE_HINT)(handle_hint)


async def _answer_later(
    reply: Any, command: dict[str, Any], respond: AsyncRespond, responder: Responder
) -> None:
    message = await reply
    if message is not None:
        await responder.respond_with(respond, command, message)


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _channel(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
