"""How the bot's async code should reach the database: its own thread pool over sync SQLAlchemy
(`bot.core.store.Database`), or SQLAlchemy's asyncio extension (aiosqlite, psycopg's async driver).

Both run the bot's own statements: the event-id claim (an INSERT … ON CONFLICT in a transaction, what
every mention does before it is answered) and a quiz post lookup (a read), 20 at a time like a burst of
requests. Figures: operations per second and p99 latency, each way, on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.

`python -m bench.store_drivers` (needs the `bench` extra for aiosqlite).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.core.store import event_queries
from bot.core.store.database import Database
from bot.core.store.engine import normalise_url

OPERATIONS = 4000
CONCURRENCY = 20
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def _burst(operation: Callable[[int], Awaitable[Any]]) -> dict[str, float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    latencies: list[float] = []

    async def one(n: int) -> None:
        async with gate:
            started = time.perf_counter()
            await operation(n)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(OPERATIONS)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "ops_per_second": round(OPERATIONS / elapsed),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "median_ms": round(statistics.median(latencies) * 1000, 2),
    }


async def thread_pool(url: str) -> dict[str, float]:
    database = Database(url, timeout=30)
    await database.open()
    prefix = uuid.uuid4().hex[:8]
    try:
        claims = await _burst(lambda n: database.write(lambda s: event_queries.claim(s, f"{prefix}{n}", NOW)))
        reads = await _burst(lambda n: database.read(lambda s: s.get(event_queries.EventRow, f"{prefix}{n}")))
    finally:
        await database.close()
    return {"claim": claims, "read": reads}


async def asyncio_extension(url: str) -> dict[str, float]:
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from bot.core.store.database import Database as Migrator

    migrator = Migrator(url, timeout=30)  # the same schema, made the usual way
    await migrator.open()
    await migrator.close()
    parsed = normalise_url(url)
    driver = "sqlite+aiosqlite" if parsed.get_backend_name() == "sqlite" else "postgresql+psycopg_async"
    engine = (
        create_async_engine(parsed.set(drivername=driver), pool_size=8)
        if "postgresql" in driver
        else (create_async_engine(parsed.set(drivername=driver)))
    )
    transactions = async_sessionmaker(engine, expire_on_commit=False)
    reads = async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))
    prefix = uuid.uuid4().hex[:8]

    async def claim(n: int) -> None:
        async with transactions.begin() as session:
            await session.run_sync(lambda s: event_queries.claim(s, f"{prefix}{n}", NOW))

    async def read(n: int) -> None:
        async with reads() as session:
            await session.get(event_queries.EventRow, f"{prefix}{n}")

    try:
        return {"claim": await _burst(claim), "read": await _burst(read)}
    finally:
        await engine.dispose()


def measure() -> dict[str, Any]:
    results: dict[str, Any] = {"operations": OPERATIONS, "concurrency": CONCURRENCY}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/store.db"}
        if os.environ.get("TEST_DATABASE_URL"):
            urls["postgresql"] = os.environ["TEST_DATABASE_URL"]
        for backend, url in urls.items():
            results[backend] = {
                "thread_pool": asyncio.run(thread_pool(url)),
                "asyncio_extension": asyncio.run(asyncio_extension(url)),
            }
    return results


def render(results: dict[str, Any]) -> str:
    lines = [f"Store drivers: {results['operations']} operations, {results['concurrency']} at a time"]
    for backend in ("sqlite", "postgresql"):
        if backend not in results:
            continue
        for kind in ("claim", "read"):
            pool, ext = results[backend]["thread_pool"][kind], results[backend]["asyncio_extension"][kind]
            lines.append(
                f"  {backend:<10} {kind:<5} "
                f"thread pool {pool['ops_per_second']:>6} ops/s p99 {pool['p99_ms']:>6} ms"
                f" | asyncio ext {ext['ops_per_second']:>6} ops/s p99 {ext['p99_ms']:>6} ms"
                f" | pool/ext {pool['ops_per_second'] / ext['ops_per_second']:.2f}x"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(measure()))
    sys.exit(0)
