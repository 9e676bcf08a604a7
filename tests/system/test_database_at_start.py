"""The database out of reach when the bot starts, and the readiness check.

The bot serves anyway: /compare, mentions and DMs answer, quiz commands say "try again in a moment",
`/healthz` stays 200 (it is a liveness check) and says the database is unavailable, `/readyz` is 503. The
database is tried again in the background with growing pauses; once it opens `/readyz` is 200 and the
daily quiz goes out.

Out of reach: an SQLite path that cannot be opened (a file where its directory should be), or PostgreSQL
behind a TCP proxy the test has cut (tests/tcp_proxy.py).
"""

from __future__ import annotations

import json
import logging
import signal
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.replies import TRY_AGAIN
from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.clock import FakeClock
from slackfake.requests import app_mention_event, form_body, post_signed, slash_command
from tests.fixtures.driver import CHANNEL, wait_until
from tests.fixtures.faults import DUE, ack_of, assert_posted_once, on_postgresql, open_store, pg_only, through
from tests.fixtures.harness import RunningBot, bot_settings
from tests.fixtures.process import Output, bot_env, bot_process, get_json, quiz_time, today
from tests.fixtures.quiz import quiz_posts
from tests.fixtures.tcp_proxy import TcpProxy

CLIENT_BOUND = 2.5
"""A client timeout below the 3 s Slack gives an ack."""
RETRY_DELAYS = (0.05, 0.2)
"""The in-process tests' pauses between attempts to open the database (1 s to 30 s in production)."""


