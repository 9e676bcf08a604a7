"""What every table and every query shares (database threads only): one metadata (for the migrations),
aware UTC datetimes on every backend, the dialect's INSERT … ON CONFLICT (where races between processes
are decided in one statement), and rows into frozen records."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so values are stored as naive UTC
    text (which sorts correctly) and read back with UTC attached.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime given to the database: {value!r}")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {dt.datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy's declared hook


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
