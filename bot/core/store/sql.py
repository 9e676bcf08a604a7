"""Small SQL helpers every `*queries` module uses (database threads only): the dialect's INSERT … ON
CONFLICT, where races between processes are decided in one statement, and rows into frozen records."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

R = TypeVar("R")


def insert(session: Session, table: Any) -> Any:
    """The dialect's insert, which has `on_conflict_do_nothing` and `on_conflict_do_update`."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_once(session: Session, table: Any, key: Any, **values: Any) -> bool:
    """Insert a row unless one with the same key exists; True only for the caller whose row went in."""
    statement = insert(session, table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).scalar_one_or_none() is not None


def to_record(cls: type[R], row: object, **converted: Any) -> R:
    """`cls` (a dataclass) from `row`'s attributes of the same names, so the two cannot drift apart;
    `converted` gives the fields that need more than a copy (an enum from its stored value, say)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in converted}  # type: ignore[arg-type]
    return cls(**values, **converted)
