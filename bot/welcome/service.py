"""The welcome for greetings, and the one welcome in each person's new DM with the bot."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.clock import Clock
from bot.core.commands import CommandTable
from bot.core.logs import pseudonym
from bot.core.message import Message
from bot.core.slack.calls import SlackFailure, slack_call, surely_not_done
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.welcome.blocks import render_welcome

if TYPE_CHECKING:
    from bot.welcome import queries
else:
    queries = LazyQueries("bot.welcome.queries")

log = logging.getLogger(__name__)


class WelcomeService:
    def __init__(
        self, database: Database, client: AsyncWebClient, clock: Clock, commands: Sequence[CommandTable]
    ) -> None:
        """`commands`: every slash command, for the welcome's "Things to try"."""
        self._db = database
        self._client = client
        self._clock = clock
        self._commands = [(table.example, table.description) for table in commands]

    def greeting(self, *, in_dm: bool) -> Message:
        """The answer to "hi", "help", "what can you do?"."""
        return render_welcome(self._commands, content.featured_topics(), in_dm=in_dm)

    async def first_visit(self, user: str, channel: str) -> None:
        """The person opened the bot's DM (its Messages tab): welcome them there, the first time only.

        The welcome is claimed before it is posted, so two processes never both send it. If Slack surely
        did not take it, the claim is dropped and the next visit tries again; if it may have (a 5xx, a
        timeout), the claim stands: better no welcome than two."""
        try:
            first = await self._db.write(queries.claim, user, self._clock.now())  # once per person
        except StoreUnavailable as error:
            log.warning(
                "could not check whether %s was welcomed (%s); not welcoming now", pseudonym(user), error
            )
            return
        if not first:
            return
        message = render_welcome(self._commands, content.featured_topics(), first_time=True)
        try:
            await slack_call(self._client.chat_postMessage, channel=channel or user, **message.as_kwargs())
        except SlackFailure as error:
            log.warning("could not send the welcome to a new DM: %s", error.reason)
            if surely_not_done(error):
                try:
                    await self._db.write(queries.forget, user)  # the next visit tries again
                except StoreUnavailable as lost:
                    log.warning(
                        "%s will not be welcomed (the database is unavailable: %s)", pseudonym(user), lost
                    )
