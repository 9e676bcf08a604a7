"""The fake's own event loop, in a background thread, serving one aiohttp application on 127.0.0.1.

Synchronous tests and asyncio tests (whose loop also runs the bot) both reach it: `run` blocks the calling
thread, `run_async` waits without blocking the caller's loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"
SHUTDOWN_TIMEOUT = 0.25


class ServerThread:
    """Serves the application `build()` makes on 127.0.0.1:`port` (one the OS picks when None).

    The port is kept across `stop()` / `start()`, so clients keep their URLs; `closing` runs before the
    site goes down (to close WebSockets, which would otherwise hold the shutdown).
    """

    def __init__(
        self,
        build: Callable[[], web.Application],
        closing: Callable[[], Awaitable[None]],
        port: int | None = None,
    ) -> None:
        self._build = build
        self._closing = closing
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeSlack has not been started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("FakeSlack is already running")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=_serve_forever, args=(loop,), name="fakeslack", daemon=True)
        self._thread.start()
        try:
            self.run(self._open_site(), timeout=10)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Close every connection and stop listening: clients now get "connection refused"."""
        if self._thread is None or self._loop is None:
            return
        try:
            self.run(self._close_site(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None
            self._loop = None

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 5.0) -> Any:
        """Run `coro` on the fake's loop and block this thread until it is done."""
        return self._submit(coro).result(timeout)

    async def run_async(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run `coro` on the fake's loop and wait for it without blocking the caller's loop."""
        return await asyncio.wrap_future(self._submit(coro))

    def _submit(self, coro: Coroutine[Any, Any, Any]) -> Any:
        if self._loop is None:
            coro.close()
            raise AssertionError("FakeSlack is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _open_site(self) -> None:
        self._runner = web.AppRunner(
            self._build(), access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self._port or 0, reuse_address=True)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def _close_site(self) -> None:
        await self._closing()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _serve_forever(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        # Handlers still waiting (a call held by `fail_next(delay=...)`) are cancelled here, not left to
        # be destroyed pending when the loop is collected: asyncio would log that as an ERROR in whichever
        # test happens to run then.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