def get(bot: RunningBot, path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(f"{bot.url}{path}", timeout=CLIENT_BOUND) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Obstacle:
    """Keeps the bot's database out of reach until `clear()`."""

    def __init__(self, kind: str, tmp_path: Path, database_url: str, proxy: TcpProxy | None) -> None:
        self.kind = kind
        self._blocker = tmp_path / "blocked"
        self._proxy = proxy
        if kind == "sqlite-path":
            self.database_url = f"sqlite:///{self._blocker}/bot.db"
            self.bot_url = self.database_url
            self._blocker.write_text("a file where the database's directory should be")
        else:
            assert proxy is not None
            self.database_url = database_url
            self.bot_url = through(proxy, database_url)
            proxy.cut()

    def clear(self) -> None:
        if self._proxy is not None:
            self._proxy.restore()
        else:
            self._blocker.unlink()


@pytest.fixture
def proxy(database_url: str) -> Iterator[TcpProxy | None]:
    if not database_url.startswith("postgresql"):
        yield None
        return
    from sqlalchemy.engine import make_url

    server = make_url(database_url)
    with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


@pytest.fixture
def start(fake: FakeSlack, clock: FakeClock, tmp_path: Path) -> Iterator[Callable[[str], RunningBot]]:
    """Starts an HTTP bot (fake clock, the daily quiz in CHANNEL at 09:30) on the given database URL."""
    running: list[RunningBot] = []

    def start_on(url: str) -> RunningBot:
        settings = bot_settings(
            fake, tmp_path, DATABASE_URL=url, QUIZ_CHANNEL=CHANNEL, QUIZ_TIME="09:30", QUIZ_REVEAL_AFTER="4h"
        )
        bot = RunningBot(settings, clock=clock, open_retry_delays=RETRY_DELAYS)
        running.append(bot)
        bot.start()
        return bot

    yield start_on
    for bot in running:
        bot.stop()


OBSTACLES = [
    pytest.param("sqlite-path", "sqlite", id="sqlite-path-blocked"),
    pytest.param("proxy-cut", "postgresql", id="postgresql-cut", marks=pg_only),
]


@pytest.mark.parametrize(("kind", "database_url"), OBSTACLES, indirect=["database_url"])
def test_database_out_of_reach_at_start_the_bot_serves_and_opens_it_once_it_can(
    start: Callable[[str], RunningBot],
    fake: FakeSlack,
    clock: FakeClock,
    tmp_path: Path,
    database_url: str,
    proxy: TcpProxy | None,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    clock.set(DUE)  # the daily quiz is due the moment the bot starts
    obstacle = Obstacle(kind, tmp_path, database_url, proxy)
    bot = start(obstacle.bot_url)

    status, health = get(bot, "/healthz")
    assert status == 200 and health["ok"] is True and health["database"] == "unavailable"
    assert get(bot, "/readyz") == (503, {"ready": False, "database": "unavailable"})
    assert "MLOps" in str(ack_of(bot, "/compare", "monitoring"))
    stats = ack_of(bot, "/quiz", "stats")
    assert TRY_AGAIN in str(stats) and stats["response_type"] == "ephemeral"
    assert bot.event(app_mention_event("compare monitoring", channel=CHANNEL))[0] == 200
    fake.wait_for("chat.postMessage", where=lambda call: bool(call.body.get("thread_ts")))
    attempts = wait_until(lambda: opening_failures(caplog)[2:])  # it keeps trying
    assert quiz_posts(fake) == []

    obstacle.clear()
    wait_until(lambda: get(bot, "/readyz") == (200, {"ready": True, "database": "ok"}))
    assert get(bot, "/healthz")[1]["database"] == "open"
    with open_store(obstacle.database_url) as store:
        assert_posted_once(fake, store)
    assert "haven't answered" in str(ack_of(bot, "/quiz", "stats"))

    assert all(record.exc_info is None for record in attempts)  # one line each, no traceback
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def opening_failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("cannot open the database")]


@pg_only
@on_postgresql
def test_readiness_follows_a_database_lost_and_back_while_running(
    start: Callable[[str], RunningBot], database_url: str, proxy: TcpProxy | None
) -> None:
    assert proxy is not None
    bot = start(through(proxy, database_url))
    assert get(bot, "/readyz") == (200, {"ready": True, "database": "ok"})
    proxy.cut()
    assert get(bot, "/readyz") == (503, {"ready": False, "database": "unavailable"})  # within CLIENT_BOUND
    assert get(bot, "/healthz")[0] == 200
    proxy.restore()
    wait_until(lambda: get(bot, "/readyz")[0] == 200)


@pg_only
@on_postgresql
def test_process_started_while_postgresql_is_down_serves_and_posts_the_quiz_once_it_is_back(
    fake_slack: FakeSlack, tmp_path: Path, database_url: str, proxy: TcpProxy | None
) -> None:
    """`python -m bot` with its database behind a cut proxy, then the proxy restored: no restart."""
    assert proxy is not None
    proxy.cut()
    env = bot_env(
        fake_slack,
        tmp_path,
        DATABASE_URL=through(proxy, database_url),
        QUIZ_CHANNEL=CHANNEL,
        QUIZ_TIME=quiz_time(),
        QUIZ_TIMEZONE="UTC",
        QUIZ_DAYS="daily",
        QUIZ_POLL_INTERVAL="1s",
    )
    port = int(env["PORT"])
    events = f"http://127.0.0.1:{port}/slack/events"
    with bot_process(env, tmp_path) as process:
        output = Output(process)
        output.wait_for("cannot open the database")
        status, reply = post_signed(
            events, form_body(slash_command(text="monitoring")), SIGNING_SECRET, timeout=CLIENT_BOUND
        )
        assert status == 200 and "MLOps" in str(reply)
        assert get_json(port, "/readyz") == (503, {"ready": False, "database": "unavailable"})
        assert quiz_posts(fake_slack, CHANNEL) == []

        proxy.restore()
        wait_until(lambda: get_json(port, "/readyz")[0] == 200, timeout=45)  # backoff: 1, 2, 4 … 30 s
        with open_store(database_url) as store:
            post = wait_until(lambda: store.post_for_slot(CHANNEL, today()), timeout=15)
            wait_until(lambda: quiz_posts(fake_slack, CHANNEL), timeout=15)
        process.send_signal(signal.SIGTERM)
        text = output.until_exit()
    assert process.returncode == 0
    assert len(quiz_posts(fake_slack, CHANNEL)) == 1 and post is not None
    assert "Traceback" not in text
    assert "database open; the background loops start" in text
