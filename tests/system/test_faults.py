"""Faults while the bot runs: Slack failing or out of reach, the database out of reach or lost.

Slack: whatever Slack does, commands whose answer rides in the ack still answer at once, and the daily
quiz is retried and lands exactly once when Slack is back, also when Slack took a post but its answer
never arrived. Database: out of reach at start, `python -m bot migrate` is one line and exit code 2 (the bot
itself serves without it and keeps trying: tests/test_database_at_start.py); lost while the bot runs, the
request that needed it is asked to try again and the bot recovers on its own when it is back.

A database lost under a running bot is a PostgreSQL server going away: the tests put a TCP proxy between
the bot and the server and cut it. An SQLite file cannot go away like that: the bot's open descriptors
keep working whatever happens to its path or permissions, so those tests are PostgreSQL only.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.core.replies import NOT_RECORDED, TRY_AGAIN
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.requests import app_mention_event
from tests.fixtures.databases import PG_URL
from tests.fixtures.driver import ALICE, BOB, wait_until
from tests.fixtures.faults import (
    ACK_BOUND,
    DUE,
    TODAY,
    ack_of,
    assert_posted_once,
    on_postgresql,
    open_store,
    pg_only,
    through,
)
from tests.fixtures.harness import RunningBot
from tests.fixtures.process import bot_env, run_bot
from tests.fixtures.quiz import CHANNEL, press, question_of, quiz_posts
from tests.fixtures.tcp_proxy import TcpProxy

CLIENT_TIMEOUT = 1.0
"""The bot's Web API timeout in these tests (10 s in production), so a hung call costs a second."""


@pytest.fixture
def start_bot(start_bot: Callable[..., RunningBot]) -> Callable[..., RunningBot]:
    """The shared `start_bot`, with a Web API client that times out after CLIENT_TIMEOUT."""
    return functools.partial(start_bot, client_timeout=CLIENT_TIMEOUT)


# ---- Slack ---------------------------------------------------------------------------------------

OUTAGES = ["refused", "5xx", "dropped", "hung"]


def break_slack(slack: FakeSlack, outage: str) -> None:
    if outage == "refused":
        slack.stop()  # nothing listens on the port: "connection refused"
    elif outage == "5xx":
        slack.set_down(True)
    elif outage == "dropped":
        slack.fail_forever("*", drop=True)
    else:
        slack.fail_forever("*", delay=CLIENT_TIMEOUT * 3, drop=True)  # no answer before the timeout


def mend_slack(slack: FakeSlack, outage: str) -> None:
    if outage == "refused":
        slack.start()  # on the same port
    elif outage == "5xx":
        slack.set_down(False)
    else:
        slack.heal("*")


@pytest.mark.parametrize("outage", OUTAGES)
def test_commands_answer_in_the_ack_while_slack_is_away_and_the_quiz_lands_once_it_is_back(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    outage: str,
) -> None:
    """The bot starts while Slack is away (a restart during an outage) with today's quiz due."""
    clock.set(DUE)
    break_slack(fake, outage)
    bot = start_bot()
    with open_store(database_url) as store:
        assert "MLOps" in str(ack_of(bot, "/compare", "monitoring"))
        assert ack_of(bot, "/compare", "help")
        assert "haven't answered" in str(ack_of(bot, "/quiz", "stats"))
        assert "/quiz stats" in str(ack_of(bot, "/quiz", "help"))

        wait_until(lambda: store.post_for_slot(CHANNEL, TODAY))  # claimed, and being tried
        assert quiz_posts(fake) == []
        mend_slack(fake, outage)
        assert_posted_once(fake, store)


FIRST_TRY = {
    "5xx-lost": {"status": 500},
    "5xx-posted-anyway": {"status": 503, "commit": True},
    "dropped-lost": {"drop": True},
    "dropped-posted-anyway": {"drop": True, "commit": True},
    "timed-out": {"delay": CLIENT_TIMEOUT * 2, "drop": True},
}


@pytest.mark.parametrize("fault", FIRST_TRY.values(), ids=FIRST_TRY.keys())
def test_quiz_post_failing_its_first_try_lands_exactly_once(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    fault: dict[str, Any],
) -> None:
    """A 5xx, a dropped connection or a timeout may hide a post Slack made: the retry looks first."""
    fake.fail_next("chat.postMessage", **fault)
    clock.set(DUE)
    start_bot()
    with open_store(database_url) as store:
        assert_posted_once(fake, store)
    sends = 1 if fault.get("commit") else 2  # resent only when the first try did not get through
    fake.wait_for("chat.postMessage", count=sends)  # a hung call is recorded when the fake gives up on it
    assert len(fake.calls_to("chat.postMessage")) == sends
    assert fake.calls_to("conversations.history"), "every retry checks the channel first"


