"""Bring a database up to the newest schema. Safe to call from several processes starting at once."""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number works; it only has to be the same in every process of this app.
_PG_LOCK_KEY = 0x6D6C_6F70_7364_6576
# Alembic keeps its running context in module globals, so one process must not migrate on two threads.
_THREAD_LOCK = threading.Lock()


def upgrade(engine: Engine) -> None:
    """Run every pending Alembic migration (no alembic.ini needed), holding a database-wide lock.

    A database already at the newest revision is recognised with one query, without importing Alembic
    (a tenth of a second of every start).
    """
    if _current_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    with _THREAD_LOCK, engine.connect() as connection:
        _lock(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def _lock(connection: Connection) -> None:
    """Serialise migrations: the second process waits, then finds nothing left to do.

    Both locks last until the surrounding transaction ends, which is where the migration commits.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest revision: the one no other migration names as its `down_revision`."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, revision in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if down else revisions).add(revision)
    (head,) = revisions - parents
    return head


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no schema yet
        return None
