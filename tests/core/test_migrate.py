from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from bot.core.store import event_queries  # noqa: F401  (its table joins the metadata)
from bot.core.store.base import Base
from bot.core.store.engine import make_engine, normalise_url
from bot.core.store.migrate import MIGRATIONS_DIR, head_revision, upgrade
from bot.learn import models as learn_models  # noqa: F401  (its tables join the metadata)
from bot.quiz import models  # noqa: F401  (its tables join the metadata)
from bot.welcome import queries as welcome_queries  # noqa: F401  (its table joins the metadata)
from tests.fixtures.quiz_store import run_together

REPO = Path(__file__).resolve().parents[2]
TABLES = {
    "schedules",
    "quiz_posts",
    "quiz_answers",
    "quiz_hints",
    "processed_events",
    "welcomed_users",
    "learn_learners",
    "learn_cards",
    "learn_deliveries",
    "learn_reviews",
    "learn_hints",
}


def _version(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def test_upgrade_from_empty_creates_every_table(engine: Engine) -> None:
    assert not set(inspect(engine).get_table_names()) & TABLES
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert _version(engine) == [head_revision()]


def test_migrations_match_the_models(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert _version(engine) == [head_revision()]


def test_concurrent_upgrades_from_two_threads(new_engine: Callable[[], Engine]) -> None:
    first, second = new_engine(), new_engine()
    run_together(lambda: upgrade(first), lambda: upgrade(second))
    assert _version(first) == [head_revision()]
    assert set(inspect(second).get_table_names()) >= TABLES


def test_concurrent_upgrades_from_two_processes(database_url: str, engine: Engine) -> None:
    """Both processes sleep until the same instant after their imports, then migrate."""
    script = (
        "import sys, time; from bot.core.store.engine import make_engine; "
        "from bot.core.store.migrate import upgrade; "
        "engine = make_engine(sys.argv[1]); time.sleep(max(0.0, float(sys.argv[2]) - time.time())); "
        "upgrade(engine)"
    )
    start = str(time.time() + 3)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url, start], cwd=REPO, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    errors = [process.communicate(timeout=60)[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0], errors
    assert _version(engine) == [head_revision()]


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@db:5432/bot", "postgresql+psycopg"),
        ("postgres://u@db/bot", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/bot", "postgresql+psycopg"),
        ("sqlite:///data/bot.db", "sqlite"),
    ],
)
def test_normalise_url_picks_psycopg(url: str, driver: str) -> None:
    assert normalise_url(url).drivername == driver


def test_sqlite_engine_creates_the_directory_and_uses_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/nested/dir/bot.db")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        assert (tmp_path / "nested" / "dir" / "bot.db").exists()
    finally:
        engine.dispose()


def test_in_memory_sqlite_is_shared_between_threads() -> None:
    engine = make_engine("sqlite://")
    try:
        upgrade(engine)
        with ThreadPoolExecutor(1) as pool:
            assert set(pool.submit(lambda: inspect(engine).get_table_names()).result()) >= TABLES
    finally:
        engine.dispose()


def test_head_revision_is_alembics_head() -> None:
    """The quick up-to-date check reads revisions itself; it must agree with Alembic."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_upgrade_keeps_answers_given_before_hints_existed(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO quiz_posts (id, channel, slot, local_date, question_id, due_at, claimed_by,"
                " lease_until, reveal_due) VALUES (1, 'C1', 's', '2026-11-23', 'q', :t, 'a', :t, :t)"
            ),
            {"t": "2026-11-23 09:30:00"},
        )
        connection.execute(
            text(
                "INSERT INTO quiz_answers (post_id, user_id, choice, correct, answered_at, counted)"
                " VALUES (1, 'U1', 'A', true, :t, true)"
            ),
            {"t": "2026-11-23 09:31:00"},
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT user_id, hint_used FROM quiz_answers")).all()
    assert rows == [("U1", False)]


def test_upgrade_keeps_the_learning_path_and_never_reuses_a_delivery_id(engine: Engine) -> None:
    """0004 rebuilds the deliveries on SQLite (AUTOINCREMENT): every delivery, review and hint stays, and
    the id of a deleted delivery (a forgotten learner's) is not handed out again."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    at = {"t": "2026-11-23 09:30:00"}
    delivery = (
        "INSERT INTO learn_deliveries (user_id, slot, kind, local_date, question_ids, due_at, claimed_by,"
        " lease_until) VALUES ('U1', :slot, 'day', '2026-11-23', 'q1', :t, 'a', :t)"
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO learn_learners (user_id, status, timezone, enrolled_by, enrolled_at, days,"
                " unanswered_days, opt_out_offered, updated_at)"
                " VALUES ('U1', 'active', 'UTC', 'U1', :t, 1, 0, false, :t)"
            ),
            at,
        )
        for slot in ("d1", "d2", "d3"):
            connection.execute(text(delivery), {**at, "slot": slot})
        first, second, third = connection.scalars(text("SELECT id FROM learn_deliveries ORDER BY id")).all()
        connection.execute(
            text(
                "INSERT INTO learn_reviews (user_id, delivery_id, question_id, choice, correct, hint_used,"
                " rating, reviewed_at, stability, difficulty, due) VALUES ('U1', :d, 'q1', 'A', true, false,"
                " 3, :t, 1.0, 1.0, :t)"
            ),
            {**at, "d": second},
        )
        connection.execute(
            text("INSERT INTO learn_hints (delivery_id, question_id, asked_at) VALUES (:d, 'q1', :t)"),
            {**at, "d": third},
        )
    upgrade(engine)
    with engine.begin() as connection:
        assert connection.scalars(text("SELECT id FROM learn_deliveries ORDER BY id")).all() == [
            first,
            second,
            third,
        ]
        assert connection.scalars(text("SELECT delivery_id FROM learn_reviews")).all() == [second]
        assert connection.scalars(text("SELECT delivery_id FROM learn_hints")).all() == [third]
        connection.execute(text("DELETE FROM learn_deliveries WHERE id = :d"), {"d": third})
        connection.execute(text(delivery), {**at, "slot": "d4"})
        assert connection.scalar(text("SELECT max(id) FROM learn_deliveries")) > third


def test_upgrade_starts_each_right_card_s_run_at_its_last_answer(engine: Engine) -> None:
    """0005: a card answered right last time begins its run of right answers then; a wrong one has none;
    every learner's streak starts at 0."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    at = {"t": "2026-11-23 09:30:00"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO learn_learners (user_id, status, timezone, enrolled_by, enrolled_at, days,"
                " unanswered_days, opt_out_offered, updated_at)"
                " VALUES ('U1', 'active', 'UTC', 'U1', :t, 1, 0, false, :t)"
            ),
            at,
        )
        for question, correct in (("q1", "true"), ("q2", "false")):
            connection.execute(
                text(
                    "INSERT INTO learn_cards (user_id, question_id, topic, state, stability, difficulty, due,"
                    f" last_review, reviews, lapses, last_correct) VALUES ('U1', '{question}', 'monitoring',"
                    f" 2, 2.3, 5.0, :t, :t, 1, 0, {correct})"
                ),
                at,
            )
    upgrade(engine)
    with engine.begin() as connection:
        runs = connection.execute(
            text(
                "SELECT question_id, right_since IS NOT NULL, learned_at FROM learn_cards"
                " ORDER BY question_id"
            )
        ).all()
        streak = connection.scalar(text("SELECT streak FROM learn_learners"))
    assert [tuple(row) for row in runs] == [("q1", True, None), ("q2", False, None)]
    assert streak == 0
