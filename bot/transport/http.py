"""HTTP transport: an aiohttp server in front of the Bolt app.

The request path checks the signature first (401, reaching no listener, whatever the signature headers
hold), then parses the body (400 for anything malformed), and only then hands a well-formed request to
Bolt. Bolt's own verification is off because it would repeat the same HMAC on every request.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.core.slack.errors import SHAPE_ERRORS
from bot.transport import Servable
from bot.transport.shapes import is_rate_limit_notice, is_well_formed
from bot.transport.signature import SlackSignature

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
MAX_BODY_BYTES = 256 * 1024  # Slack's payloads are a few KB; anything this large is not from Slack.


def build_web_app(bot: Servable, signing_secret: str | None) -> web.Application:
    """The HTTP endpoints; without a signing secret (Socket Mode) only the health checks."""
    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_get(HEALTH_PATH, _health_handler(bot))
    web_app.router.add_get(READY_PATH, _ready_handler(bot))
    if signing_secret is not None:
        web_app.router.add_post(EVENTS_PATH, _slack_handler(bot, SlackSignature(signing_secret)))
    return web_app


def _health_handler(bot: Servable) -> Any:
    async def handle_health(_: web.Request) -> web.Response:
        return web.json_response(await bot.health())

    return handle_health


def _ready_handler(bot: Servable) -> Any:
    async def handle_ready(_: web.Request) -> web.Response:
        readiness = await bot.readiness()
        return web.json_response(readiness, status=200 if readiness.get("ready") else 503)

    return handle_ready


def _slack_handler(bot: Servable, signature: SlackSignature) -> Any:

    async def handle_slack(request: web.Request) -> web.Response:
        raw = await request.read()
        if not signature.is_signed(raw, request.headers, time.time()):
            return web.json_response({"error": "invalid signature"}, status=401)
        bolt_request = _parse(raw, request.query_string, dict(request.headers))
        if bolt_request is None:
            return web.json_response({"error": "malformed request body"}, status=400)
        if is_rate_limit_notice(bolt_request.body):
            return web.Response(status=200)
        try:
            bolt_response = await bot.bolt.async_dispatch(bolt_request)
        except SHAPE_ERRORS as error:  # a shape Bolt itself trips over, even in its error handling
            log.warning("refused a request Slack would not send (%s)", type(error).__name__)
            return web.json_response({"error": "malformed request body"}, status=400)
        return await to_aiohttp_response(bolt_response)

    return handle_slack


def _parse(raw: bytes, query: str, headers: dict[str, str]) -> AsyncBoltRequest | None:
    """A Bolt request for a well-formed Slack body, or None.

    Bolt parses the body once, while building the request, and reads fields out of it as it does; on a
    body no Slack sends (a JSON list, a `payload` that is not an object, fields of the wrong type, JSON
    nested deeper than Python's recursion limit) that raises, or it yields a shape a listener would trip
    over later. Either way the answer is a 400.
    """
    try:
        bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=query, headers=headers)  # type: ignore[arg-type]
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
        return None
    return bolt_request if is_well_formed(bolt_request.body) else None


async def start_http(
    bot: Servable, port: int, signing_secret: str | None, host: str = "0.0.0.0"
) -> web.AppRunner:
    runner = web.AppRunner(build_web_app(bot, signing_secret), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port, backlog=1024).start()
    paths = f"GET {HEALTH_PATH}, GET {READY_PATH}"
    if signing_secret:
        paths = f"POST {EVENTS_PATH}, {paths}"
    log.info("listening on port %d (%s)", runner.addresses[0][1], paths)
    return runner
