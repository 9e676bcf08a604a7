"""INSERT … ON CONFLICT for the dialect in use: how races between processes are decided in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, table: Any) -> Any:
    """The dialect's insert, which has `on_conflict_do_nothing` and `on_conflict_do_update`."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_once(session: Session, table: Any, key: Any, **values: Any) -> bool:
    """Insert a row unless one with the same key exists; True only for the caller whose row went in."""
    statement = insert(session, table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).scalar_one_or_none() is not None
