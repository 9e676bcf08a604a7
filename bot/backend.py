"""The database-backed half of the bot: the store and the quiz engine.

It is opened after the bot is already answering (`Services.open`), because importing SQLAlchemy and
checking the schema is most of a start; `/compare` needs neither.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.quiz.service import QuizService
from bot.settings import Settings, StartupError
from bot.store import QuizStore, make_engine, upgrade


@dataclass(frozen=True)
class Backend:
    store: QuizStore
    quiz: QuizService


def open_backend(settings: Settings, client: AsyncWebClient, clock: Clock) -> Backend:
    """Blocking: connect, migrate, and build the quiz engine. Raises StartupError."""
    store = open_store(settings.database_url)
    quiz = QuizService(
        store, client, clock, settings, instance_id=uuid.uuid4().hex[:12], lease=settings.quiz.claim_lease
    )
    return Backend(store, quiz)


def open_store(database_url: str) -> QuizStore:
    """Connect and bring the schema up to date; an unreachable database is one line for the operator."""
    try:
        engine = make_engine(database_url)
        upgrade(engine)
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise StartupError(f"DATABASE_URL: cannot open the database ({reason})") from None
    return QuizStore(engine)
