"""The SQL behind `Welcomes`; runs only on the database's worker threads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.core.store.base import Base, insert_once


class WelcomedRow(Base):
    """People who got the bot's welcome in its DM (it is sent once)."""

    __tablename__ = "welcomed_users"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    welcomed_at: Mapped[dt.datetime]


def claim(session: Session, user_id: str, now: dt.datetime) -> bool:
    return insert_once(session, WelcomedRow, WelcomedRow.user_id, user_id=user_id, welcomed_at=now)


def forget(session: Session, user_id: str) -> None:
    session.execute(delete(WelcomedRow).where(WelcomedRow.user_id == user_id))
