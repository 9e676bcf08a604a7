"""`create_app`: builds the Bolt app and every feature from one `Settings`, by constructor injection.

The only module that knows every feature; features know the shared pieces in `bot.core` and nothing above.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot import compare, home, learn, quiz, welcome
from bot.core.after_ack import AfterAck
from bot.core.background import Background
from bot.core.clock import Clock, SystemClock
from bot.core.commands import CommandTable, register_commands
from bot.core.events import EventDedupe
from bot.core.managers import Managers
from bot.core.slack import errors, fallbacks
from bot.core.slack.audience import ChannelAudience
from bot.core.slack.authorize import TokenAuthorize
from bot.core.slack.client import build_client, share_connections
from bot.core.slack.pacing import Pacer
from bot.core.slack.people import People
from bot.core.slack.respond import HOOKS_ORIGIN, Responder
from bot.core.store.database import Database, StoreUnavailable
from bot.learn.commands import learn_commands
from bot.learn.curriculum import path_curriculum
from bot.learn.path import LearningPath
from bot.learn.scheduler import LearnScheduler
from bot.learn.service import LearnService
from bot.quiz.answers import Answers
from bot.quiz.channels import ChannelQuizzes
from bot.quiz.commands import quiz_commands
from bot.quiz.engine import QuizEngine
from bot.quiz.held_back import HeldBack
from bot.quiz.practice import Practice
from bot.quiz.progress import Progress
from bot.settings import BotSettings

log = logging.getLogger(__name__)
BOLT_LOG = logging.getLogger("bot.bolt")
# Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client we pass wins;
# that client already carries the same token, so the warning would only mislead operators.
BOLT_LOG.addFilter(lambda record: record.getMessage() != warning_client_prioritized_and_token_skipped())
OPEN_RETRY_DELAYS = (1.0, 30.0)
"""Pauses between attempts to open a database that was out of reach at start: the first, doubled after each
failed attempt, up to the second."""


@dataclass
class BotApp:
    """Everything one bot process runs; `bot.serve` starts and stops it around a transport."""

    bolt: AsyncApp
    client: AsyncWebClient
    database: Database
    after_ack: AfterAck
    mode: str
    background: list[Background] = field(default_factory=list)
    """Loops that run once the database is open (the quiz scheduler, live counts, the learning path)."""
    warm_ups: list[Callable[[], None]] = field(default_factory=list)
    """What prepares itself in the background once the transport is up (the lookup's index)."""
    pacer: Pacer | None = None
    commands: dict[str, CommandTable] = field(default_factory=dict)
    """Every slash command's table, by command (`/compare`…)."""
    open_retry_delays: tuple[float, float] = OPEN_RETRY_DELAYS
    _connections: ClientSession | None = field(default=None, repr=False)
    _opening: asyncio.Task[None] | None = field(default=None, repr=False)

    async def start(self) -> None:
        """Open the database and start the background loops, once the transport is up.

        A database out of reach does not stop the bot: what needs none (/compare, mentions, DMs) answers,
        what does says "try again in a moment", and the database is tried again in the background until
        it opens; the loops start then.
        """
        for warm_up in self.warm_ups:
            warm_up()
        self._connections = share_connections(self.client)
        # Replies that listeners send (say, chat.postMessage) reuse the same keep-alive connections.
        self.bolt.client.session = self._connections
        first, _ = self.open_retry_delays
        if await self._open_database(retry_in=first):
            self._start_background()
        else:
            self._opening = asyncio.create_task(self._keep_opening(), name="database-open")

    def _start_background(self) -> None:
        for loop in self.background:
            loop.start()

    async def _open_database(self, *, retry_in: float) -> bool:
        try:
            await self.database.open()
        except StoreUnavailable as error:
            log.warning("cannot open the database (%s); trying again in %g s", error, retry_in)
            return False
        return True

    async def _keep_opening(self) -> None:
        delay, longest = self.open_retry_delays
        while True:
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)
            if await self._open_database(retry_in=delay):
                log.info("database open; the background loops start")
                self._start_background()
                return

    async def stop(self) -> None:
        """Stop the loops; replies already under way get a moment to reach Slack."""
        if self._opening is not None:
            self._opening.cancel()
            await asyncio.gather(self._opening, return_exceptions=True)
        for loop in self.background:
            await loop.stop()
        await self.after_ack.finish()
        if self._connections is not None:
            await self._connections.close()
        await self.database.close()

    async def health(self) -> dict[str, Any]:
        """Liveness: 200 whenever the process serves; the database as last seen (see `readiness`)."""
        return {
            "ok": True,
            "mode": self.mode,
            "topics": len(content.topics()),
            "database": self.database.state,
        }

    async def readiness(self) -> dict[str, Any]:
        """Ready when the database answers a trivial query within its short bound."""
        try:
            await self.database.ping()
        except StoreUnavailable:
            return {"ready": False, "database": "unavailable"}
        return {"ready": True, "database": "ok"}


