"""The one serve lifecycle: transport up, then the bot's background work; the reverse on the way out.

`python -m bot`, the test harness and the benchmarks all run the bot through `serving`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.app import BotApp
from bot.core.settings import Settings
from bot.transport.guard import HttpLimits
from bot.transport.http import start_http
from bot.transport.socket_mode import connect_socket_mode

log = logging.getLogger(__name__)


@asynccontextmanager
async def serving(
    bot: BotApp, settings: Settings, *, host: str = "0.0.0.0", http_limits: HttpLimits | None = None
) -> AsyncIterator[int]:
    """Serve `bot` on `settings.port` (HTTP, or the health checks beside Socket Mode); yields the port bound.

    `http_limits` bounds slow and numerous HTTP clients (the defaults of `HttpLimits` unless given)."""
    async with AsyncExitStack() as stack:
        secret = None if settings.socket_mode else settings.slack_signing_secret
        runner = await start_http(bot, settings.port, secret, host=host, limits=http_limits)
        stack.push_async_callback(runner.cleanup)
        if settings.slack_app_token is not None:
            handler = await connect_socket_mode(bot, settings.slack_app_token)
            stack.push_async_callback(handler.close_async)
        stack.push_async_callback(bot.stop)
        await bot.start()
        yield runner.addresses[0][1]


async def serve_forever(bot: BotApp, settings: Settings) -> None:
    """Serve until cancelled (`python -m bot` turns SIGTERM/SIGINT into cancellation)."""
    async with serving(bot, settings):
        settling = asyncio.get_running_loop().call_later(SETTLE_AFTER, settle_startup_heap)
        try:
            await asyncio.Event().wait()
        finally:
            settling.cancel()


SETTLE_AFTER = 5.0
"""Seconds after the server is up before the start-up heap is settled: its one full collection stops the
event loop for tens of milliseconds, which the first requests after a restart should not wait for
(`make bench`'s cold start). The database has opened by then, so its modules are settled too."""


def settle_startup_heap() -> None:
    """Keep what startup built (modules, content, Bolt, SQLAlchemy: most of the heap) out of garbage
    collection, and turn collection on (`python -m bot` starts with it off). A full collection otherwise
    walks all of it now and then in the middle of a request, which showed as the bot's p99 latency and
    cost about a sixth of its requests/s (`make bench`)."""
    gc.collect()
    gc.freeze()
    gc.enable()
