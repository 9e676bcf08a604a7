"""The SQL behind `EventLog`; runs only on the database's worker threads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.core.store.base import Base, insert_once


class EventRow(Base):
    """Slack event ids already handled, so retries and other processes skip them."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(index=True)


def claim(session: Session, event_id: str, now: dt.datetime) -> bool:
    return insert_once(session, EventRow, EventRow.event_id, event_id=event_id, seen_at=now)


def prune(session: Session, older_than: dt.datetime) -> int:
    return int(session.execute(delete(EventRow).where(EventRow.seen_at < older_than)).rowcount)
