"""The Home's own sections, each a `HomeSection` made from the services it reads (see `bot.home.service`)."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.home.blocks import (
    LINKS_MAX,
    QuestionLink,
    render_progress,
    render_question_links,
    render_schedules,
    render_topic_lookup,
)
from bot.home.service import HomeSection, permalink
from bot.quiz.service import QuizService


def quiz_progress(quiz: QuizService) -> HomeSection:
    """The person's answers, right answers, streaks and weakest topic (with *Practice this*)."""

    async def section(user: str) -> list[dict[str, Any]]:
        stats, weakest = await quiz.progress(user)
        return render_progress(stats, weakest)

    return section


def todays_question(quiz: QuizService, client: AsyncWebClient) -> HomeSection:
    """A link to the latest question of each channel with a daily quiz."""

    async def section(user: str) -> list[dict[str, Any]]:
        quizzes = await quiz.channel_quizzes()
        shown = quizzes[:LINKS_MAX]  # the rest are only counted: no permalink asked for
        links = await asyncio.gather(*(permalink(client, q.channel, q.latest_ts or "") for q in shown))
        links += [None] * (len(quizzes) - len(shown))
        return render_question_links(
            [
                QuestionLink(q.channel, link, q.latest_at, q.next_due)
                for q, link in zip(quizzes, links, strict=True)
            ]
        )

    return section


def topic_lookup() -> HomeSection:
    """A menu of every topic; picking one opens its card."""

    async def section(user: str) -> list[dict[str, Any]]:
        return render_topic_lookup(content.topics())

    return section


def managed_quizzes(quiz: QuizService) -> HomeSection:
    """For managers: each channel's quiz they may change, with *Edit* and *Stop*; nothing for anyone else."""

    async def section(user: str) -> list[dict[str, Any]]:
        return render_schedules(await quiz.manageable(user, await quiz.channel_quizzes()))

    return section
