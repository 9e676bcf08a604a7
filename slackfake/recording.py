"""What the fake saw: `Call` records and a thread-safe log that tests can block on."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Call:
    """One request the fake answered (or failed, or dropped: `status` 0).

    `method` is the Web API method ("chat.postMessage"), "response_url" for a response_url post (then
    `name` is the URL's name) or "ws.connect" for a Socket Mode connection. `body` is the parsed request:
    query string, form and JSON fields merged, JSON-in-form fields (`blocks`, `metadata`, `view`, ...)
    decoded. `headers` has lower-case keys. `at` is the arrival time (`time.time()`). `response` is the
    JSON (or text) the fake answered with, None when the connection was dropped.
    """

    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int
    response: Any = None
    name: str | None = None
    path: str = ""

    @property
    def ok(self) -> bool:
        """A Web API call answered 200 with `ok: true`."""
        return self.status == 200 and isinstance(self.response, dict) and bool(self.response.get("ok"))

    @property
    def failed(self) -> bool:
        """Dropped, an HTTP error status, or `ok: false`."""
        error_body = isinstance(self.response, dict) and self.response.get("ok") is False
        return self.status == 0 or self.status >= 400 or error_body


@dataclass
class Log(Generic[T]):
    """An append-only list guarded by a condition variable."""

    items: list[T] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def append(self, item: T) -> None:
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def snapshot(self) -> list[T]:
        with self.cond:
            return list(self.items)

    def clear(self) -> None:
        with self.cond:
            self.items.clear()

    def wait(self, done: Callable[[list[T]], bool], timeout: float, describe: Callable[[], str]) -> list[T]:
        """Block until `done(items)`; on timeout raise AssertionError(describe())."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not done(self.items):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(describe())
                self.cond.wait(remaining)
            return list(self.items)


def in_a_thread(wait: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`wait` for an asyncio caller: it blocks a worker thread instead of the caller's event loop."""

    @functools.wraps(wait)
    async def waiting(*args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(wait, *args, **kwargs)

    return waiting


class Recorder:
    """Every request the fake answered, in arrival order: Web API calls, response_url posts and
    Socket Mode connections."""

    def __init__(self) -> None:
        self.log: Log[Call] = Log()

    def append(self, call: Call) -> None:
        self.log.append(call)

    @property
    def calls(self) -> list[Call]:
        return self.log.snapshot()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.log.snapshot() if call.method == method]

    def summary(self) -> str:
        return summary(self.log.snapshot())

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls to `method` (matching `where`) were answered; returns them all."""

        def matching(calls: list[Call]) -> list[Call]:
            return [c for c in calls if c.method == method and (where is None or where(c))]

        def describe() -> str:
            got = len(matching(self.log.snapshot()))
            return (
                f"waited {timeout}s for {count} call(s) to {method}{' matching where=' if where else ''}, "
                f"got {got}; recorded: {self.summary()}"
            )

        return matching(self.log.wait(lambda calls: len(matching(calls)) >= count, timeout, describe))

    wait_for_async = in_a_thread(wait_for)


def summary(calls: list[Call]) -> str:
    """`auth.test x1, chat.postMessage x2 (1 failed)` — for timeout messages."""
    if not calls:
        return "nothing"
    counts = Counter(call.method for call in calls)
    failed = Counter(call.method for call in calls if call.failed)
    parts = []
    for method, count in counts.items():
        part = f"{method} x{count}"
        if failed[method]:
            part += f" ({failed[method]} failed)"
        parts.append(part)
    return ", ".join(parts)
