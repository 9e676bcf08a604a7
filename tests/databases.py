"""Database fixtures: tests using them run on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.

Each PostgreSQL test gets its own schema (selected through ``search_path``), dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from sqlalchemy import Engine

from bot.core.store.database import Database
from bot.core.store.engine import make_engine, normalise_url
from bot.quiz.store import QuizStore

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/data/bot.db"
        return
    assert PG_URL
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = normalise_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def new_engine(database_url: str) -> Iterator[Callable[[], Engine]]:
    """Makes engines on the test database, like separate processes would; disposed after the test."""
    engines: list[Engine] = []

    def factory() -> Engine:
        engines.append(make_engine(database_url))
        return engines[-1]

    yield factory
    for engine in engines:
        engine.dispose()


@pytest.fixture
def engine(new_engine: Callable[[], Engine]) -> Engine:
    return new_engine()


@pytest.fixture
async def new_database(database_url: str) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Opens databases on the test database, like separate processes would; closed after the test."""
    opened: list[Database] = []

    async def factory() -> Database:
        database = Database(database_url)
        await database.open()
        opened.append(database)
        return database

    yield factory
    for database in opened:
        await database.close()


@pytest.fixture
async def store(new_database: Callable[[], Awaitable[Database]]) -> QuizStore:
    return QuizStore(await new_database())


@pytest.fixture
async def second_store(store: QuizStore, new_database: Callable[[], Awaitable[Database]]) -> QuizStore:
    """A store on its own engine (own connection pool), standing in for another process."""
    return QuizStore(await new_database())
