"""Injected failures: what the next call(s) to a method should suffer instead of a normal answer."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass

ANY_METHOD = "*"
ERROR_FOR_STATUS = {429: "ratelimited", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}


@dataclass(frozen=True)
class Fault:
    """One injected failure.

    - `status`: answer with this HTTP status (429 adds `Retry-After: retry_after`).
    - `error`: answer HTTP 200 with `{"ok": false, "error": error}`.
    - `delay`: wait this long first (alone: then answer normally, e.g. to trip a client timeout).
    - `drop`: close the connection without any answer.
    - `commit`: carry out the call (post the message, ...) before failing — the "Slack did it but the
      client never heard back" case that makes blind retries post twice.
    """

    status: int | None = None
    retry_after: int = 1
    error: str | None = None
    delay: float = 0.0
    drop: bool = False
    commit: bool = False

    @property
    def fails(self) -> bool:
        return self.drop or self.error is not None or self.status is not None

    def reply(self) -> tuple[int, dict[str, object], dict[str, str]]:
        """(status, body, headers) of the failure; only meaningful when `fails` and not `drop`."""
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        status = self.status or 429
        headers = {"Retry-After": str(self.retry_after)} if status == 429 else {}
        return status, {"ok": False, "error": ERROR_FOR_STATUS.get(status, "request_failed")}, headers


def make_fault(
    *,
    status: int | None = None,
    retry_after: int = 1,
    error: str | None = None,
    delay: float = 0.0,
    drop: bool = False,
    commit: bool = False,
) -> Fault:
    """A fault from `fail_next`-style arguments; with no status, error, delay or drop it is a 429."""
    if status is None and error is None and not delay and not drop:
        status = 429
    return Fault(status=status, retry_after=retry_after, error=error, delay=delay, drop=drop, commit=commit)


class FaultBook:
    """Per-method queues of one-shot faults (consumed in order) plus permanent ones; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._forever: dict[str, Fault] = {}

    def queue(self, method: str, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self._queued[method].extend([fault] * times)

    def forever(self, method: str, fault: Fault | None) -> None:
        """Fail every call to `method` with `fault`; `None` lifts it."""
        with self._lock:
            if fault is None:
                self._forever.pop(method, None)
            else:
                self._forever[method] = fault

    def take(self, method: str) -> Fault | None:
        """The fault for this call: queued ones first, then permanent; `*` entries apply to every method."""
        with self._lock:
            for key in (method, ANY_METHOD):
                if self._queued[key]:
                    return self._queued[key].popleft()
            return self._forever.get(method) or self._forever.get(ANY_METHOD)

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._forever.clear()
