"""response_urls: the addresses the fake hands out with commands and clicks, and the posts made to them.

The names it makes up are random (Slack's carry a secret too), so no one can guess another person's; a
post must be JSON, as Slack's clients send it, which a web page elsewhere cannot send without consent.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from aiohttp import web

from slackfake.faults import Dropped, failure, hang_up
from slackfake.recording import Call
from slackfake.site import Site


class ResponseUrls:
    """`/response/{name}`: posts act on the message or channel the URL was issued for, as Slack's do."""

    def __init__(self, site: Site) -> None:
        self._site = site

    def response_url(
        self,
        name: str = "r1",
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        user: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url whose posts are recorded as method "response_url" with `name`.

        With `channel` (and `message_ts` of the message the interaction came from, `ephemeral` when that
        message was ephemeral), posts act like Slack's: `replace_original` / `delete_original` change
        that message, `response_type: in_channel` posts a new one; other (ephemeral) answers become
        ephemeral messages for `user`, or, without a user, are only recorded.
        """
        workspace = self._site.workspace()
        with workspace.lock:
            workspace.response_targets[name] = {
                "channel": channel,
                "message_ts": message_ts,
                "user": user,
                "ephemeral": ephemeral,
            }
        return f"{self._site.server.url}/response/{name}"

    def issue(
        self, channel: str | None, user: str, *, message_ts: str | None = None, ephemeral: bool = False
    ) -> str:
        """A new response_url for what `user` just did in `channel` (on message `message_ts`)."""
        name = secrets.token_urlsafe(18)
        return self.response_url(name, channel=channel, message_ts=message_ts, user=user, ephemeral=ephemeral)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/response/{name}", self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        arrived = time.time()
        headers = {k.lower(): v for k, v in request.headers.items()}
        if request.content_type != "application/json":
            self._site.recorder.append(
                Call("response_url", {}, headers, arrived, 415, "json_only", name, request.path)
            )
            return web.Response(status=415, text="json_only")
        raw = await request.text()
        try:
            body: Any = json.loads(raw) if raw else {}
        except ValueError:
            body = None  # Slack answers 400 invalid_payload
        status, text = 0, None
        try:
            fault = await self._site.faults.take("response_url")
            if fault is None or fault.commit:
                workspace = self._site.workspace()
                with workspace.lock:
                    status, text = workspace.respond(name, body)
            if fault is not None:
                status, reply, _ = failure(fault)
                text = reply["error"]
            return web.Response(status=status, text=text, content_type="text/html")
        except Dropped:
            status, text = 0, None
            return hang_up(request)
        finally:
            recorded = body if isinstance(body, dict) else {"_raw": raw}
            self._site.recorder.append(
                Call("response_url", recorded, headers, arrived, status, text, name, request.path)
            )
