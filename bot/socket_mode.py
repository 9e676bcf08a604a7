"""Socket Mode transport: no public URL; the connection is opened through SLACK_API_URL."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import BotApp
from bot.server import start_http

log = logging.getLogger(__name__)


async def serve_socket_mode(bot: BotApp, app_token: str, port: int) -> None:
    """Connect and serve until cancelled; GET /healthz stays available on `port`."""
    runner = await start_http(bot, port, signing_secret=None)
    handler = await connect_socket_mode(bot, app_token)
    try:
        await bot.start()
        await asyncio.Event().wait()
    finally:
        await bot.stop()
        await handler.close_async()
        await runner.cleanup()


async def connect_socket_mode(bot: BotApp, app_token: str) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(bot.bolt, app_token, web_client=bot.services.client)
    await handler.connect_async()
    log.info("connected to Slack over Socket Mode")
    return handler
