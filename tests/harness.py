"""Run the bot the way `python -m bot` does — real HTTP server or real Socket Mode connection — in a thread.

The bot gets its own event loop, so tests talk to it only over the network: signed HTTP requests to its
server, Socket Mode envelopes through the fake Slack, and assertions on what reached the fake.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.app import BotApp, create_app
from bot.core.clock import Clock
from bot.serve import serving
from bot.settings import BotSettings, load_settings
from bot.transport.guard import HttpLimits
from slackfake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from slackfake.requests import (
    event_body,
    form_body,
    interactive_body,
    post_signed,
)

T = TypeVar("T")


def bot_settings(fake: FakeSlack, tmp_path: Path, *, socket: bool = False, **env: str) -> BotSettings:
    """Settings as a user's `.env` would give them, pointed at the fake Slack."""
    environ = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/data/bot.db",
        "PORT": "0",
        "QUIZ_POLL_INTERVAL": "50ms",  # tests tick much faster than the 5 s default
        **({"SLACK_APP_TOKEN": APP_TOKEN} if socket else {}),
        **env,
    }
    return load_settings(environ, cwd=tmp_path)


class RunningBot:
    """One bot process's worth of app, server and background work, on a private event loop."""

    def __init__(
        self,
        settings: BotSettings,
        *,
        clock: Clock | None = None,
        client: AsyncWebClient | None = None,
        http_limits: HttpLimits | None = None,
        open_retry_delays: tuple[float, float] | None = None,
    ):
        self.settings = settings
        self._clock = clock
        self._client = client
        self._http_limits = http_limits
        self._open_retry_delays = open_retry_delays
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bot", daemon=True)
        self.bot: BotApp | None = None
        self._serving: AbstractAsyncContextManager[int] | None = None
        self.port = 0

    def __enter__(self) -> RunningBot:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        self.run(self._start())

    def stop(self) -> None:
        if self._thread.is_alive():
            self.run(self._stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the bot's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _start(self) -> None:
        self.bot = create_app(self.settings, self._client, clock=self._clock)
        if self._open_retry_delays is not None:
            self.bot.open_retry_delays = self._open_retry_delays
        self._serving = serving(self.bot, self.settings.core, host="127.0.0.1", http_limits=self._http_limits)
        self.port = await self._serving.__aenter__()

    async def _stop(self) -> None:
        assert self._serving is not None
        await self._serving.__aexit__(None, None, None)
        # Listener work still under way (Bolt runs it after the ack) is cancelled, not left to the loop's end.
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    # Signed requests, as Slack sends them.
    def command(self, fields: Mapping[str, str], **options: Any) -> tuple[int, Any]:
        return self.post(form_body(fields), content_type="application/x-www-form-urlencoded", **options)

    def interact(self, payload: Mapping[str, Any], **options: Any) -> tuple[int, Any]:
        return self.post(
            interactive_body(payload), content_type="application/x-www-form-urlencoded", **options
        )

    def event(self, body: Mapping[str, Any], **options: Any) -> tuple[int, Any]:
        return self.post(event_body(body), content_type="application/json", **options)

    def post(
        self, body: str, *, content_type: str, secret: str = SIGNING_SECRET, **options: Any
    ) -> tuple[int, Any]:
        return post_signed(self.events_url, body, secret, content_type=content_type, **options)
