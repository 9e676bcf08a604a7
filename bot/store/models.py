"""ORM tables. Only the store touches these; callers get the frozen records from ``bot.store.records``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Dialect, ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
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


class ScheduleRow(Base):
    """One daily quiz schedule per channel."""

    __tablename__ = "schedules"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    time: Mapped[str] = mapped_column(String(5))  # "HH:MM", local to `timezone`
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    days: Mapped[str] = mapped_column(String(64))  # bot.quiz.timing.format_days, e.g. "mon-fri"
    active: Mapped[bool]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class PostRow(Base):
    """A quiz post: claimed (lease) -> posted (ts) or failed -> revealed.

    The unique (channel, slot) pair is what makes a scheduled post happen exactly once.
    """

    __tablename__ = "quiz_posts"
    __table_args__ = (UniqueConstraint("channel", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    slot: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[dt.date]
    question_id: Mapped[str] = mapped_column(String(128))
    due_at: Mapped[dt.datetime]
    claimed_by: Mapped[str] = mapped_column(String(128))
    lease_until: Mapped[dt.datetime]
    ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[dt.datetime | None]
    reveal_due: Mapped[dt.datetime]
    reveal_claimed_by: Mapped[str | None] = mapped_column(String(128))
    reveal_lease_until: Mapped[dt.datetime | None]
    revealed_at: Mapped[dt.datetime | None]
    reveal_ts: Mapped[str | None] = mapped_column(String(32))
    failed_reason: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[dt.datetime | None]


class AnswerRow(Base):
    """A user's first answer to a post."""

    __tablename__ = "quiz_answers"
    __table_args__ = (Index(None, "user_id"),)

    post_id: Mapped[int] = mapped_column(ForeignKey(PostRow.id, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    choice: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool]
    answered_at: Mapped[dt.datetime]
    counted: Mapped[bool]  # false for answers pressed after the reveal


class EventRow(Base):
    """Slack event ids already handled, so retries and other processes skip them."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(index=True)
