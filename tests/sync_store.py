"""The quiz's SQL run directly and synchronously, for tests that watch a bot process from outside."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bot.quiz import queries, stats


class SyncStore:
    """`SyncStore(engine).post_for_slot(channel, slot)` runs `queries.post_for_slot` in one transaction."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        query = getattr(queries, name, None) or getattr(stats, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._sessions.begin() as session:
                return query(session, *args, **kwargs)

        return call
