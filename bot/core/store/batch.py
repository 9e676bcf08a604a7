"""Group commit: many small writes that arrive together share one transaction.

A burst of answer clicks on one quiz post is hundreds of tiny transactions at once; each waits for a
database worker and for its own commit, and the last one's ack comes seconds later. `GroupCommit` queues
the writes and runs them in small groups, a few groups at a time: when nothing else is waiting a write
goes alone and at once, and under a burst each commit carries a group. A caller's future resolves only
after its group's transaction has committed, so nothing is acknowledged before it is durable.

Each wait is bounded: `submit` gives up after the database's own bound (`StoreUnavailable`), as a single
`Database.write` would. A group that fails for another reason than an outage is retried one write at a
time, so one bad item never fails its neighbours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from bot.core.store.database import Database, StoreUnavailable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
Item = TypeVar("Item")
R = TypeVar("R")

MAX_GROUP = 64
"""Writes in one transaction, at most."""
MAX_GROUPS_IN_FLIGHT = 3
"""Groups committing at once (the rest of the database's workers stay free for reads)."""
QUIET_SECONDS = 0.02
SETTLE_TIMEOUT = 2.0


class GroupCommit(Generic[Item, R]):
    def __init__(
        self,
        database: Database,
        work: Callable[[Session, Sequence[Item]], list[R]],
        *,
        max_group: int = MAX_GROUP,
        max_in_flight: int = MAX_GROUPS_IN_FLIGHT,
    ) -> None:
        """`work(session, items)` does every item's writes in the given transaction and returns one
        result per item, in order."""
        self._db = database
        self._work = work
        self._max_group = max_group
        self._max_in_flight = max_in_flight
        self._queue: list[tuple[Item, asyncio.Future[R]]] = []
        self._in_flight = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._submitted = 0
        self.groups = 0
        """Transactions committed so far (for tests and the benchmark)."""

    async def submit(self, item: Item, *, timeout: float | None = None) -> R:
        """The item's result once its group has committed; StoreUnavailable after `timeout`."""
        bound = self._db.timeout if timeout is None else timeout
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        # A caller that gave up never reads its future: mark a late failure as seen.
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._submitted += 1
        self._idle.clear()
        self._queue.append((item, future))
        self._start_groups()
        try:
            async with asyncio.timeout(bound):
                return await asyncio.shield(future)
        except TimeoutError:
            raise StoreUnavailable(f"no answer within {bound:g} s") from None

    def _start_groups(self) -> None:
        while self._queue and self._in_flight < self._max_in_flight:
            group, self._queue = self._queue[: self._max_group], self._queue[self._max_group :]
            self._in_flight += 1
            task = asyncio.ensure_future(self._commit(group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _commit(self, group: list[tuple[Item, asyncio.Future[R]]]) -> None:
        try:
            await self._write(group, retry_alone=True)
        finally:
            self._in_flight -= 1
            self._start_groups()
            if not self._queue and not self._in_flight:
                self._idle.set()

    async def settled(self, *, quiet: float = QUIET_SECONDS, timeout: float = SETTLE_TIMEOUT) -> None:
        """Return once nothing has been submitted or written for `quiet` seconds (at most `timeout`):
        work that may wait (private feedback after a click) lets a burst's acknowledgements go first."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while True:
                    await self._idle.wait()
                    seen = self._submitted
                    await asyncio.sleep(quiet)
                    if self._idle.is_set() and self._submitted == seen:
                        return

    async def _write(self, group: list[tuple[Item, asyncio.Future[R]]], *, retry_alone: bool) -> None:
        items = [item for item, _ in group]
        try:
            results = await self._db.write(lambda session: self._work(session, items), timeout=self._bound())
        except StoreUnavailable as error:
            for _, future in group:
                _fail(future, error)
        except Exception as error:
            if len(group) == 1 or not retry_alone:
                for _, future in group:
                    _fail(future, error)
                return
            log.warning("a group of %d writes failed (%s); writing them one by one", len(group), error)
            for entry in group:
                await self._write([entry], retry_alone=False)
        else:
            self.groups += 1
            for (_, future), result in zip(group, results, strict=True):
                if not future.done():
                    future.set_result(result)

    def _bound(self) -> float:
        return self._db.timeout


def _fail(future: asyncio.Future[R], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
