"""Bounds on what an HTTP client can hold: time to send a request, connections at once, idle keep-alive.

aiohttp's server waits for a request head as long as the client likes, so a client that sends half a
header (or nothing) keeps its connection, and its file descriptor, for ever; enough of them and the process
can no longer accept anything, `/healthz` included. `GuardedServer` is aiohttp's low-level `web.Server`
with its connections (`_Connection`) under a clock:

- a new connection must deliver a complete request head within `header_timeout`, and so must each further
  request on a kept-alive connection, counted from its first byte; the clock stops when the request
  reaches the handler (the handler bounds the body itself: `HttpLimits.body_timeout`);
- an idle kept-alive connection is closed after `idle_timeout` (aiohttp's keep-alive timeout);
- at most `max_connections` are open at once; beyond that a new connection is closed at once;
- a request that is not HTTP is answered 400 by aiohttp and counted, not logged with a traceback.

What the guard closes is counted and logged at most once per `log_interval`, with the count, so a flood
costs a few log lines, not one per connection.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_request import BaseRequest

log = logging.getLogger(__name__)

Handler = Callable[[BaseRequest], Awaitable[web.StreamResponse]]
MAX_CONNECTIONS = 512
OWN_DESCRIPTORS = 128
"""Descriptors kept for the bot's own use (database pool, Slack, logs, imports): a few dozen, with room."""


def backlog_for(descriptor_limit: int, max_connections: int = MAX_CONNECTIONS) -> int:
    """The listen backlog: 1024, or what `descriptor_limit` leaves beside `max_connections` and the bot's
    own if that is less, never under 128.

    Hundreds of people pressing a button at once open hundreds of connections in the same instant; those
    beyond the backlog are dropped by the kernel and the client tries again only a second later (`make
    bench`: with 128, a burst of 500 clicks had its slowest acks at 1.0-1.1 s instead of 0.3 s)."""
    if descriptor_limit == resource.RLIM_INFINITY:
        return 1024
    return max(128, min(1024, descriptor_limit - max_connections - OWN_DESCRIPTORS))


