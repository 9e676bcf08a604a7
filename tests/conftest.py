"""Fixtures shared by the end-to-end tests: the fake Slack, and the bot running over each transport."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.core.commands import CommandTable
from bot.core.slack.client import build_client
from bot.settings import load_settings
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.driver import ADMIN, CHANNEL, MONDAY, TRANSPORTS, Driver
from tests.fixtures.harness import BOT_TOKEN, SIGNING_SECRET, RunningBot, bot_settings

# Database fixtures: SQLite, and PostgreSQL too with TEST_DATABASE_URL.
pytest_plugins = ["tests.fixtures.databases"]


SLOW = (
    # processes: the bot as `python -m bot`, killed, restarted; `python -m content`
    "tests/system/",
    "tests/core/test_http_guard.py",
    "tests/content/test_cli.py",
    "tests/content/test_fairness.py::test_each_unfair_bank_loads_but_fails_the_check",
    "tests/content/test_fairness.py::test_stats_prints_the_figures_the_rules_look_at",
    "tests/content/test_guesser.py::test_loading_the_content_never_imports_scikit_learn",
    "tests/content/test_guesser.py::test_stats_prints_every_guesser_score",
    "tests/content/test_lookup.py::test_the_bot_process_starts_its_lookup_without_the_model_and_warns_once",
    "tests/core/test_layers.py::test_no_import_cycles_at_import_time",
    "tests/core/test_migrate.py::test_concurrent_upgrades_from_two_processes",
    # browsers
    "tests/playground/",
    # real time waited out: hung calls given up, paced posts, weeks of learning days
    "tests/core/test_slack_timeouts.py",
    "tests/core/test_pacing.py",
    "tests/learn/test_learn_e2e.py::test_two_weeks_of_spaced_repetition_until_graduation",
    "tests/quiz/test_posting.py::test_five_hundred_channels_at_fifty_ms_a_call_with_rate_limits",
)
"""What `make test-fast` leaves out (`-m "not slow"`); `make test` runs everything."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "client_timeout(seconds): the Web API timeout of the bot the `driver` fixture starts "
        "(10 s in production), for tests that hang the fake Slack",
    )
    config.addinivalue_line("markers", "slow: runs processes, a browser, or waits out real time")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running FakeSlack, stopped after the test."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def http_bot(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[RunningBot]:
    with RunningBot(bot_settings(fake_slack, tmp_path)) as bot:
        yield bot


@pytest.fixture(params=TRANSPORTS)
def driver(request: pytest.FixtureRequest, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Driver]:
    socket = request.param == "socket"
    settings = bot_settings(fake_slack, tmp_path, socket=socket)
    timeout = request.node.get_closest_marker("client_timeout")
    client = build_client(settings.core, timeout=timeout.args[0]) if timeout else None
    with RunningBot(settings, client=client) as bot:
        if socket:
            fake_slack.wait_for_socket()
        else:  # people acting through the fake (fake_slack.click, .open_home, ...) reach the bot over HTTP
            fake_slack.set_request_url(bot.events_url)
        yield Driver(request.param, bot, fake_slack)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeSlack]:
    """A fake Slack stamping messages with the fake time (as if Slack's clock agreed with ours), with a
    workspace admin besides the default members."""
    with FakeSlack(now=lambda: clock.now().timestamp()) as running:
        running.add_user(ADMIN, name="admin", is_admin=True)
        yield running


@pytest.fixture
def start_bot(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, database_url: str
) -> Iterator[Callable[..., RunningBot]]:
    """Starts bots (HTTP, fake clock) on one database with the default quiz in CHANNEL at 09:30; a test
    may start several (restarts, two instances). `database` replaces the database URL, `client_timeout`
    shortens the Web API timeout, and keyword settings override the rest."""
    running: list[RunningBot] = []

    def start(*, database: str | None = None, client_timeout: float | None = None, **env: str) -> RunningBot:
        defaults = {"QUIZ_CHANNEL": CHANNEL, "QUIZ_TIME": "09:30", "QUIZ_REVEAL_AFTER": "4h"}
        settings = bot_settings(fake, tmp_path, DATABASE_URL=database or database_url, **{**defaults, **env})
        client = None
        if client_timeout is not None:
            client = build_client(settings.core)
            client.timeout = client_timeout
        bot = RunningBot(settings, clock=clock, client=client)
        running.append(bot)
        bot.start()
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture(scope="session")
def command_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CommandTable]:
    """Every slash command's table, as `create_app` builds them (by command: `/compare`, `/quiz`…)."""
    data = tmp_path_factory.mktemp("tables")
    environ = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    return create_app(load_settings({**environ, "DATABASE_URL": f"sqlite:///{data}/bot.db"})).commands
