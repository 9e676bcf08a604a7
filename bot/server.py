"""HTTP transport: an aiohttp server in front of the Bolt app.

The request path checks the signature first (401, reaching no listener), then parses the body (400 for
anything malformed), and only then hands a well-formed request to Bolt. Bolt's own verification is off
because it would repeat the same HMAC on every request.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from bot.app import BotApp

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 256 * 1024  # Slack's payloads are a few KB; anything this large is not from Slack.


def build_web_app(bot: BotApp, signing_secret: str | None) -> web.Application:
    """The HTTP endpoints; without a signing secret (Socket Mode) only the health check."""
    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_get(HEALTH_PATH, _health_handler(bot))
    if signing_secret is not None:
        web_app.router.add_post(EVENTS_PATH, _slack_handler(bot, SignatureVerifier(signing_secret)))
    return web_app


def _health_handler(bot: BotApp) -> Any:
    async def handle_health(_: web.Request) -> web.Response:
        return web.json_response(await bot.health())

    return handle_health


def _slack_handler(bot: BotApp, verifier: SignatureVerifier) -> Any:

    async def handle_slack(request: web.Request) -> web.Response:
        raw = await request.read()
        if not verifier.is_valid_request(raw, dict(request.headers)):
            return web.json_response({"error": "invalid signature"}, status=401)
        bolt_request = _parse(raw, request)
        if bolt_request is None:
            return web.json_response({"error": "malformed request body"}, status=400)
        bolt_response = await bot.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return handle_slack


def _parse(raw: bytes, request: web.Request) -> AsyncBoltRequest | None:
    """A Bolt request for a well-formed Slack body, or None.

    Bolt reads fields out of the body while building the request; on a body no Slack sends (a JSON list,
    a `payload` that is not an object, fields of the wrong type) that raises, so it is checked first and
    any remaining shape error while building is a 400 as well.
    """
    try:
        text = raw.decode("utf-8")
        if not _well_formed(parse_body(text, request.content_type)):
            return None
        return AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))  # type: ignore[arg-type]
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


OBJECT_FIELDS = ("event", "container", "message", "view", "user", "channel", "team", "enterprise", "state")
OBJECT_LIST_FIELDS = ("actions", "authorizations")


def _well_formed(body: Any) -> bool:
    """Slack sends a JSON object (events, interactivity) or form fields (commands), whose nested parts are
    objects or lists of objects; Bolt relies on those shapes before any listener runs."""
    if not isinstance(body, dict) or not body:
        return False
    objects_ok = all(isinstance(body.get(name), dict | None) for name in OBJECT_FIELDS)
    lists_ok = all(
        body.get(name) is None
        or (isinstance(body[name], list) and all(isinstance(x, dict) for x in body[name]))
        for name in OBJECT_LIST_FIELDS
    )
    return objects_ok and lists_ok


async def serve_http(bot: BotApp, port: int, signing_secret: str | None) -> None:
    """Serve until cancelled (the caller turns SIGTERM/SIGINT into cancellation)."""
    runner = await start_http(bot, port, signing_secret)
    try:
        await bot.start()
        await asyncio.Event().wait()
    finally:
        await bot.stop()
        await runner.cleanup()


async def start_http(
    bot: BotApp, port: int, signing_secret: str | None, host: str = "0.0.0.0"
) -> web.AppRunner:
    runner = web.AppRunner(build_web_app(bot, signing_secret), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port, backlog=1024).start()
    paths = f"POST {EVENTS_PATH}, GET {HEALTH_PATH}" if signing_secret else f"GET {HEALTH_PATH}"
    log.info("listening on port %d (%s)", runner.addresses[0][1], paths)
    return runner
