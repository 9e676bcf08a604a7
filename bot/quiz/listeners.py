"""/quiz and the quiz buttons: parse what Slack sent, call `QuizService`, reply.

Reads answer inside the ack. Subcommands for managers ask Slack first (permissions), so they ack at
once and answer through the response_url. An answer button records the answer before it acknowledges
the click: once Slack shows the click as taken, the answer is in the database.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.core import ids
from bot.core.after_ack import AfterAck
from bot.core.slack.respond import respond_with
from bot.core.subcommands import UsageError
from bot.core.text import escape
from bot.quiz.blocks.personal import render_notice
from bot.quiz.commands import QUIZ
from bot.quiz.service import QuizRequest, QuizService


def register(app: AsyncApp, service: QuizService, later: AfterAck) -> None:
    async def handle_quiz(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        try:
            sub, arguments = QUIZ.parse(str(command.get("text") or ""))
        except UsageError as error:
            await ack(response_type="ephemeral", **render_notice(escape(str(error))).as_kwargs())
            return
        channel, where = str(command.get("channel_id") or ""), str(command.get("channel_name") or "")
        in_dm = channel.startswith("D") or where == "directmessage" or where.startswith("mpdm-")
        request = QuizRequest(user=str(command.get("user_id") or ""), channel=channel, in_dm=in_dm)
        if sub.manager_only:
            await ack()
            later(_answer_later(service.run(sub, request, arguments), command, respond))
            return
        reply = await service.run(sub, request, arguments)
        await ack(response_type="ephemeral", **reply.as_kwargs())

    async def handle_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        channel = str(
            (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
        )
        reply = await service.answer(str(action.get("value") or ""), _user(body), channel)
        await ack()
        later(_answer_later(reply, body, respond))

    async def handle_practice_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply, replace = service.practice_answer(str(action.get("value") or ""))
        later(respond_with(respond, body, reply, replace_original=replace))

    async def handle_practice_next(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = service.next_practice(str(action.get("value") or ""))
        later(respond_with(respond, body, reply, replace_original=True))

    app.command(QUIZ.command)(handle_quiz)
    app.action(ids.QUIZ_ANSWER_PATTERN)(handle_answer)
    app.action(ids.PRACTICE_ANSWER_PATTERN)(handle_practice_answer)
    app.action(ids.PRACTICE_NEXT)(handle_practice_next)


async def _answer_later(reply: Any, command: dict[str, Any], respond: AsyncRespond) -> None:
    await respond_with(respond, command, await reply)


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")
