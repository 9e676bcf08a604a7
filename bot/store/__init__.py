"""Persistence for schedules, quiz posts, answers and processed Slack events (SQLite or PostgreSQL)."""

from bot.store.engine import make_engine, normalise_url
from bot.store.migrate import upgrade
from bot.store.quiz_store import QuizStore
from bot.store.records import (
    Answer,
    LeaderRow,
    Post,
    Results,
    Schedule,
    UserStats,
    manual_slot,
    scheduled_slot,
)

__all__ = [
    "Answer",
    "LeaderRow",
    "Post",
    "QuizStore",
    "Results",
    "Schedule",
    "UserStats",
    "make_engine",
    "manual_slot",
    "normalise_url",
    "scheduled_slot",
    "upgrade",
]
