"""The async face of the database. Nothing else in the bot waits on SQL.

Every call runs on a small thread pool of our own with plain (sync) SQLAlchemy, bounded in time: a caller
that must answer inside Slack's 3-second ack gets `StoreUnavailable` after `timeout` instead of waiting.
Threads rather than SQLAlchemy's asyncio extension: `python -m bench.store_drivers` ran the bot's own
event claim and a read, 20 at a time, both ways in one run (2026-11-29): the pool did 1.7-2.3x the
operations per second with a lower p99, on SQLite (aiosqlite) and on PostgreSQL (psycopg async).

The engine is opened after the bot is already answering: importing SQLAlchemy and checking the schema is
about 0.2 s of a 0.35 s start (measured), and `/compare` needs neither. Calls made meanwhile wait for it,
within their own bound; once an attempt to open it has failed, they fail at once (`StoreUnavailable`)
until an attempt succeeds, instead of each waiting out its bound.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")
Query = Callable[Concatenate["Session", P], T]
"""A function of a `*queries` module: its session first, then its own arguments."""

WORKERS = 8
"""Threads (and at most as many pooled connections) doing database work at once."""
REQUEST_TIMEOUT = 1.5
"""The bound for work done before an ack: Slack gives 3 s, and the reply itself needs some of it."""
PING_TIMEOUT = 1.0
"""The bound for the readiness probe's trivial query."""


class LazyQueries:
    """A `*queries` module, imported the first time one of its functions runs, which is on a database
    thread: the SQL (and SQLAlchemy, a fifth of the start-up) stays off the event loop and out of the start.

    A feature names its queries module once, typed as the module itself::

        if TYPE_CHECKING:
            from bot.quiz import queries
        else:
            queries = LazyQueries("bot.quiz.queries")

    and runs its functions with `await database.read(queries.get_post, post_id)`.
    """

    def __init__(self, module: str) -> None:
        self._name = module
        self._module: ModuleType | None = None
        self._queries: dict[str, Callable[..., Any]] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        query = self._queries.get(name)
        if query is None:

            def query(session: Session, *args: Any, **kwargs: Any) -> Any:
                return getattr(self._load(), name)(session, *args, **kwargs)

            query.__qualname__ = query.__name__ = name
            self._queries[name] = query
        return query

    def _load(self) -> ModuleType:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module


if TYPE_CHECKING:
    from bot.core.store import ping_queries
else:
    ping_queries = LazyQueries("bot.core.store.ping_queries")


class StoreUnavailable(Exception):
    """The database did not answer in time (lost, locked, still opening); trying again later may work."""