def _backlog() -> int:
    return backlog_for(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


@dataclass(frozen=True)
class HttpLimits:
    """The HTTP server's bounds. Production uses the defaults; tests pass shorter ones."""

    header_timeout: float = 10.0
    """Seconds from a connection's start (or a kept-alive request's first byte) to a complete request head."""
    body_timeout: float = 10.0
    """Seconds from the request head to the whole body; a slower body gets a 408 and the connection closes."""
    idle_timeout: float = 75.0
    """Seconds a kept-alive connection may sit idle between requests. Longer than the 60 s a reverse proxy
    usually keeps its idle upstream connections, so the proxy, not the bot, closes them first."""
    max_connections: int = MAX_CONNECTIONS
    """Open connections at once, well under the usual limit of 1024 file descriptors per process; the
    bot's own (database pool, Slack, logs) need a few dozen."""
    backlog: int = field(default_factory=_backlog)
    """Connections the kernel queues for the bot to accept. asyncio accepts up to this many in one go,
    before the refusals beyond `max_connections` close them, so it bounds the descriptors a burst holds
    for a moment on top of `max_connections`: hence sized by the descriptor limit (`backlog_for`)."""
    linger: float = 2.0
    """After an answer sent before the whole body arrived (413), how long the rest is read and dropped so
    the client can see the answer, before the connection closes."""
    log_interval: float = 60.0
    """At most one log line per this many seconds for each kind of client the guard turned away."""


class CountedWarning:
    """A warning logged at once the first time, then at most once per `interval` with how many more there
    were since (and the latest `args`); after a quiet interval the next one is logged at once again."""

    def __init__(self, first: str, repeated: str, interval: float) -> None:
        self._first = first
        self._repeated = repeated
        """Formatted with the count, the seconds it covers, then the latest `args`."""
        self._interval = interval
        self._count = 0
        self._args: tuple[Any, ...] = ()
        self._since = 0.0
        self._report_at: asyncio.TimerHandle | None = None

    def note(self, *args: Any) -> None:
        self._args = args
        if self._report_at is None:
            log.warning(self._first, *args)
            loop = asyncio.get_running_loop()
            self._since = loop.time()
            self._report_at = loop.call_later(self._interval, self._report)
        else:
            self._count += 1

    def _report(self) -> None:
        self._report_at = None
        if self._count:
            self.flush()
            self._report_at = asyncio.get_running_loop().call_later(self._interval, self._report)

    def flush(self) -> None:
        """Log what was counted since the last line, now."""
        if self._count:
            now = asyncio.get_running_loop().time()
            count, self._count = self._count, 0
            log.warning(self._repeated, count, round(now - self._since, 1), *self._args)
            self._since = now

    def close(self) -> None:
        self.flush()
        if self._report_at is not None:
            self._report_at.cancel()
            self._report_at = None


class GuardedServer(web.Server):
    """`web.Server` whose connections are `_Connection`s, bounded by `limits`."""

    def __init__(self, handler: Handler, limits: HttpLimits, **kwargs: Any) -> None:
        kwargs.update(keepalive_timeout=limits.idle_timeout, lingering_time=limits.linger)
        super().__init__(self._guarded(handler), **kwargs)
        self.limits = limits
        self.open_connections = 0
        self._loop_for_connections = asyncio.get_running_loop()
        self._connection_kwargs = kwargs
        self.refused = CountedWarning(
            "refused a new connection: %d connections are open, the limit",
            "refused %d more new connections in the last %g s (%d open, the limit)",
            limits.log_interval,
        )
        self.timed_out = CountedWarning(
            "closed a connection that sent no complete request within %g s",
            "closed %d more connections that were too slow in the last %g s (bound %g s)",
            limits.log_interval,
        )
        self.malformed = CountedWarning(
            "refused a request that is not well-formed HTTP (%s)",
            "refused %d more requests that were not well-formed HTTP in the last %g s (last: %s)",
            limits.log_interval,
        )

    def __call__(self) -> _Connection:
        return _Connection(self, loop=self._loop_for_connections, **self._connection_kwargs)

    def admit(self) -> bool:
        if self.open_connections >= self.limits.max_connections:
            self.refused.note(self.open_connections)
            return False
        self.open_connections += 1
        return True

    def release(self) -> None:
        self.open_connections -= 1

    async def shutdown(self, timeout: float | None = None) -> None:
        for warning in (self.refused, self.timed_out, self.malformed):
            warning.close()
        await super().shutdown(timeout)

    @staticmethod
    def _guarded(handler: Handler) -> Handler:
        async def handle(request: BaseRequest) -> web.StreamResponse:
            connection = request.protocol
            assert isinstance(connection, _Connection)
            connection.request_started()
            try:
                response = await handler(request)
            finally:
                connection.request_finished()
            if response.status == 408:
                # The client stalled in its body: answer, then hang up instead of waiting for the rest.
                await response.prepare(request)
                await response.write_eof()
                connection.force_close()
            return response

        return handle


class _Connection(web.RequestHandler):
    """One client connection, closed if its request head does not arrive in time."""

    __slots__ = ("_admitted", "_between_requests", "_deadline", "_guard")

    def __init__(self, server: GuardedServer, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self._guard = server
        self._admitted = False
        self._between_requests = False
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if not self._guard.admit():
            self.force_close()
            return
        self._admitted = True
        self._start_clock()

    def data_received(self, data: bytes) -> None:
        if self._between_requests and data:
            self._between_requests = False  # the first byte of the next request: its head is on the clock
            self._start_clock()
        super().data_received(data)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._stop_clock()
        if self._admitted:
            self._admitted = False
            self._guard.release()
        super().connection_lost(exc)

    def request_started(self) -> None:
        self._stop_clock()

    def request_finished(self) -> None:
        self._between_requests = True  # idle now: aiohttp's keep-alive timeout (idle_timeout) applies

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if isinstance(exc, HttpProcessingError):
            # Not HTTP, or broken HTTP: the client's mistake, answered 400 without a traceback in the log.
            self._guard.malformed.note(type(exc).__name__)
            response = web.Response(status=status if 400 <= status < 500 else 400, text="Bad Request")
            response.force_close()
            return response
        return super().handle_error(request, status, exc, message)

    def _start_clock(self) -> None:
        self._stop_clock()
        bound = self._guard.limits.header_timeout
        self._deadline = asyncio.get_running_loop().call_later(bound, self._too_slow, bound)

    def _stop_clock(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self, bound: float) -> None:
        self._deadline = None
        self._guard.timed_out.note(bound)
        self.force_close()
