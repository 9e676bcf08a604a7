"""Socket Mode connections: envelopes out, acks in.

Lives on the server's event loop; `SocketMode` calls into it from test threads.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from slackfake.constants import APP_ID
from slackfake.recording import Log

# Slack marks which envelopes may carry a response payload in their ack.
RESPONSE_PAYLOAD_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


def envelope(
    kind: str,
    payload: Any,
    *,
    retry_attempt: int = 0,
    retry_reason: str = "",
    accepts_response_payload: bool | None = None,
) -> dict[str, Any]:
    """A Socket Mode envelope as Slack sends it; `accepts_response_payload` defaults to Slack's choice.

    `payload` is normally an object; tests may send anything JSON can hold, to see what a client does."""
    if kind not in ("slash_commands", "interactive", "events_api"):
        raise ValueError(f"unknown envelope type {kind!r}")
    if accepts_response_payload is None:
        interaction = payload.get("type") if isinstance(payload, dict) else None
        accepts_response_payload = kind == "slash_commands" or (
            kind == "interactive" and str(interaction) in RESPONSE_PAYLOAD_INTERACTIONS
        )
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": kind,
        "payload": payload,
        "accepts_response_payload": accepts_response_payload,
        "retry_attempt": retry_attempt,
        "retry_reason": retry_reason,
    }


def hello(num_connections: int) -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {"host": "applink-fake-1", "build_number": 1, "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }


class SocketHub:
    """Connected Socket Mode clients (newest last) and every message they sent."""

    def __init__(self) -> None:
        self.acks: Log[dict[str, Any]] = Log()
        self.clients: list[web.WebSocketResponse] = []
        self.waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def serve(self, request: web.Request) -> web.WebSocketResponse:
        """Upgrade to a WebSocket, say hello, and take the client's messages until it goes."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.clients.append(ws)
        try:
            await ws.send_json(hello(len(self.clients)))
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._received(message.data)
        finally:
            if ws in self.clients:
                self.clients.remove(ws)
        return ws

    def _received(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = {"_raw": data}
        ack = message if isinstance(message, dict) else {"_raw": message}
        self.acks.append(ack)
        waiter = self.waiting.pop(str(ack.get("envelope_id")), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(ack)

    async def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send an envelope and wait for its ack (the whole ack message); TimeoutError after `timeout`."""
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[message["envelope_id"]] = waiter
        try:
            await self.send(message)
            return await asyncio.wait_for(waiter, timeout)
        finally:
            self.waiting.pop(message["envelope_id"], None)

    async def send(self, message: dict[str, Any]) -> None:
        """Send to the newest connection, as Slack sends each envelope to one of the app's connections."""
        open_clients = self._open()
        if not open_clients:
            raise AssertionError("no Socket Mode client is connected")
        await open_clients[-1].send_str(json.dumps(message))

    async def broadcast(self, message: dict[str, Any]) -> None:
        for ws in self._open():
            await ws.send_str(json.dumps(message))

    def _open(self) -> list[web.WebSocketResponse]:
        return [ws for ws in self.clients if not ws.closed]

    async def close_all(self, code: int = WSCloseCode.GOING_AWAY) -> None:
        clients, self.clients = list(self.clients), []
        for ws in clients:
            await ws.close(code=code, message=b"fake slack closed the connection")
