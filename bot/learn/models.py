"""The learning path's tables. Only `bot.learn.queries` touches these; callers get `bot.learn.records`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.claims.models import Leased
from bot.core.store.base import Base


class LearnerRow(Base):
    """One person on the path. `next_due_at` is the UTC instant of their next day's DM (NULL unless
    active): the engine's only question is "whose `next_due_at` has passed?"."""

    __tablename__ = "learn_learners"
    __table_args__ = (Index(None, "status", "next_due_at"),)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # active | paused | stopped
    reason: Mapped[str | None] = mapped_column(String(200))  # why paused or stopped
    timezone: Mapped[str] = mapped_column(String(64))
    tz_checked_at: Mapped[dt.datetime | None]
    dm_channel: Mapped[str | None] = mapped_column(String(64))
    enrolled_by: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[dt.datetime]
    next_due_at: Mapped[dt.datetime | None]
    last_due_at: Mapped[dt.datetime | None]
    """When the last day's DM was due (for the gap after a time zone change)."""
    days: Mapped[int] = mapped_column(default=0)
    """Days with questions delivered: "Day 6"."""
    unanswered_days: Mapped[int] = mapped_column(default=0)
    """Question days delivered since the last answer."""
    opt_out_offered: Mapped[bool] = mapped_column(default=False)
    graduated_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime]
    streak: Mapped[int] = mapped_column(default=0, server_default="0")
    """Question days in a row with an answer, up to the last one answered."""


class CardRow(Base):
    """One learner x question: its FSRS card (state, stability, difficulty, due)."""

    __tablename__ = "learn_cards"
    __table_args__ = (Index(None, "user_id", "due"),)

    user_id: Mapped[str] = mapped_column(ForeignKey(LearnerRow.user_id, ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    state: Mapped[int]  # fsrs.State
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[dt.datetime]
    last_review: Mapped[dt.datetime | None]
    reviews: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    last_correct: Mapped[bool] = mapped_column(default=False)
    right_since: Mapped[dt.datetime | None]
    """When the current run of right answers began (NULL after a wrong answer)."""
    learned_at: Mapped[dt.datetime | None]
    """When an answer to this question made its topic learned."""


class DeliveryRow(Leased, Base):
    """One DM of the path: claimed (lease) -> posted (ts) or failed (`bot.core.claims`). The unique
    (user_id, slot) pair makes each learner's day (and their graduation, and a pause notice) go out exactly
    once. Ids are never reused (AUTOINCREMENT on SQLite too): a DM's buttons name its delivery, and a
    forgotten learner's old buttons must not reach anyone's new day."""

    __tablename__ = "learn_deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "slot"),
        Index(None, "ts", "failed_reason", "lease_until"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey(LearnerRow.user_id, ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(32))  # local date "2026-11-23", "graduation", "pause-<date>"
    kind: Mapped[str] = mapped_column(String(16))  # welcome | day | pause | graduation
    local_date: Mapped[dt.date]
    question_ids: Mapped[str] = mapped_column(Text, default="")  # comma-separated, in order
    due_at: Mapped[dt.datetime]


class ReviewRow(Base):
    """Every answer: the FSRS rating it gave and the card after it. One per question of a delivery."""

    __tablename__ = "learn_reviews"
    __table_args__ = (UniqueConstraint("delivery_id", "question_id"), Index(None, "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey(LearnerRow.user_id, ondelete="CASCADE"))
    delivery_id: Mapped[int] = mapped_column(ForeignKey(DeliveryRow.id, ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(128))
    choice: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool]
    hint_used: Mapped[bool]
    rating: Mapped[int]  # fsrs.Rating
    reviewed_at: Mapped[dt.datetime]
    stability: Mapped[float]
    difficulty: Mapped[float]
    due: Mapped[dt.datetime]


class HintRow(Base):
    """A learner asked for the hint of one question of a delivery."""

    __tablename__ = "learn_hints"

    delivery_id: Mapped[int] = mapped_column(ForeignKey(DeliveryRow.id, ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    asked_at: Mapped[dt.datetime]
