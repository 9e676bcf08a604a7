"""The Web API over HTTP, `/api/{method}`: the token, the faults tests injected, the workspace's answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from slackfake.bodies import read_body, token_of
from slackfake.faults import Dropped, Failure, failure, hang_up
from slackfake.recording import Call
from slackfake.site import Site
from slackfake.socket_mode import SocketMode
from slackfake.workspace import Workspace

APP_TOKEN_METHODS = frozenset({"apps.connections.open", "auth.test"})


class WebApi:
    """Answers Web API calls as Slack does, records each one, and counts how many run at once."""

    def __init__(self, site: Site, sockets: SocketMode, revoked_tokens: Iterable[str] = ()) -> None:
        self._site = site
        self._sockets = sockets
        self.revoked_tokens: set[str] = set(revoked_tokens)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._peak_in_flight = 0

    @property
    def api_url(self) -> str:
        """Base URL for slack_sdk clients (`base_url=`), with its trailing slash."""
        return f"{self._site.server.url}/api/"

    def revoke(self, token: str) -> None:
        """Calls with `token` now answer token_revoked."""
        self.revoked_tokens.add(token)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most Web API requests that were being handled at the same moment."""
        return self._peak_in_flight

    def forget_peak(self) -> None:
        with self._lock:
            self._peak_in_flight = self._in_flight

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        arrived = time.time()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self._enter()
        status, reply, extra_headers = 0, None, {}
        body: dict[str, Any] = {}
        try:
            try:
                body = await read_body(request)
            except ValueError:
                status, reply = 200, {"ok": False, "error": "invalid_json"}
            else:
                status, reply, extra_headers = await self._answer(method, body, token_of(headers))
            return web.json_response(reply, status=status, headers=extra_headers)
        except Dropped:
            return hang_up(request)
        finally:
            self._leave()
            self._site.recorder.append(Call(method, body, headers, arrived, status, reply, path=request.path))

    async def _answer(self, method: str, body: dict[str, Any], token: str | None) -> Failure:
        refusal = await self._site.faults.refusal(method, str(body.get("channel") or ""))
        if refusal is not None:
            return refusal
        fault = await self._site.faults.take(method)
        if fault is not None and not fault.commit:
            return failure(fault)
        reply = self._call(method, body, token)
        return failure(fault) if fault is not None else (200, reply, {})

    def _call(self, method: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not Workspace.knows(method):
            return {"ok": False, "error": "unknown_method", "req_method": method}
        error = self._auth_error(method, token)
        if error is not None:
            return {"ok": False, "error": error}
        workspace = self._site.workspace()
        with workspace.lock:
            reply = workspace.call(method, body)
        if method == "apps.connections.open" and reply["ok"]:
            reply["url"] = self._sockets.connection_url()
        return reply

    def _auth_error(self, method: str, token: str | None) -> str | None:
        if not token:
            return "not_authed"
        if token in self.revoked_tokens:
            return "token_revoked"
        if token.startswith("xapp-"):
            return None if method in APP_TOKEN_METHODS else "not_allowed_token_type"
        if token.startswith("xoxb-"):
            return "not_allowed_token_type" if method == "apps.connections.open" else None
        return "invalid_auth"

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