def create_app(
    settings: BotSettings, client: AsyncWebClient | None = None, *, clock: Clock | None = None
) -> BotApp:
    content.load()  # fail fast on broken content, and pay the parsing cost before the first request
    shared = settings.core
    client = client or build_client(shared)
    clock = clock or SystemClock()
    # One pacer for everything this process posts; a 429 on any call pauses it (see pacing.py).
    pacer = Pacer(shared.pacing.posts_per_minute, updates_per_minute=shared.pacing.updates_per_minute)
    pacer.attach(client)
    bolt = AsyncApp(
        name="mlops-devops-bot",  # unnamed, Bolt reads its caller's source off the stack (50 ms at start)
        # Bolt gives each request a copy of this client (URL, timeout, retries) with the token `authorize`
        # returns; authorizing never waits for Slack, so commands answer even while Slack is away.
        client=AsyncWebClient(
            base_url=client.base_url, timeout=client.timeout, retry_handlers=client.retry_handlers
        ),
        authorize=TokenAuthorize(client, clock),
        signing_secret=shared.slack_signing_secret or "socket-mode",
        # The HTTP server verifies signatures itself before parsing; Socket Mode needs none.
        request_verification_enabled=False,
        # Listeners finish before the response goes out: the answer rides in the ack with no polling
        # delay, and whatever talks to Slack after the ack goes through `AfterAck`.
        process_before_response=True,
        logger=BOLT_LOG,
    )
    after_ack = AfterAck(clock)
    database = Database(shared.database_url)
    instance_id = uuid.uuid4().hex[:12]
    managers = Managers(client, shared.managers)
    # response_urls are followed only to Slack's hooks host, or to SLACK_API_URL's origin (a local fake).
    responder = Responder(
        client, allowed=(HOOKS_ORIGIN, shared.slack_api_url), timeout=client.timeout, clock=clock
    )

    engine = QuizEngine(
        database, client, clock, settings.quiz, shared.scheduler, instance_id=instance_id, pacer=pacer
    )
    answers = Answers(database, client, clock, engine.poster)
    progress = Progress(database, clock)
    audience = ChannelAudience(client)
    practice = Practice(HeldBack(database, audience, clock, settings.quiz))
    channels = ChannelQuizzes(
        database, engine, managers, People(client), audience, client, clock, settings.quiz
    )

    path = LearningPath(
        database,
        client,
        clock,
        settings.learn,
        pacer,
        instance_id,
        shared.scheduler.claim_lease,
        path_curriculum(content.questions(), settings.learn.topics),
    )
    learn_sender = LearnScheduler(
        database,
        client,
        clock,
        path,
        shared.scheduler,
        instance_id,
        posts_per_minute=pacer.posts_per_minute,
    )
    learn_service = LearnService(database, path, managers, clock, settings.learn, after_ack)

    # The Home tab, in the order it shows its sections; a feature adds its own `HomeSection` here.
    app_home = home.Home(
        client,
        [
            quiz.progress_section(progress),
            learn_service.home_section,
            quiz.todays_question_section(channels, client),
            home.topic_lookup(),
            quiz.managed_quizzes_section(channels),
        ],
    )
    dedupe = EventDedupe(database, clock, after_ack)

    # Every slash command, one table each: one listener answers them all; help and the welcome read them.
    commands = [compare.COMPARE, quiz_commands(practice, progress, channels), learn_commands(learn_service)]
    # Each id has one listener; Bolt tries them in order, so the busiest go first, and where two listeners
    # take the same kind of request (greetings and /compare's DMs) the narrower one goes before.
    errors.register(bolt)
    register_commands(bolt, commands, after_ack, responder)
    quiz.register_answer(bolt, answers, after_ack, responder)  # hundreds of clicks within a second
    welcome.register(bolt, welcome.WelcomeService(database, client, clock, commands), after_ack, dedupe)
    learn.register_small_talk(bolt, learn_service, after_ack, dedupe)  # a learner's "thanks!" in the DM
    home.register(bolt, app_home, after_ack)
    compare.register(bolt, after_ack, dedupe, responder)
    quiz.register(bolt, practice, channels, answers, after_ack, responder)
    quiz.register_home(bolt, practice, channels, client, app_home.publish, after_ack)
    learn.register(bolt, learn_service, after_ack, dedupe, responder)
    fallbacks.register(bolt, after_ack, responder)  # last: only what no feature took
    return BotApp(
        bolt=bolt,
        client=client,
        database=database,
        after_ack=after_ack,
        mode="socket" if shared.socket_mode else "http",
        background=[engine.loop, answers.counts.loop, learn_sender.loop],
        warm_ups=[compare.warm_up],
        pacer=pacer,
        commands={table.command: table for table in commands},
    )
