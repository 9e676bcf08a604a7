"""Bare Bolt apps the bot is measured against: one listener that acks `/compare` with a short text.

Each serves `POST /slack/events` with Bolt's normal request verification on, and a tiny `GET /healthz`.
Settings come from the environment, as for the bot: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL, PORT.

    python -m bench.bare_apps aiohttp        AsyncApp on an aiohttp web server (the bot's server type)
    python -m bench.bare_apps aiohttp-inline the same with process_before_response=True: the listener
                                             runs inline instead of Bolt polling for its ack every 10 ms
    python -m bench.bare_apps bolt-server    AsyncApp.start(): Bolt's own aiohttp server, as shipped
    gunicorn 'bench.bare_apps:wsgi_app()'    sync App on any WSGI server (the benchmark uses gthread);
                                             wsgi_app(process_before_response=True) runs it inline

Each flavour imports only what it needs, so the memory figures are not inflated by the others.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HEALTH_BODY = b'{"ok": true}'
FLAVOURS = ("aiohttp", "aiohttp-inline", "bolt-server")


def reply_text(command: dict[str, Any]) -> str:
    return f"MLOps vs DevOps: {command.get('text', '')}"


def _settings() -> tuple[str, str, str, int]:
    env = os.environ
    return env["SLACK_BOT_TOKEN"], env["SLACK_SIGNING_SECRET"], env["SLACK_API_URL"], int(env["PORT"])


def _async_app(*, process_before_response: bool = False) -> Any:
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    token, secret, api_url, _ = _settings()
    app = AsyncApp(
        client=AsyncWebClient(token=token, base_url=api_url),
        signing_secret=secret,
        process_before_response=process_before_response,
    )

    @app.command("/compare")
    async def compare(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack(reply_text(command))

    return app


async def _health(_: Any) -> Any:
    from aiohttp import web

    return web.Response(body=HEALTH_BODY, content_type="application/json")


def serve_aiohttp(*, process_before_response: bool = False) -> None:
    """The AsyncApp behind a plain aiohttp application, access log off (as the bot runs)."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    app = _async_app(process_before_response=process_before_response)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get(HEALTH_PATH, _health)
    web.run_app(web_app, host="127.0.0.1", port=_settings()[3], access_log=None, print=None, backlog=1024)


def serve_bolt_server() -> None:
    """What `AsyncApp.start()` runs (AsyncSlackAppServer, aiohttp's defaults), plus the health route."""
    from slack_bolt.app.async_server import AsyncSlackAppServer

    server = AsyncSlackAppServer(port=_settings()[3], path=EVENTS_PATH, app=_async_app(), host="127.0.0.1")
    server.web_app.router.add_get(HEALTH_PATH, _health)
    server.start()


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(*, process_before_response: bool = False) -> WsgiApp:
    """A WSGI application: the sync App through Bolt's WSGI adapter, and the health route."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    token, secret, api_url, _ = _settings()
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=secret,
        process_before_response=process_before_response,
    )

    @app.command("/compare")
    def compare(ack: Ack, command: dict[str, Any]) -> None:
        ack(reply_text(command))

    handler = SlackRequestHandler(app)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [HEALTH_BODY]
        return handler(environ, start_response)

    return application


if __name__ == "__main__":
    if sys.argv[1:] in (["aiohttp"], ["aiohttp-inline"]):
        serve_aiohttp(process_before_response=sys.argv[1] == "aiohttp-inline")
    elif sys.argv[1:] == ["bolt-server"]:
        serve_bolt_server()
    else:
        sys.exit(f"usage: python -m bench.bare_apps {{{'|'.join(FLAVOURS)}}}")
