"""Socket Mode as tests see it: `/ws`, the URL apps.connections.open hands out, envelopes and acks.

Like Slack's, the URL carries a ticket: `/ws` upgrades only with a ticket apps.connections.open issued
(which takes the app token), once, within `ticket_ttl` seconds. So no one else can take the app's place
as the connection that receives what people do.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from aiohttp import web

from slackfake.constants import APP_ID
from slackfake.recording import Call, in_a_thread
from slackfake.serving import HOST
from slackfake.site import Site
from slackfake.sockets import SocketHub, envelope

TICKET_TTL = 30.0
"""Seconds a ticket from apps.connections.open stays good for connecting."""


class SocketMode:
    """The app's Socket Mode connections: who is connected, what they were sent, what they acked."""

    def __init__(self, site: Site) -> None:
        self.hub = SocketHub()
        self._site = site
        self._lock = threading.Lock()
        self._tickets: dict[str, float] = {}
        """Tickets issued and not yet used -> when (time.monotonic())."""
        self.ticket_ttl = TICKET_TTL
        self.socket_url: str | None = None
        """What apps.connections.open hands out instead of `ws_url` when set (an endpoint that never
        answers the WebSocket handshake, say)."""

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self._site.server.port}/ws"

    def connection_url(self) -> str:
        """A URL for apps.connections.open to hand out, with a new ticket."""
        ticket = f"fake-{secrets.token_urlsafe(18)}"
        now = time.monotonic()
        with self._lock:
            for stale in [t for t, issued in self._tickets.items() if now - issued >= self.ticket_ttl]:
                del self._tickets[stale]
            self._tickets[ticket] = now
        return f"{self.socket_url or self.ws_url}?ticket={ticket}&app_id={APP_ID}"

    def _redeem(self, ticket: str) -> bool:
        """Whether `ticket` was issued, is unused and still good; it is used up either way."""
        with self._lock:
            issued = self._tickets.pop(ticket, None)
        return issued is not None and time.monotonic() - issued < self.ticket_ttl

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/ws", self._connect)

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        if self._site.faults.down:  # the ticket stays good for when the fake is back
            status, error = 503, "service_unavailable"
        elif not self._redeem(request.query.get("ticket", "")):
            status, error = 401, "invalid_ticket"
        else:
            status, error = 101, ""
        headers = {k.lower(): v for k, v in request.headers.items()}
        call = Call("ws.connect", dict(request.query), headers, time.time(), status, path="/ws")
        self._site.recorder.append(call)
        if error:
            return web.json_response({"ok": False, "error": error}, status=status)
        return await self.hub.serve(request)

    # ---- connections -----------------------------------------------------------------------------

    @property
    def socket_clients(self) -> int:
        return len(self.hub.clients)

    def wait_for_socket(self, timeout: float = 5.0, *, count: int = 1) -> None:
        """Block until at least `count` Socket Mode clients are connected."""
        deadline = time.monotonic() + timeout
        while len(self.hub.clients) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout}s for {count} Socket Mode connection(s), "
                    f"have {len(self.hub.clients)}; recorded: {self._site.recorder.summary()}"
                )
            time.sleep(0.01)

    wait_for_socket_async = in_a_thread(wait_for_socket)

    def disconnect_sockets(self) -> None:
        """Close every Socket Mode connection from the server side (clients should reconnect)."""
        self._site.server.run(self.hub.close_all())

    # ---- envelopes and acks ------------------------------------------------------------------------

    def send_envelope(
        self,
        type: str,
        payload: Any,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Deliver a Slack envelope ("slash_commands" | "interactive" | "events_api"); returns its id.

        `accepts_response_payload` defaults to what Slack sets for that kind of payload.
        """
        message = envelope(
            type,
            payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            accepts_response_payload=accepts_response_payload,
        )
        workspace = self._site.workspace()
        with workspace.lock:
            workspace.register_trigger_of(payload)
        self._site.server.run(self.hub.send(message))
        return str(message["envelope_id"])

    def send_socket_message(self, message: dict[str, Any]) -> None:
        """Send any message (e.g. a custom "disconnect") to every connected client."""
        self._site.server.run(self.hub.broadcast(message))

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's request to reconnect; clients open a new connection, then drop the old one."""
        self.send_socket_message(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}}
        )

    @property
    def acks(self) -> list[dict[str, Any]]:
        """Every message Socket Mode clients sent (acks), in order."""
        return self.hub.acks.snapshot()

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The client's ack of `envelope_id` ({"envelope_id", "payload"?}); AssertionError on timeout."""

        def find(acks: list[dict[str, Any]]) -> dict[str, Any] | None:
            return next((a for a in acks if a.get("envelope_id") == envelope_id), None)

        def describe() -> str:
            seen = [a.get("envelope_id") for a in self.hub.acks.snapshot()]
            return (
                f"no ack for envelope {envelope_id} within {timeout}s; acks seen: {seen}; "
                f"connected clients: {len(self.hub.clients)}"
            )

        ack = find(self.hub.acks.wait(lambda acks: find(acks) is not None, timeout, describe))
        assert ack is not None
        return ack

    wait_ack_async = in_a_thread(wait_ack)
