"""How what people do reaches the app: a Socket Mode envelope, or a signed POST to the app's request URL."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import aiohttp

from slackfake import requests as build
from slackfake.constants import SIGNING_SECRET
from slackfake.recording import Log
from slackfake.socket_mode import SocketMode
from slackfake.sockets import envelope
from slackfake.workspace import Workspace

ACK_TIMEOUT = 5.0
"""Slack gives an app 3 seconds to acknowledge; the fake waits a little longer before giving up."""
EVENT_NAMES = {
    "im": "message.im",
    "channel": "message.channels",
    "group": "message.groups",
    "mpim": "message.mpim",
}


class NoApp(AssertionError):
    """No app is connected over Socket Mode and no request URL is set: nobody to send the request to."""


def event_name(event: Mapping[str, Any]) -> str:
    """The subscription an event needs, as the manifest names it (message events by channel type)."""
    kind = str(event.get("type"))
    if kind == "message":
        return EVENT_NAMES.get(str(event.get("channel_type")), "message.channels")
    return kind


class Delivery:
    """Sends the app each request people make through the fake, and keeps what was sent.

    Over Socket Mode by default; over HTTP once `set_request_url` names the app's request URL.
    `event_subscriptions`: event names the app subscribed to ("app_mention", "message.im", ...); other
    events are not sent. None: every event.
    """

    def __init__(
        self,
        workspace: Callable[[], Workspace],
        sockets: SocketMode,
        event_subscriptions: Iterable[str] | None = None,
    ) -> None:
        self._workspace = workspace
        self._sockets = sockets
        self.event_subscriptions = frozenset(event_subscriptions) if event_subscriptions is not None else None
        self.request_url: str | None = None
        self.request_secret = SIGNING_SECRET
        self.ack_timeout = ACK_TIMEOUT
        self.log: Log[tuple[str, dict[str, Any]]] = Log()

    def set_request_url(self, url: str | None, *, signing_secret: str = SIGNING_SECRET) -> None:
        """Send what people do to the app over HTTP at `url` (signed), instead of over Socket Mode."""
        self.request_url = url
        self.request_secret = signing_secret

    @property
    def delivered(self) -> list[tuple[str, dict[str, Any]]]:
        """(envelope type, payload) of every request people acting through the fake sent the app."""
        return self.log.snapshot()

    def wait_for_delivery(
        self, where: Callable[[str, dict[str, Any]], bool], timeout: float = 5.0
    ) -> dict[str, Any]:
        """Block until a request matching `where(kind, payload)` was sent to the app; returns its payload."""

        def find(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
            return next((p for k, p in items if where(k, p)), None)

        found = find(
            self.log.wait(
                lambda items: find(items) is not None,
                timeout,
                lambda: f"none sent within {timeout}s; sent: {[k for k, _ in self.log.snapshot()]}",
            )
        )
        assert found is not None
        return found

    async def deliver(
        self, kind: str, payload: dict[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send a request to the app and return its ack's payload ({} for an empty ack).

        Events the app is not subscribed to are not sent.
        """
        timeout = self.ack_timeout if timeout is None else timeout
        if kind == "events_api":
            subscribed = self.event_subscriptions
            if subscribed is not None and event_name(payload.get("event") or {}) not in subscribed:
                return {}
        workspace = self._workspace()
        with workspace.lock:
            workspace.register_trigger_of(payload)
        self.log.append((kind, copy.deepcopy(payload)))
        if self.request_url is not None:
            return await self._post(kind, payload, timeout)
        if not self._sockets.socket_clients:
            raise NoApp("no app is connected over Socket Mode and no request URL is set")
        ack = await self._sockets.hub.request(envelope(kind, payload), timeout)
        answer = ack.get("payload")
        return dict(answer) if isinstance(answer, Mapping) else {}

    async def _post(self, kind: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        if kind == "slash_commands":
            body = build.form_body(payload)
        elif kind == "interactive":
            body = build.interactive_body(payload)
        else:
            body = build.event_body(payload)
        headers = build.sign(body, self.request_secret)
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.post(str(self.request_url), data=body.encode(), headers=headers) as response,
        ):
            text = await response.text()
        if response.status != 200:
            raise AssertionError(f"the app answered {kind} with HTTP {response.status}: {text[:200]}")
        if not text.strip():
            return {}
        try:
            answer = json.loads(text)
        except ValueError:
            return {"text": text}  # Slack shows a plain-text ack as the reply
        return answer if isinstance(answer, dict) else {}
