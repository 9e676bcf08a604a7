"""Work that runs once a listener has returned, i.e. after Slack has its ack.

Listeners run before the response goes out (Bolt's `process_before_response`), so the ack needs no
second round trip; anything that talks to Slack after the ack is handed to `AfterAck` instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10


class AfterAck:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("work after an ack failed", exc_info=task.exception())

    async def drain(self, timeout: float = DRAIN_SECONDS) -> None:
        """Give replies already under way a moment to reach Slack (at shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
