"""The quiz's tables. Only `bot.quiz.queries` touches these; callers get the records in `bot.quiz.records`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.claims.models import Leased
from bot.core.store.base import Base


class ScheduleRow(Base):
    """One daily quiz schedule per channel."""

    __tablename__ = "schedules"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    time: Mapped[str] = mapped_column(String(5))  # "HH:MM", local to `timezone`
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    days: Mapped[str] = mapped_column(String(64))  # bot.core.timecodes.format_days, e.g. "mon-fri"
    active: Mapped[bool]
    reveal_after: Mapped[str | None] = mapped_column(String(16))  # RevealAfter.encode; None: the default
    answer_at_reveal: Mapped[bool] = mapped_column(default=False)
    """Wrong pickers learn the right letter only from the reveal."""
    weekly_leaderboard: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class PostRow(Leased, Base):
    """A quiz post: claimed (lease) -> posted (ts) or failed -> revealed (`bot.core.claims`).

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
    reveal_due: Mapped[dt.datetime]
    answer_at_reveal: Mapped[bool] = mapped_column(default=False)  # the schedule's, when it was posted
    reveal_claimed_by: Mapped[str | None] = mapped_column(String(128))
    reveal_lease_until: Mapped[dt.datetime | None]
    revealed_at: Mapped[dt.datetime | None]
    reveal_ts: Mapped[str | None] = mapped_column(String(32))


class WeeklyBoardRow(Leased, Base):
    """A channel's weekly leaderboard post: claimed (lease) -> posted (ts) or given up (`bot.core.claims`).

    The unique (channel, week) pair is what makes it happen once a week.
    """

    __tablename__ = "quiz_weekly_boards"
    __table_args__ = (UniqueConstraint("channel", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(10))  # the ISO week in the schedule's zone, "2026-W49"
    local_date: Mapped[dt.date]
    due_at: Mapped[dt.datetime]


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
    hint_used: Mapped[bool] = mapped_column(default=False)


class HintRow(Base):
    """Someone asked for the hint of a post (before answering, or not at all)."""

    __tablename__ = "quiz_hints"

    post_id: Mapped[int] = mapped_column(ForeignKey(PostRow.id, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    asked_at: Mapped[dt.datetime]
