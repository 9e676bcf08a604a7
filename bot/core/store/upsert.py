"""INSERT … ON CONFLICT for the dialect in use: how races between processes are decided in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, table: Any) -> Any:
    """The dialect's insert, which has `on_conflict_do_nothing` and `on_conflict_do_update`."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