@pytest.mark.parametrize("method", ["chat.postMessage", "conversations.history"])
def test_quiz_post_with_a_hung_call_gives_up_on_it_and_lands_within_the_wait(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    method: str,
) -> None:
    """Slack takes a call and never answers: the bot gives up after its timeout (CLIENT_TIMEOUT here) and
    its retry lands the post, long before the hung call would end (wait_until gives up after 10 s)."""
    if method == "conversations.history":
        fake.fail_next("chat.postMessage", status=503)  # only a retry looks in the channel's history first
    fake.fail_next(method, delay=60)
    clock.set(DUE)
    start_bot()
    with open_store(database_url) as store:
        assert_posted_once(fake, store)


def test_quiz_post_waits_out_a_long_outage_and_lands_once_after_the_claim_expires(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
) -> None:
    """Slack is down through every in-tick retry: the claim is left to expire, then any tick finishes it."""
    fake.fail_forever("chat.postMessage", status=503, commit=True)
    fake.fail_forever("conversations.history", status=503)
    clock.set(DUE)
    start_bot()
    with open_store(database_url) as store:
        fake.wait_for("conversations.history", count=2, timeout=15)  # the in-tick retries are spent
        claim = store.post_for_slot(CHANNEL, TODAY)
        assert claim is not None and claim.ts is None and claim.failed_reason is None
        assert len(quiz_posts(fake)) == 1  # Slack did take the first try

        fake.heal("chat.postMessage")
        fake.heal("conversations.history")
        clock.set(claim.lease_until + timedelta(seconds=1))
        assert_posted_once(fake, store)
    assert len(fake.calls_to("chat.postMessage")) == 1


# ---- the database out of reach at start ---------------------------------------------------------


@pytest.mark.parametrize("obstacle", ["parent-is-a-file", "path-is-a-directory"])
def test_migrate_with_an_unreachable_sqlite_database_exits_2(tmp_path: Path, obstacle: str) -> None:
    if obstacle == "parent-is-a-file":
        (tmp_path / "data").write_text("not a directory")
        path = tmp_path / "data" / "bot.db"  # its directory cannot be created
    else:
        path = tmp_path / "bot.db"
        path.mkdir()  # cannot be opened as a database file
    result = run_bot(bot_env(None, tmp_path, DATABASE_URL=f"sqlite:///{path}"), tmp_path, "migrate")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: DATABASE_URL:"), result.stderr
    assert result.stderr.strip().endswith(errors[0])
    assert "Traceback" not in result.stderr + result.stdout


# ---- the database lost while the bot runs (PostgreSQL, through a proxy the test cuts) -------------


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    assert PG_URL is not None
    server = make_url(PG_URL)
    with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


def posted_through(
    proxy: TcpProxy,
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
) -> tuple[RunningBot, dict[str, Any], str]:
    """A bot on the database through `proxy`, its quiz question posted: (bot, message, right letter)."""
    clock.set(DUE)
    bot = start_bot(database=through(proxy, database_url))
    with open_store(database_url) as store:
        message = assert_posted_once(fake, store)
    return bot, message, question_of(message).answer


@pg_only
@on_postgresql
def test_database_lost_while_running_asks_to_try_again_then_recovers_without_restart(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    proxy: TcpProxy,
) -> None:
    bot, message, right = posted_through(proxy, start_bot, fake, clock, database_url)

    proxy.cut()
    stats = ack_of(bot, "/quiz", "stats")  # in the ack, not a 500 or an error card
    assert TRY_AGAIN in str(stats) and stats["response_type"] == "ephemeral"
    assert NOT_RECORDED in str(press(bot, fake, message, right, ALICE))  # told, not dropped silently
    assert "MLOps" in str(ack_of(bot, "/compare", "monitoring"))  # what needs no database still works
    status, _ = bot.event(app_mention_event("compare monitoring", channel=CHANNEL))
    assert status == 200
    fake.wait_for("chat.postMessage", where=lambda call: bool(call.body.get("thread_ts")))

    proxy.restore()  # the same process, no restart
    assert "haven't answered" in str(ack_of(bot, "/quiz", "stats"))  # the refused answer was not kept
    assert "Right" in str(press(bot, fake, message, right, ALICE))
    assert "100%" in str(ack_of(bot, "/quiz", "stats"))
    assert "already answered" in str(press(bot, fake, message, right, ALICE))
    assert len(quiz_posts(fake)) == 1


