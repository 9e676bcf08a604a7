"""Socket Mode transport: no public URL; the connection is opened through SLACK_API_URL.

The WebSocket handshake is bounded (`HANDSHAKE_TIMEOUT`): slack_sdk opens it on a session of its own whose
only bound is aiohttp's default of five minutes, so a Slack endpoint that takes the connection and never
answers would hold the bot's start (or a reconnect) that long. Given up, slack_sdk tries again a few seconds
later. The bound covers the handshake alone; the open connection is watched by slack_sdk's pings.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.errors import SHAPE_ERRORS
from bot.transport import Servable
from bot.transport.verify import is_rate_limit_notice, is_well_formed

log = logging.getLogger(__name__)
HANDSHAKE_TIMEOUT = 10.0
"""Seconds for the WebSocket handshake, connecting included: as long as any Web API call may take."""


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Every envelope is acknowledged exactly once, whatever it holds.

    Payloads that are not Slack's shape are refused before Bolt sees them, as the HTTP server does, and
    an envelope no listener takes still gets its (empty) ack, so Slack does not deliver it again.
    """

    def __init__(
        self,
        app: AsyncApp,
        app_token: str,
        *,
        web_client: AsyncWebClient,
        handshake_timeout: float = HANDSHAKE_TIMEOUT,
    ) -> None:
        super().__init__(app, app_token, web_client=web_client)
        self._unbounded = self.client.aiohttp_client_session
        bound = aiohttp.ClientTimeout(total=handshake_timeout)
        self.client.aiohttp_client_session = aiohttp.ClientSession(timeout=bound)
        # slack_sdk turns each envelope into a SocketModeRequest, which raises on a payload that is neither
        # an object nor a string (a JSON list, a number, null): the envelope would reach no handler and
        # never be acked. Message listeners see the raw envelope first; this one makes any payload that is
        # not an object an empty one, which `handle` then refuses and acks like any shape Slack would not
        # send.
        self.client.message_listeners.append(_empty_odd_payload)

    async def connect_async(self) -> None:
        await self._unbounded.close()  # slack_sdk's own session, replaced before it opened anything
        await super().connect_async()

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        started = time.time()
        response = await self._dispatch(req)
        if response is None or response.status != 200:
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await send_async_response(client, req, response, started)

    async def _dispatch(self, req: SocketModeRequest) -> BoltResponse | None:
        if is_well_formed(req.payload):
            if is_rate_limit_notice(req.payload):
                return None
            try:
                return await run_async_bolt_app(self.app, req)
            except SHAPE_ERRORS:  # a shape Bolt itself trips over, even in its error handling
                pass
        log.warning("refused a %s envelope Slack would not send", req.type)
        return None


async def _empty_odd_payload(_client: Any, message: dict[str, Any], _raw: str) -> None:
    if "envelope_id" in message and not isinstance(message.get("payload"), dict):
        message["payload"] = {}


async def connect_socket_mode(bot: Servable, app_token: str) -> AsyncSocketModeHandler:
    handler = CheckedSocketModeHandler(bot.bolt, app_token, web_client=bot.client)
    await handler.connect_async()
    log.info("connected to Slack over Socket Mode")
    return handler
