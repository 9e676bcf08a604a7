"""Persistence for schedules, quiz posts, answers and processed Slack events (SQLite or PostgreSQL).

The records are plain dataclasses and load at once; the engine, the migrations and the store (which
pull in SQLAlchemy, a large share of the bot's start-up time) load on first use, after the bot is
already answering requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from bot.store.engine import make_engine, normalise_url
    from bot.store.migrate import upgrade
    from bot.store.quiz_store import QuizStore

_LAZY = {
    "make_engine": "bot.store.engine",
    "normalise_url": "bot.store.engine",
    "upgrade": "bot.store.migrate",
    "QuizStore": "bot.store.quiz_store",
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bot.store' has no attribute {name!r}")
