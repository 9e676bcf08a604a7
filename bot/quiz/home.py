"""The quiz's part of the App Home: its sections (the person's progress, where today's question is, the
quizzes they manage) and what the buttons there do. `create_app` lists the sections among the Home's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, Protocol

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.after_ack import AfterAck
from bot.core.replies import TRY_AGAIN
from bot.core.slack.calls import SlackFailure, permalink, slack_call
from bot.core.slack.payloads import action_value, trigger_of, user_of
from bot.core.store.database import StoreUnavailable
from bot.core.views import HomeSection
from bot.quiz import ids
from bot.quiz.blocks.home import (
    LINKS_MAX,
    PRACTICE_NOT_SENT,
    QuestionLink,
    practice_sent,
    render_progress,
    render_question_links,
    render_schedules,
    undo_stop_button,
)
from bot.quiz.channels import ChannelQuizzes
from bot.quiz.practice import Practice
from bot.quiz.progress import Progress

log = logging.getLogger(__name__)


class Publish(Protocol):
    """Publish a person's Home tab again with a notice on top, and a button beside it (`Home.publish`)."""

    def __call__(
        self, user: str, notice: str = "", action: dict[str, Any] | None = None
    ) -> Awaitable[None]: ...


def progress_section(progress: Progress) -> HomeSection:
    """The person's answers, right answers, streaks and weakest topic (with *Practice this*)."""

    async def section(user: str) -> list[dict[str, Any]]:
        stats, weakest = await progress.of(user)
        return render_progress(stats, weakest)

    return section


def todays_question_section(channels: ChannelQuizzes, client: AsyncWebClient) -> HomeSection:
    """A link to the question that counts of each channel with a daily quiz that the person can see: open
    or revealed, and whether they answered it."""

    async def section(user: str) -> list[dict[str, Any]]:
        quizzes = await channels.all(viewer=user)
        shown = quizzes[:LINKS_MAX]  # the rest are only counted: no permalink asked for
        links = await asyncio.gather(*(permalink(client, q.channel, q.question_ts or "") for q in shown))
        links += [None] * (len(quizzes) - len(shown))
        return render_question_links(
            [
                QuestionLink(q.channel, link, q.question_at, q.next_due, q.open_until, q.answered)
                for q, link in zip(quizzes, links, strict=True)
            ]
        )

    return section


def managed_quizzes_section(channels: ChannelQuizzes) -> HomeSection:
    """Each channel's quiz the person may change, with *Edit* and *Stop*, and *Start a daily quiz*."""

    async def section(user: str) -> list[dict[str, Any]]:
        quizzes = await channels.manageable(user, await channels.all())
        zone = await channels.zone_of(user) if quizzes else None
        return render_schedules(quizzes, zone.key if zone else None)

    return section


def register_home(
    app: AsyncApp,
    practice: Practice,
    channels: ChannelQuizzes,
    client: AsyncWebClient,
    publish: Publish,
    after_ack: AfterAck,
) -> None:
    """The quiz's buttons on the Home tab; each ends by publishing the tab again with what happened."""

    async def practise_in_dm(user: str, key: str) -> None:
        """The Home has no response_url, and a DM keeps the question's buttons working: the question goes
        there, and the tab says where it went."""
        try:
            message = await practice.on_topic(user, key)
        except StoreUnavailable:
            await publish(user, TRY_AGAIN)
            return
        try:
            posted = await slack_call(client.chat_postMessage, channel=user, **message.as_kwargs())
        except SlackFailure as error:
            log.warning("could not send a practice question to a DM: %s", error.reason)
            await publish(user, PRACTICE_NOT_SENT)
            return
        link = await permalink(client, str(posted.get("channel") or ""), str(posted.get("ts") or ""))
        topic = content.topic_or_none(key)
        await publish(user, practice_sent(topic.name if topic else None, link))

    async def stop(user: str, channel: str) -> None:
        result, stopped = await channels.stop_from_home(user, channel)
        undo = undo_stop_button(channel, await channels.name_of(channel)) if stopped else None
        await publish(user, result.text, undo)

    async def resume(user: str, channel: str) -> None:
        await publish(user, (await channels.resume_from_home(user, channel)).text)

    async def handle_practice(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        after_ack(practise_in_dm(user_of(body), action_value(action)))

    async def handle_stop(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        after_ack(stop(user_of(body), action_value(action)))

    async def handle_resume(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        after_ack(resume(user_of(body), action_value(action)))

    async def handle_edit(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        after_ack(channels.edit_from_home(user_of(body), action_value(action), trigger_of(body)))

    async def handle_start(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        after_ack(channels.start_from_home(user_of(body), trigger_of(body)))

    async def handle_open_question(ack: AsyncAck) -> None:
        await ack()  # a link: Slack opens it; the app only acknowledges the click

    app.action(ids.HOME_PRACTICE_TOPIC)(handle_practice)
    app.action(ids.HOME_OPEN_QUESTION)(handle_open_question)
    app.action(ids.QUIZ_SCHEDULE_START)(handle_start)
    app.action(ids.QUIZ_SCHEDULE_STOP)(handle_stop)
    app.action(ids.QUIZ_SCHEDULE_RESUME)(handle_resume)
    app.action(ids.QUIZ_SCHEDULE_EDIT)(handle_edit)
