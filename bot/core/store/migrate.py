"""Bring a database up to the newest schema. Safe to call from several processes starting at once."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number works; it only has to be the same in every process of this app.
_PG_LOCK_KEY = 0x6D6C_6F70_7364_6576
# Alembic keeps its running context in module globals, so one process must not migrate on two threads.
_THREAD_LOCK = threading.Lock()


def upgrade(engine: Engine) -> None:
    """Run every pending Alembic migration (no alembic.ini needed), holding a database-wide lock."""
    if is_current(engine):
        return
    config = _config()
    with _THREAD_LOCK, engine.connect() as connection:
        _lock(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def is_current(engine: Engine) -> bool:
    """Whether the database is at the newest revision, as Alembic itself reads both."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head_revision()


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def _lock(connection: Connection) -> None:
    """Serialise migrations: the second process waits, then finds nothing left to do.

    Both locks last until the surrounding transaction ends, which is where the migration commits.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