@pg_only
@on_postgresql
def test_quiz_tick_survives_a_database_outage(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    proxy: TcpProxy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    start_bot(database=through(proxy, database_url))  # 08:00: nothing due yet
    proxy.cut()
    clock.set(DUE)
    wait_until(lambda: quiz_warnings(caplog, "quiz tick skipped: the database is unavailable"))
    assert quiz_posts(fake) == []

    proxy.restore()
    with open_store(database_url) as store:
        assert_posted_once(fake, store)
    assert [r for r in caplog.records if r.name.startswith("bot.quiz") and r.levelno >= logging.ERROR] == []


@pg_only
@on_postgresql
def test_database_lost_between_slack_taking_the_post_and_recording_it_posts_once(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    proxy: TcpProxy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack took the post but its ts could not be saved: once the claim expires it is found, not resent."""
    fake.fail_next("chat.postMessage", delay=0.5)  # time to lose the database meanwhile
    clock.set(DUE)
    start_bot(database=through(proxy, database_url))
    with open_store(database_url) as store:
        claim = wait_until(lambda: store.post_for_slot(CHANNEL, TODAY))
        wait_until(lambda: fake.faults_queued("chat.postMessage") == 0)  # the post is at Slack, held
        proxy.cut()
        wait_until(lambda: quiz_warnings(caplog, f"quiz work for {CHANNEL} stopped"))
        assert len(quiz_posts(fake)) == 1

        proxy.restore()
        assert store.post_for_slot(CHANNEL, TODAY) == claim  # the ts never made it
        clock.set(claim.lease_until + timedelta(seconds=1))
        assert_posted_once(fake, store)
    assert len(fake.calls_to("chat.postMessage")) == 1


def quiz_warnings(caplog: pytest.LogCaptureFixture, start: str) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "bot.quiz.engine"
        and record.levelno == logging.WARNING
        and record.getMessage().startswith(start)
    ]


def mention_within_ack(bot: RunningBot, fake: FakeSlack, text: str) -> None:
    """A mention is acknowledged within Slack's bound and still answered in its thread."""
    event = app_mention_event(text, channel=CHANNEL)
    status, _ = bot.event(event, timeout=ACK_BOUND)
    assert status == 200
    ts = event["event"]["ts"]
    fake.wait_for("chat.postMessage", where=lambda call: call.body.get("thread_ts") == ts)


@pg_only
@on_postgresql
def test_a_hanging_database_is_answered_politely_inside_the_ack(
    start_bot: Callable[..., RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    proxy: TcpProxy,
) -> None:
    bot, message, right = posted_through(proxy, start_bot, fake, clock, database_url)

    proxy.stall()  # connections stay open, nothing comes back: no error, only silence
    assert TRY_AGAIN in str(ack_of(bot, "/quiz", "stats"))
    assert NOT_RECORDED in str(press(bot, fake, message, right, ALICE, timeout=ACK_BOUND))
    mention_within_ack(bot, fake, "compare monitoring")
    assert "MLOps" in str(ack_of(bot, "/compare", "monitoring"))

    proxy.resume()
    wait_until(lambda: "Right" in str(press(bot, fake, message, right, BOB)), timeout=20)
    assert len(quiz_posts(fake)) == 1


def test_a_locked_sqlite_file_is_answered_politely_inside_the_ack(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    clock.set(DUE)
    path = tmp_path / "locked" / "bot.db"
    bot = start_bot(database=f"sqlite:///{path}")
    with open_store(f"sqlite:///{path}") as store:
        message = assert_posted_once(fake, store)
    right = question_of(message).answer

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock and does not let go
    try:
        assert NOT_RECORDED in str(press(bot, fake, message, right, ALICE, timeout=ACK_BOUND))
        mention_within_ack(bot, fake, "compare drift")
        assert "haven't answered" in str(ack_of(bot, "/quiz", "stats"))  # reads go on beside a writer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "Right" in str(press(bot, fake, message, right, ALICE))