class Database:
    def __init__(self, url: str, *, timeout: float = REQUEST_TIMEOUT, workers: int = WORKERS) -> None:
        self.url = url
        self.timeout = timeout
        self._workers = workers
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="db")
        # SQLite lets one writer in at a time: this process's writes queue here, in order and within their
        # callers' bounds, instead of racing for the file's lock (whose wait is kept short, see engine.py).
        sqlite = url.startswith("sqlite")
        self._writes = ThreadPoolExecutor(1, thread_name_prefix="db-write") if sqlite else self._pool
        self._opened = asyncio.Event()
        self._unavailable: str | None = None
        """Why the last attempt to open failed; None once open (or before any attempt)."""
        self._ping: asyncio.Future[None] | None = None
        self._engine: Engine | None = None
        self._transactions: sessionmaker[Session] | None = None
        self._reads: sessionmaker[Session] | None = None

    @property
    def state(self) -> str:
        """`open`, `opening` (no attempt has failed yet) or `unavailable` (the last attempt failed)."""
        if self._opened.is_set():
            return "open"
        return "opening" if self._unavailable is None else "unavailable"

    @property
    def engine(self) -> Engine:
        assert self._engine is not None, "open() first"
        return self._engine

    async def open(self) -> None:
        """Connect and bring the schema up to date; raises StoreUnavailable with a one-line reason."""
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._pool, self._open)
        except Exception as error:
            self._unavailable = _reason(error)
            raise StoreUnavailable(self._unavailable) from None
        self._unavailable = None
        self._opened.set()

    def _open(self) -> None:
        from sqlalchemy.orm import sessionmaker

        from bot.core.store.engine import make_engine
        from bot.core.store.migrate import upgrade

        engine = make_engine(self.url, pool_size=self._workers)
        try:
            upgrade(engine)
        except Exception:
            engine.dispose()
            raise
        self._engine = engine
        self._transactions = sessionmaker(engine, expire_on_commit=False)
        # Reads commit nothing, so they skip BEGIN and COMMIT (a third of a short query's time on PostgreSQL).
        self._reads = sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))

    async def read(self, query: Query[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`query(session, *args, **kwargs)` for reads, within the database's bound: each statement sees
        what is committed; nothing is written."""
        return await self.read_within(self.timeout, query, *args, **kwargs)

    async def write(self, query: Query[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`query(session, *args, **kwargs)` in one transaction, within the database's bound: committed
        if it returns, rolled back entirely if it raises.

        IntegrityError (a unique key said no) reaches the caller as it is: it is an answer, not an outage.
        """
        return await self.write_within(self.timeout, query, *args, **kwargs)

    async def read_within(self, timeout: float, query: Query[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`read` with a bound of its own (background work that no ack waits on may take longer)."""

        def work(session: Session) -> T:
            return query(session, *args, **kwargs)

        return await self._run(lambda: self._in_session(self._reads, work, commit=False), timeout)

    async def write_within(self, timeout: float, query: Query[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`write` with a bound of its own (background work that no ack waits on may take longer)."""

        def work(session: Session) -> T:
            return query(session, *args, **kwargs)

        return await self._run(
            lambda: self._in_session(self._transactions, work, commit=True), timeout, self._writes
        )

    async def on_write_thread(self, work: Callable[[], T]) -> T:
        """`work()` on the thread that does this database's writes, once the database is open
        (StoreUnavailable when it does not open within the database's bound). Not bounded as a whole: for
        a stream of writes (`GroupCommit`) whose callers each hold a bound of their own, and whose
        statements have the driver's. `work` runs its transactions with `transactions()`."""
        await self._open_within(self.timeout)
        return await asyncio.get_running_loop().run_in_executor(self._writes, work)

    @contextmanager
    def transactions(self) -> Iterator[Transactions]:
        """On a database thread: transactions one after another on one connection, checked out (and pinged)
        once rather than for each; a connection that failed is dropped and the next takes a fresh one."""
        assert self._transactions is not None
        transactions = Transactions(self.engine, self._transactions)
        try:
            yield transactions
        finally:
            transactions.close()

    @staticmethod
    def _in_session(
        sessions: sessionmaker[Session] | None, work: Callable[[Session], T], *, commit: bool
    ) -> T:
        assert sessions is not None
        if commit:
            with sessions.begin() as session:
                return work(session)
        with sessions() as session:
            return work(session)

    async def ping(self, *, timeout: float = PING_TIMEOUT) -> None:
        """A trivial query, within `timeout`; raises StoreUnavailable. Probes arriving while one is under
        way share it, so a slow database does not fill the worker threads with probes."""
        if self._ping is None or self._ping.done():
            self._ping = asyncio.ensure_future(self.read_within(timeout, ping_queries.ping))
        await asyncio.shield(self._ping)

    async def _run(self, call: Callable[[], T], bound: float, pool: ThreadPoolExecutor | None = None) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + bound  # one bound for the wait to open and the call together
        await self._open_within(bound)
        try:
            async with asyncio.timeout_at(deadline):
                return await loop.run_in_executor(pool or self._pool, call)
        except TimeoutError:
            # The worker thread finishes (or fails) on its own, within the driver's own timeouts.
            raise StoreUnavailable(f"no answer within {bound:g} s") from None
        except Exception as error:
            if _is_outage(error):
                raise StoreUnavailable(_reason(error)) from error
            raise

    async def _open_within(self, bound: float) -> None:
        """Return once the database is open; StoreUnavailable at once while the last attempt to open it has
        failed, or after `bound` seconds of waiting for the attempt under way."""
        if self._unavailable is not None and not self._opened.is_set():
            raise StoreUnavailable(self._unavailable)
        try:
            async with asyncio.timeout(bound):
                await self._opened.wait()
        except TimeoutError:
            raise StoreUnavailable(f"no answer within {bound:g} s") from None

    async def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._writes.shutdown(wait=False, cancel_futures=True)
        if self._engine is not None:
            await asyncio.to_thread(self._engine.dispose)


class Transactions:
    """Transactions on one connection, for a database thread (`Database.transactions`)."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions
        self._connection: Connection | None = None

    def run(self, query: Query[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`query(session, *args, **kwargs)` in a transaction of its own: committed if it returns; an
        outage comes out as StoreUnavailable and drops the connection."""
        try:
            self._connection = self._connection or self._engine.connect()
            with self._sessions(bind=self._connection) as session, session.begin():
                return query(session, *args, **kwargs)
        except Exception as error:
            if not _is_outage(error):
                raise
            if self._connection is not None:
                self._connection.invalidate()
                self.close()
            raise StoreUnavailable(_reason(error)) from error

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _is_outage(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(error, IntegrityError):
        return False
    return isinstance(error, DBAPIError | DisconnectionError | PoolTimeout | OSError)


def _reason(error: BaseException) -> str:
    """One short line: the driver's first line, never the URL (it may hold a password)."""
    original: Any = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return (text[0] if text else type(original).__name__)[:200]
