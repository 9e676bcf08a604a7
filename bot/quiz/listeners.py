"""The quiz's buttons and its schedule form: read what Slack sent, call the quiz's part that answers it,
reply. (/quiz itself is a table: `bot.quiz.commands`; the Home tab's buttons are in `bot.quiz.home`.)"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.core.after_ack import AfterAck
from bot.core.blocks import render_notice
from bot.core.replies import TRY_AGAIN
from bot.core.slack.payloads import action_value, channel_of, user_of
from bot.core.slack.respond import Responder
from bot.core.store.database import StoreUnavailable
from bot.quiz import ids
from bot.quiz.answers import Answers
from bot.quiz.channels import ChannelQuizzes
from bot.quiz.practice import Practice


def register_answer(app: AsyncApp, answers: Answers, after_ack: AfterAck, responder: Responder) -> None:
    """The answer buttons alone, to be registered right after the commands: hundreds of people answer one
    post within a second, and each listener Bolt tries before the right one is time before their acks."""

    async def handle_answer(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
        respond: AsyncRespond,
    ) -> None:
        # Bolt has read who and where already (`context`): the busiest path reads nothing twice.
        result = await answers.record(
            str(action.get("value") or ""), context.user_id or "", context.channel_id or ""
        )
        await ack()  # only now: the answer is durable (or the reply says it is not)
        # Only who and where wait with the feedback for the burst to pass: hundreds of whole messages
        # held that long would be walked by the garbage collector again and again.
        pressed_by = {key: body.get(key) for key in ("user", "channel", "container")}
        after_ack(answers.send_after_burst(result, responder, respond, pressed_by))

    app.action(ids.QUIZ_ANSWER_PATTERN)(handle_answer)


def register(
    app: AsyncApp,
    practice: Practice,
    channels: ChannelQuizzes,
    answers: Answers,
    after_ack: AfterAck,
    responder: Responder,
) -> None:
    """Everything else of the quiz: hints, practice and the schedule form."""

    async def answer_practice(body: dict[str, Any], value: str, respond: AsyncRespond) -> None:
        try:
            reply, replace = await practice.answer(value, user_of(body))
        except StoreUnavailable:
            reply, replace = render_notice(TRY_AGAIN), False
        await responder.respond_with(respond, body, reply, replace_original=replace)

    async def practise_more(
        body: dict[str, Any], value: str, respond: AsyncRespond, same_topic: bool
    ) -> None:
        try:
            reply = await practice.next(value, user_of(body), same_topic=same_topic)
        except StoreUnavailable:
            await responder.respond_with(respond, body, render_notice(TRY_AGAIN))
            return
        await responder.respond_with(respond, body, reply, replace_original=True)

    async def practise_topic(body: dict[str, Any], key: str, respond: AsyncRespond) -> None:
        try:
            reply = await practice.on_topic(user_of(body), key)
        except StoreUnavailable:
            reply = render_notice(TRY_AGAIN)
        await responder.respond_with(respond, body, reply)

    async def handle_practice_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        after_ack(answer_practice(body, action_value(action), respond))

    async def handle_practice_next(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        same_topic = action.get("action_id") == ids.PRACTICE_NEXT_TOPIC
        after_ack(practise_more(body, action_value(action), respond, same_topic))

    async def handle_practice_topic(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        after_ack(practise_topic(body, action_value(action), respond))

    async def handle_practice_hint(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        after_ack(responder.respond_with(respond, body, practice.hint(action_value(action))))

    async def handle_post_hint(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = await answers.hint(action_value(action), user_of(body), channel_of(body))
        after_ack(responder.respond_with(respond, body, reply))

    async def handle_schedule_form(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = user_of(body)
        form = await channels.check_form(user, (view.get("state") or {}).get("values") or {})
        if isinstance(form, dict):
            await ack(response_action="errors", errors=form)
            return
        await ack()
        after_ack(channels.save_form(user, form))

    app.view(ids.QUIZ_SCHEDULE_FORM)(handle_schedule_form)
    app.action(ids.PRACTICE_ANSWER_PATTERN)(handle_practice_answer)
    app.action(ids.PRACTICE_NEXT)(handle_practice_next)
    app.action(ids.PRACTICE_NEXT_TOPIC)(handle_practice_next)
    app.action(ids.PRACTICE_TOPIC)(handle_practice_topic)
    app.action(ids.PRACTICE_HINT)(handle_practice_hint)
    app.action(ids.QUIZ_HINT)(handle_post_hint)
