"""*Stop and forget me* leaves nothing of the person behind: not in the path's tables, not as whoever
enrolled others, not in the learning channel's graduation announcement, and not in the bot's log lines."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select

from bot.core.store.base import Base
from bot.learn import ids
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.driver import ADMIN, MONDAY
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import ask, dm_of, path_dms, press, questions_in, wait_until

BOB = "U456"
LEARNING = "CLEARN"
ONE_TOPIC = {"LEARN_TOPICS": "monitoring", "LEARN_MAX_PER_DAY": "4", "LEARN_NEW_PER_DAY": "4"}
"""Four questions, all asked on the first day: a path graduated from within days."""


def graduate(fake: FakeSlack, clock: FakeClock, user: str) -> dict:
    """Answer every question right, day after day, until the congratulations come; returns that DM."""
    answered = 0
    for day in range(8):
        clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=day))
        try:
            wait_until(lambda n=answered: len(path_dms(fake, user)) > n, timeout=1.0)
        except AssertionError:
            continue  # nothing due today
        for dm in path_dms(fake, user)[answered:]:
            answered += 1
            for index, question in enumerate(questions_in(dm)):
                press(fake, user, dm, index, question.answer)
        # The congratulations follow the last answer; the next day must not begin before they are sent.
        try:
            return wait_until(lambda: congratulations_in(path_dms(fake, user)), timeout=1.0)
        except AssertionError:
            continue
    raise AssertionError("never graduated")


def congratulations_in(dms: list[dict]) -> dict | None:
    return next((dm for dm in dms if "Congratulations" in str(dm["blocks"])), None)


def announcements(fake: FakeSlack) -> list[dict]:
    return [message for message in fake.messages(LEARNING) if "has learned all" in str(message)]


def rows_naming(database_url: str, user: str) -> list[str]:
    """Every row of every table of the bot's database that holds `user`, as text."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [
                f"{table.name}: {row}"
                for table in Base.metadata.sorted_tables
                if table.name.startswith("learn_")
                for row in connection.execute(select(table))
                if user in str(tuple(row))
            ]
    finally:
        engine.dispose()


def test_forget_me_deletes_the_path_the_announcement_and_the_name_everywhere(
    learn_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    learn_bot(LEARN_CHANNEL=LEARNING, **ONE_TOPIC)
    ask(fake, ADMIN, f"enroll <@{BOB}>", replies=2)  # the admin enrols Bob, then themselves
    ask(fake, ADMIN, "")
    fake.join(ADMIN, LEARNING)  # already on the path: a log line about them
    congratulations = graduate(fake, clock, ADMIN)
    fake.click(ADMIN, dm_of(ADMIN), congratulations["ts"], ids.LEARN_SHARE)
    wait_until(lambda: announcements(fake))
    assert rows_naming(database_url, ADMIN)

    reply = ask(fake, ADMIN, "forget")
    assert "deleted" in reply and "So is the announcement of your graduation" in reply
    assert announcements(fake) == []
    assert rows_naming(database_url, ADMIN) == []
    assert any("'someone'" in row for row in rows_naming(database_url, BOB))

    fake.click(ADMIN, dm_of(ADMIN), congratulations["ts"], ids.LEARN_SHARE)  # the old button
    wait_until(lambda: "Only graduates can share" in str(fake.ephemerals(dm_of(ADMIN), ADMIN)[-1]))
    count = len(path_dms(fake, ADMIN))
    fake.join(ADMIN, LEARNING)  # a new learner now: enrolled and logged again, under a pseudonym
    wait_until(lambda: len(path_dms(fake, ADMIN)) > count)
    assert announcements(fake) == [], "the announcement is not posted again"
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("bot")]
    assert any("joined the learning channel: person-" in line for line in logged), logged
    assert not [line for line in logged if ADMIN in line]
