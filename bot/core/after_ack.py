"""Work that runs once a listener has returned, i.e. after Slack has its ack.

Listeners run before the response goes out (Bolt's `process_before_response`), so the ack needs no
second round trip; anything that talks to Slack after the ack is handed to `AfterAck` instead.

A failure there has no request left to answer, so it is logged, throttled (`LogThrottle`): while Slack
is away every mention fails the same way, and that is one line a minute with a count, not one per
mention. Slack saying no or being out of reach is expected and logged without a traceback; anything else
is our bug and keeps its traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.core.clock import Clock
from bot.core.log_throttle import LogThrottle
from bot.core.slack.calls import describe, is_expected

log = logging.getLogger(__name__)
FINISH_SECONDS = 10


class AfterAck:
    def __init__(self, clock: Clock | None = None) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._failures = LogThrottle(log, clock=clock)

    def __call__(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        assert error is not None
        if is_expected(error):
            reason = describe(error)
            self._failures.warning(f"slack {reason}", "a reply after the ack did not reach Slack: %s", reason)
        else:
            self._failures.error(f"bug {type(error).__name__}", "work after an ack failed", exc_info=error)

    async def finish(self, timeout: float = FINISH_SECONDS) -> None:
        """Give replies already under way a moment to reach Slack (at shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
