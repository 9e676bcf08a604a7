"""HTTP transport: an aiohttp server in front of the Bolt app.

The request path reads the body within its bound (408 if it does not arrive in time, 413 if it is larger
than anything Slack sends), checks the signature (401, reaching no listener), then parses the body (400
for anything malformed), and only then hands a well-formed request to Bolt. Bolt's own verification is off
because it would repeat the same HMAC on every request.

The server is aiohttp's low-level one under `GuardedServer` (bot.transport.guard), which bounds how long
a client may take to send a request and how many connections may be open at once; three paths need no
router: `POST /slack/events`, `GET /healthz` (liveness) and `GET /readyz` (readiness).
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import time
from collections.abc import Mapping

from aiohttp import StreamReader, web
from aiohttp.web_request import BaseRequest
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.core.slack.errors import SHAPE_ERRORS
from bot.transport import Servable
from bot.transport.guard import GuardedServer, Handler, HttpLimits
from bot.transport.verify import SlackSignature, is_rate_limit_notice, is_well_formed

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
MAX_BODY_BYTES = 256 * 1024  # Slack's payloads are a few KB; anything this large is not from Slack.
INTERACTION_FIELD = b"payload="


class _BodyTooLarge(Exception):
    pass


def build_handler(bot: Servable, signing_secret: str | None, limits: HttpLimits) -> Handler:
    """The HTTP endpoints; without a signing secret (Socket Mode) only the health checks."""

    async def health(_: BaseRequest) -> web.StreamResponse:
        return web.json_response(await bot.health())

    async def ready(_: BaseRequest) -> web.StreamResponse:
        readiness = await bot.readiness()
        return web.json_response(readiness, status=200 if readiness.get("ready") else 503)

    routes: dict[str, dict[str, Handler]] = {
        HEALTH_PATH: {"GET": health, "HEAD": health},
        READY_PATH: {"GET": ready, "HEAD": ready},
    }
    if signing_secret is not None:
        routes[EVENTS_PATH] = {"POST": _slack_handler(bot, SlackSignature(signing_secret), limits)}

    async def handle(request: BaseRequest) -> web.StreamResponse:
        methods = routes.get(request.path)
        if methods is None:
            return web.json_response({"error": "not found"}, status=404)
        endpoint = methods.get(request.method)
        if endpoint is None:
            return web.json_response(
                {"error": "method not allowed"}, status=405, headers={"Allow": ", ".join(methods)}
            )
        return await endpoint(request)

    return handle


def _slack_handler(bot: Servable, signature: SlackSignature, limits: HttpLimits) -> Handler:
    async def handle_slack(request: BaseRequest) -> web.StreamResponse:
        try:
            raw = await _read_body(request, limits.body_timeout)
        except TimeoutError:
            return _closing(web.json_response({"error": "request body too slow"}, status=408))
        except _BodyTooLarge:
            return _closing(web.json_response({"error": "request body too large"}, status=413))
        headers = request.headers
        if not signature.is_signed(raw, headers, time.time()):
            return web.json_response({"error": "invalid signature"}, status=401)
        bolt_request = bolt_request_of(raw, request.query_string, dict(headers))
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


async def _read_body(request: BaseRequest, timeout: float) -> bytes:
    """The whole body, at most MAX_BODY_BYTES, within `timeout` (TimeoutError) of the request head."""
    declared = request.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise _BodyTooLarge
    if request.headers.get("Expect", "").lower() == "100-continue" and request.version >= (1, 1):
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # curl asks before a large body
    content = request.content
    if content.is_eof():  # it came with the head, as Slack's small bodies do: nothing to wait for
        return await _read_all(content)
    async with asyncio.timeout(timeout):
        return await _read_all(content)


async def _read_all(content: StreamReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await content.readany():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _closing(response: web.Response) -> web.Response:
    """A response after which the connection closes (the rest of the body is not worth reading)."""
    response.force_close()
    return response


def bolt_request_of(raw: bytes, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest | None:
    """A Bolt request for a well-formed Slack body, or None.

    Bolt parses the body once, while building the request, and reads fields out of it as it does; on a
    body no Slack sends (a JSON list, a `payload` that is not an object, fields of the wrong type, JSON
    nested deeper than Python's recursion limit) that raises, or it yields a shape a listener would trip
    over later. Either way the answer is a 400. An interaction reaches Bolt as its JSON (`interaction_json`),
    which Bolt reads as it reads an event's.
    """
    try:
        body = interaction_json(raw) or raw.decode("utf-8")
        bolt_request = AsyncBoltRequest(body=body, query=query, headers=headers)  # type: ignore[arg-type]
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
        return None
    return bolt_request if is_well_formed(bolt_request.body) else None


def interaction_json(raw: bytes) -> str | None:
    """The JSON object of an interaction's form body (`payload=` and the percent-encoded JSON, the whole
    message a button is on included), or None for any other body, which Bolt decodes itself.

    The standard library unquotes each %XX in Python, the largest cost of an answer click (see
    bench/results.json, `click_burst.parse`); here every %XX becomes \\xXX for the C unescaper, which gives
    the same text. A body it might read otherwise takes Bolt's way: a second field, a byte that is not
    form-encoded (a backslash, anything not ASCII), a broken escape (ValueError), or JSON not an object.
    """
    if not raw.startswith(INTERACTION_FIELD) or b"&" in raw or b"\\" in raw or not raw.isascii():
        return None
    escaped = raw[len(INTERACTION_FIELD) :].replace(b"+", b" ").replace(b"%", b"\\x")
    try:
        text = codecs.escape_decode(escaped)[0].decode("utf-8", "replace")
    except ValueError:
        return None
    return text if text.startswith("{") else None


async def start_http(
    bot: Servable,
    port: int,
    signing_secret: str | None,
    host: str = "0.0.0.0",
    *,
    limits: HttpLimits | None = None,
) -> web.BaseRunner:
    limits = limits or HttpLimits()
    server = GuardedServer(build_handler(bot, signing_secret, limits), limits, access_log=None)
    runner = web.ServerRunner(server, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port, backlog=limits.backlog).start()
    paths = f"GET {HEALTH_PATH}, GET {READY_PATH}"
    if signing_secret:
        paths = f"POST {EVENTS_PATH}, {paths}"
    log.info("listening on port %d (%s)", runner.addresses[0][1], paths)
    return runner
