"""A small TCP proxy on loopback, for losing a server (PostgreSQL) under a running bot and getting it back.

`cut()` stops listening and aborts every open connection, so clients see what they see when the server
goes down: broken connections, then "connection refused". `restore()` listens again on the
same port. The proxy runs on its own event loop in a background thread, like the fake Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any

HOST = "127.0.0.1"
MAX_CONNECTIONS = 64
"""More connections than this are refused at once: a runaway pool fails the test instead of the machine."""
CHUNK = 64 * 1024


class TcpProxy:
    """Forwards 127.0.0.1:`port` (chosen by the OS, kept across cut/restore) to `target_host:target_port`."""

    def __init__(self, target_host: str, target_port: int, *, max_connections: int = MAX_CONNECTIONS):
        self._target = (target_host, target_port)
        self._max = max_connections
        self._port: int | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self._on_loop(self._listen())
        return self

    def __exit__(self, *_: object) -> None:
        self._on_loop(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    @property
    def port(self) -> int:
        assert self._port is not None, "the proxy has not been started"
        return self._port

    def cut(self) -> None:
        """Stop listening and abort every connection: the server is gone."""
        self._on_loop(self._close())

    def restore(self) -> None:
        """Listen again, on the same port."""
        self._on_loop(self._listen())

    def stall(self) -> None:
        """Keep every connection open but forward nothing, and connect new ones to nothing: the server
        hangs (a network that silently drops packets, a frozen host)."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def resume(self) -> None:
        """Forward again whatever was held back."""
        self._loop.call_soon_threadsafe(self._flowing.set)

    def _on_loop(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, HOST, self._port or 0, reuse_address=True)
            self._port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()  # both pumps of each connection see it end, and finish
        if self._pipes:
            await asyncio.wait(set(self._pipes), timeout=5)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if len(self._pipes) >= self._max:
            client_writer.transport.abort()
            return
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        writers = {client_writer}
        self._writers.add(client_writer)
        try:
            with contextlib.suppress(OSError):
                await self._flowing.wait()
                server_reader, server_writer = await asyncio.open_connection(*self._target)
                writers.add(server_writer)
                self._writers.add(server_writer)
                await _splice(client_reader, server_writer, server_reader, client_writer, self._flowing)
        finally:
            self._pipes.discard(task)
            self._writers -= writers
            for writer in writers:
                writer.close()  # after a cut the transports are aborted already


async def _splice(
    client_reader: asyncio.StreamReader,
    server_writer: asyncio.StreamWriter,
    server_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    flowing: asyncio.Event,
) -> None:
    """Copy both ways until either side closes (or fails); hold data back while `flowing` is clear."""
    pumps = {
        asyncio.ensure_future(_pump(client_reader, server_writer, flowing)),
        asyncio.ensure_future(_pump(server_reader, client_writer, flowing)),
    }
    try:
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, flowing: asyncio.Event) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(CHUNK):
            await flowing.wait()
            writer.write(data)
            await writer.drain()
