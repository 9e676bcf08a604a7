"""Engine construction for SQLite files and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 1_000
"""How long SQLite waits for another writer's lock before the statement fails: shorter than the callers'
bound (`Database.timeout`), so a write they gave up on is rolled back, never committed behind their back."""
SQLITE_WAL_SWITCH_SECONDS = 15
PG_CONNECT_TIMEOUT_S = 2
PG_STATEMENT_TIMEOUT_MS = 5_000
PG_LOCK_TIMEOUT_MS = 1_000
POOL_TIMEOUT_S = 2
"""Bounds below the callers' own (`Database.timeout`), so a hung database frees its worker thread too."""
PG_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}
"""A connection whose peer went silent (a cut network) is found dead in about 10 s, not hours."""


def normalise_url(url: str | URL) -> URL:
    """``postgresql://`` and ``postgres://`` URLs get the psycopg 3 driver; others pass through."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, *, pool_size: int = 5) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=pool_size,
            pool_timeout=POOL_TIMEOUT_S,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, **PG_KEEPALIVE},
        )
        event.listen(engine, "connect", _configure_postgresql)
        return engine
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        # One shared connection; otherwise every pooled connection would see its own empty database.
        options["poolclass"] = StaticPool
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_postgresql(dbapi_connection: Any, _record: Any) -> None:
    """No statement or lock wait outlasts its bound (the session's own settings, kept across commits)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {PG_STATEMENT_TIMEOUT_MS}")
        cursor.execute(f"SET lock_timeout = {PG_LOCK_TIMEOUT_MS}")
    dbapi_connection.commit()


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Wait for locks instead of failing, let readers run beside a writer, and enforce foreign keys."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    _retry_while_locked(lambda: cursor.execute("PRAGMA journal_mode = WAL"))
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _retry_while_locked(action: Callable[[], object]) -> None:
    """Switching to WAL can fail at once with "database is locked" (SQLite does not call the busy
    handler there) while another process is busy with the same new file; keep trying for a while."""
    deadline = time.monotonic() + SQLITE_WAL_SWITCH_SECONDS
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
