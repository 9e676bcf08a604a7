"""What one answer click costs the HTTP transport before Bolt runs a listener, on a real click's body (the
whole quiz message included), against what Bolt and slack_sdk would do with the same body in this run.

- `parse`: the transport's reading of the body (`bolt_request_of`: the payload's %XX decoded in C, then
  Bolt reads the JSON) against Bolt reading the form body itself (`parse_qsl` unquotes in Python).
- `signature`: the transport's check (`SlackSignature`, hashed in pieces under 2 KiB) against slack_sdk's
  `SignatureVerifier` (one call over the whole body), each beside two threads that work as the database
  workers do under a burst: a little Python, then a wait on the server with the interpreter released.
  hashlib releases the interpreter while it hashes 2 KiB or more; the mean shows what waiting to get it
  back costs.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.transport.http import bolt_request_of
from bot.transport.verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, SlackSignature

PARSE_CALLS = 2000
SIGNATURE_CALLS = 400
WORKER_PYTHON_S = 0.0005
WORKER_WAIT_S = 0.0002
LOOP_WORK_S = 0.0002
"""Python the event loop runs between two signature checks (the rest of a request)."""
Timings = tuple[list[float], list[float]]
"""Seconds per call: the transport's, then the reference's."""


def _spin(seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pass


def _timed(
    ours: Callable[[], Any], reference: Callable[[], Any], calls: int, between: float = 0.0
) -> Timings:
    """Seconds per call of each, calls taken in turn so that a slow patch of the machine hits both."""
    timings: Timings = ([], [])
    for _ in range(calls):
        for call, times in zip((ours, reference), timings, strict=True):
            began = time.perf_counter()
            call()
            times.append(time.perf_counter() - began)
            if between:
                _spin(between)
    return timings


@contextmanager
def _database_workers(count: int = 2) -> Iterator[None]:
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            _spin(WORKER_PYTHON_S)
            time.sleep(WORKER_WAIT_S)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _figures(timings: Timings, stat: Callable[[list[float]], float]) -> dict[str, Any]:
    bot_us, reference_us = (1e6 * stat(times) for times in timings)
    return {
        "bot_us": round(bot_us, 1),
        "reference_us": round(reference_us, 1),
        "ratio": round(bot_us / reference_us, 3) if reference_us else None,
    }


def measure(body: str, headers: dict[str, str], secret: str) -> dict[str, Any]:
    """`body` and `headers`: one click as the burst sends it, signed with `secret`."""
    raw = body.encode()
    bolt_request = bolt_request_of(raw, "", headers)
    assert bolt_request is not None and bolt_request.body.get("message"), "not a click with its message"
    timings = _timed(
        lambda: bolt_request_of(raw, "", headers),
        lambda: AsyncBoltRequest(body=body, query="", headers=headers),  # type: ignore[arg-type]
        PARSE_CALLS,
    )
    parse = {"bytes": len(raw), "statistic": "median", **_figures(timings, statistics.median)}

    timestamp, signature = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    check, verifier = SlackSignature(secret), SignatureVerifier(secret)
    assert check.is_signed(raw, headers, time.time()) and verifier.is_valid(raw, timestamp, signature)
    with _database_workers():
        timings = _timed(
            lambda: check.is_signed(raw, headers, time.time()),
            lambda: verifier.is_valid(raw, timestamp, signature),
            SIGNATURE_CALLS,
            LOOP_WORK_S,
        )
    signature_figures = {"statistic": "mean", "beside_threads": 2, **_figures(timings, statistics.mean)}
    return {"parse": parse, "signature": signature_figures}
