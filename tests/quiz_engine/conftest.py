"""Quiz engine fixtures: a real FakeSlack whose timestamps follow a FakeClock, and real databases.

The database fixtures come from the store tests (SQLite always, PostgreSQL too with TEST_DATABASE_URL,
a fresh schema per test), so every engine test runs on each backend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

from bot.clock import FakeClock
from bot.quiz.service import QuizService
from bot.settings import QuizSettings
from bot.slack_client import build_client
from bot.store import QuizStore
from slackfake import FakeSlack
from tests.quiz_engine.helpers import LEASE, QUIZ, make_settings


class MakeService(Protocol):
    def __call__(
        self,
        *,
        quiz: QuizSettings = ...,
        instance_id: str = ...,
        own_engine: bool = ...,
        client: AsyncWebClient | None = ...,
        **options: Any,
    ) -> QuizService: ...


@pytest.fixture
def make_service(
    fake: FakeSlack,
    clock: FakeClock,
    store: QuizStore,
    new_engine: Callable[[], Engine],
) -> MakeService:
    """Builds services on the test database; ``own_engine=True`` stands in for another process."""

    def factory(
        *,
        quiz: QuizSettings = QUIZ,
        instance_id: str = "proc-a",
        own_engine: bool = False,
        client: AsyncWebClient | None = None,
        **options: Any,
    ) -> QuizService:
        settings = make_settings(fake.api_url, quiz)
        client = client or build_client(settings)
        options.setdefault("retry_delays", (0.01, 0.02))
        options.setdefault("count_interval", 0.2)
        options.setdefault("lease", LEASE)
        service_store = QuizStore(new_engine()) if own_engine else store
        return QuizService(service_store, client, clock, settings, instance_id, **options)

    return factory


@pytest.fixture
def service(make_service: MakeService) -> QuizService:
    return make_service()
