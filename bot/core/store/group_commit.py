"""Group commit: many small writes that arrive together share one transaction.

A burst of answer clicks on one quiz post is hundreds of tiny transactions at once; each would wait for a
database worker and for its own commit, and the last one's ack would come seconds later. `GroupCommit`
queues the writes and commits them in groups, a few workers at a time: a write with nothing else waiting
goes alone and at once, and under a burst each commit carries what queued up during the one before. A
caller's `submit` returns only after its group's transaction has committed, so nothing is acknowledged
before it is durable.

A worker runs on the database's write thread and goes from one group to the next by itself (one
connection for its turn) rather than waiting for the event loop to hand it the next: the loop is busiest
exactly then, taking in the burst.

Every wait is bounded: `submit` gives up after the database's own bound (`StoreUnavailable`), as a single
`Database.write` would, and a write whose caller gave up before its group started is dropped. A group that
fails for another reason than an outage is retried one write at a time, so one bad item never fails its
neighbours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from bot.core.store.database import Database, StoreUnavailable, Transactions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
Item = TypeVar("Item")
R = TypeVar("R")
Entry = tuple[Item, asyncio.Future[R]]

MAX_GROUP = 64
"""Writes in one transaction, at most."""
MAX_WORKERS = 3
"""Workers committing groups at once (the rest of the database's threads stay free for reads)."""
GROUPS_PER_TURN = 8
"""Groups a worker commits before it gives its thread back (SQLite's other writes queue for the same one)."""
QUIET_SECONDS = 0.02
QUIET_TIMEOUT = 2.0


class GroupCommit(Generic[Item, R]):
    def __init__(
        self,
        database: Database,
        query: Callable[[Session, Sequence[Item]], list[R]],
        *,
        max_group: int = MAX_GROUP,
        max_workers: int = MAX_WORKERS,
    ) -> None:
        """`query(session, items)` writes every item in the given transaction and returns one result per
        item, in order (a database thread runs it)."""
        self._db = database
        self._query = query
        self._max_group = max_group
        self._max_workers = max_workers
        self._lock = threading.Lock()  # the queue is filled on the event loop and emptied by the workers
        self._queue: deque[Entry[Item, R]] = deque()
        self._workers = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._quiet_watch: asyncio.Future[None] | None = None
        self._submitted = 0
        self.groups = 0
        """Transactions committed so far (for tests and the benchmark)."""

    async def submit(self, item: Item, *, timeout: float | None = None) -> R:
        """The item's result once its group has committed; StoreUnavailable after `timeout`."""
        bound = self._db.timeout if timeout is None else timeout
        self._loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = self._loop.create_future()
        self._submitted += 1
        self._idle.clear()
        with self._lock:
            self._queue.append((item, future))
        self._start_worker()
        # A timer rather than asyncio.timeout around a shield: under a burst every extra step between the
        # commit and the ack waits behind the whole burst's arrivals in the event loop.
        expiry = self._loop.call_later(
            bound, _fail, future, StoreUnavailable(f"no answer within {bound:g} s")
        )
        try:
            return await future
        finally:
            expiry.cancel()

    async def quiet(self, *, pause: float = QUIET_SECONDS, timeout: float = QUIET_TIMEOUT) -> None:
        """Return once nothing has been submitted or written for `pause` seconds (at most `timeout`): work
        that may wait (private feedback after a click) lets a burst's acknowledgements go first. Every
        caller waits on the same watch: a burst has hundreds of them."""
        if self._quiet_watch is None or self._quiet_watch.done():
            self._quiet_watch = asyncio.ensure_future(self._until_quiet(pause, timeout))
        await asyncio.wait({self._quiet_watch}, timeout=timeout)

    async def _until_quiet(self, pause: float, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while True:
                    await self._idle.wait()
                    seen = self._submitted
                    await asyncio.sleep(pause)
                    if self._idle.is_set() and self._submitted == seen:
                        return

    # --- on the event loop ---------------------------------------------------------------------

    def _start_worker(self) -> None:
        with self._lock:
            if not self._queue or self._workers >= self._max_workers:
                return
            self._workers += 1
        task = asyncio.ensure_future(self._run_worker())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_worker(self) -> None:
        try:
            await self._db.on_write_thread(self._commit_groups)
        except StoreUnavailable as error:  # the database did not open in time: nothing queued can wait
            with self._lock:
                self._workers -= 1
            for _, future in self._take(len(self._queue)):
                _fail(future, error)
        finally:
            self._start_worker()  # for what arrived after this worker's turn ended
            if not self._queue and not self._workers:
                self._idle.set()

    def _resolve(self, group: list[Entry[Item, R]], outcome: list[R] | BaseException) -> None:
        if isinstance(outcome, BaseException):
            for _, future in group:
                _fail(future, outcome)
            return
        self.groups += 1
        for (_, future), result in zip(group, outcome, strict=True):
            if not future.done():
                future.set_result(result)

    # --- on the database's write thread --------------------------------------------------------

    def _commit_groups(self) -> None:
        """Groups one after another until the queue is empty or the turn is over. The worker signs off in
        the same step as it finds nothing left, so a write queued a moment later starts a new worker at
        once instead of waiting for the event loop to hear that this one has stopped."""
        with self._db.transactions() as transactions:
            for _ in range(GROUPS_PER_TURN):
                group = self._take(self._max_group, leave_if_empty=True)
                if not group:
                    return
                self._commit(transactions, group, retry_alone=True)
        with self._lock:
            self._workers -= 1  # the turn is over; the event loop starts another worker if there is work

    def _take(self, count: int, *, leave_if_empty: bool = False) -> list[Entry[Item, R]]:
        """Up to `count` queued writes whose callers are still waiting; with `leave_if_empty`, a worker
        that gets none is counted out."""
        group: list[Entry[Item, R]] = []
        with self._lock:
            while self._queue and len(group) < count:
                entry = self._queue.popleft()
                if not entry[1].done():
                    group.append(entry)
            if leave_if_empty and not group:
                self._workers -= 1
        return group

    def _commit(self, transactions: Transactions, group: list[Entry[Item, R]], *, retry_alone: bool) -> None:
        outcome: list[R] | BaseException
        try:
            outcome = transactions.run(self._query, [item for item, _ in group])
        except StoreUnavailable as error:
            outcome = error
        except Exception as error:
            if len(group) > 1 and retry_alone:
                log.warning("a group of %d writes failed (%s); writing them one by one", len(group), error)
                for entry in group:
                    self._commit(transactions, [entry], retry_alone=False)
                return
            outcome = error
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._resolve, group, outcome)


def _fail(future: asyncio.Future[R], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
