"""Every call the bot makes to Slack is bounded, over HTTP and over Socket Mode.

The fake Slack hangs one call for a minute (`fail_next(..., delay=60)`); the bot runs with a Web API
timeout of CLIENT_TIMEOUT (10 s in production) and must give up on that call, say so in its log, and
answer the next request, all within WAIT: far less than the hang, so without a bound these tests fail.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app import create_app
from bot.compare import ids
from bot.core.slack.client import CALL_TIMEOUT_SECONDS, build_client, share_connections
from bot.transport.socket_mode import HANDSHAKE_TIMEOUT, CheckedSocketModeHandler
from slackfake import FakeSlack
from slackfake.requests import app_mention_event, block_action, slash_command
from tests.fixtures.driver import Driver
from tests.fixtures.harness import RunningBot, bot_settings

CLIENT_TIMEOUT = 0.5
HANG = 60.0
"""How long the fake sits on a hung call: longer than any test here may take."""
WAIT = 5.0

pytestmark = pytest.mark.client_timeout(CLIENT_TIMEOUT)


def wait_for_log(caplog: pytest.LogCaptureFixture, found: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for record in list(caplog.records):
            if record.name.startswith("bot") and found(record.getMessage()):
                return record.getMessage()
        time.sleep(0.02)
    raise AssertionError(f"no such log line within {WAIT} s: {[r.getMessage() for r in caplog.records]}")


def test_a_hung_chat_post_message_is_given_up_and_the_next_mention_answered(
    driver: Driver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fake_slack.fail_next("chat.postMessage", delay=HANG)
    driver.event(app_mention_event("monitoring", channel="C777", ts="1700000000.000100"))
    line = wait_for_log(caplog, lambda message: "did not reach Slack" in message)
    assert "TimeoutError" in line

    driver.event(app_mention_event("testing", channel="C777", ts="1700000000.000200"))
    fake_slack.wait_for(
        "chat.postMessage", where=lambda call: call.body.get("thread_ts") == "1700000000.000200"
    )


def test_a_hung_response_url_is_given_up_and_the_next_click_answered(
    driver: Driver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fake_slack.fail_next("response_url", delay=HANG)
    hung, next_one = fake_slack.response_url("hung"), fake_slack.response_url("next")
    driver.interact(block_action(ids.open_topic("testing"), "testing", response_url=hung))
    line = wait_for_log(caplog, lambda message: "could not answer through the response_url" in message)
    assert "TimeoutError" in line

    driver.interact(block_action(ids.open_topic("testing"), "testing", response_url=next_one))
    fake_slack.wait_for("response_url", where=lambda call: call.name == "next", timeout=WAIT)


def test_a_hung_users_info_ends_the_permission_check_and_the_person_is_told(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    """`/quiz now` asks users.info whether the person may; a hung answer counts as no, in good time."""
    fake_slack.fail_next("users.info", delay=HANG)
    url = fake_slack.response_url("now")
    driver.command(slash_command("/quiz", "now", user_id="U456", channel_id="C777", response_url=url))
    (reply,) = fake_slack.wait_for("response_url", where=lambda call: call.name == "now", timeout=WAIT)
    assert "Ask them or a workspace admin" in str(reply.body)


def test_a_rate_limit_asking_for_an_hour_is_not_waited_out(
    driver: Driver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A 429 with Retry-After: 3600 ends that call (reported as rate limited) instead of holding it."""
    caplog.set_level(logging.WARNING)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=3600)
    driver.event(app_mention_event("monitoring", channel="C777"))
    line = wait_for_log(caplog, lambda message: "did not reach Slack" in message)
    assert "ratelimited" in line and "429" in line
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_short_rate_limits_are_still_waited_out(driver: Driver, fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    driver.event(app_mention_event("monitoring", channel="C777"))
    fake_slack.wait_for("chat.postMessage", count=2, where=lambda call: call.status in (200, 429))
    assert [call.status for call in fake_slack.calls_to("chat.postMessage")] == [429, 200]


async def test_production_bound_is_ten_seconds_on_the_shared_pool_too(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        client = build_client(bot_settings(fake, tmp_path).core)
        session = share_connections(client)
        try:
            assert client.timeout == CALL_TIMEOUT_SECONDS == 10
            assert session.timeout.total == CALL_TIMEOUT_SECONDS
        finally:
            await session.close()


def test_a_hung_apps_connections_open_is_given_up_and_socket_mode_reconnects(
    fake_slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack asks the Socket Mode client to reconnect and then sits on apps.connections.open: the client
    (which calls through the bot's Web API client) gives up, keeps its connection, and the next
    reconnect works."""
    settings = bot_settings(fake_slack, tmp_path, socket=True)
    with RunningBot(settings, client=build_client(settings.core, timeout=CLIENT_TIMEOUT)):
        fake_slack.wait_for_socket()
        fake_slack.fail_next("apps.connections.open", delay=HANG)
        fake_slack.send_disconnect()
        deadline = time.monotonic() + WAIT
        while not any(r.exc_info and isinstance(r.exc_info[1], TimeoutError) for r in caplog.records):
            assert time.monotonic() < deadline, "the hung apps.connections.open was not given up"
            time.sleep(0.02)

        fake_slack.send_disconnect()
        fake_slack.wait_for("ws.connect", count=2, timeout=WAIT)
        envelope = fake_slack.send_envelope("slash_commands", slash_command(text="monitoring"))
        assert "MLOps" in str(fake_slack.wait_ack(envelope))


async def test_a_websocket_handshake_that_never_answers_is_given_up_within_its_bound(
    fake_slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = bot_settings(fake_slack, tmp_path, socket=True)
    assert settings.core.slack_app_token is not None
    bot = create_app(settings)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel takes the connection; nobody ever answers the upgrade
        fake_slack.socket_url = f"ws://127.0.0.1:{silent.getsockname()[1]}/ws"
        handler = CheckedSocketModeHandler(
            bot.bolt, settings.core.slack_app_token, web_client=bot.client, handshake_timeout=CLIENT_TIMEOUT
        )
        connecting = asyncio.ensure_future(handler.connect_async())
        try:
            deadline = time.monotonic() + WAIT
            while not any("Failed to connect" in record.getMessage() for record in caplog.records):
                assert time.monotonic() < deadline, "the silent handshake was not given up"
                await asyncio.sleep(0.02)
        finally:
            connecting.cancel()
            await handler.close_async()


async def test_the_handshake_bound_does_not_limit_how_long_the_connection_stays_open(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    settings = bot_settings(fake_slack, tmp_path, socket=True)
    assert settings.core.slack_app_token is not None
    bot = create_app(settings)
    handler = CheckedSocketModeHandler(
        bot.bolt, settings.core.slack_app_token, web_client=bot.client, handshake_timeout=CLIENT_TIMEOUT
    )
    await handler.connect_async()
    try:
        await asyncio.sleep(4 * CLIENT_TIMEOUT)
        envelope = fake_slack.send_envelope("slash_commands", slash_command(text="monitoring"))
        assert "MLOps" in str(await asyncio.to_thread(fake_slack.wait_ack, envelope))
    finally:
        await handler.close_async()


def test_production_bound_for_the_handshake_is_that_of_any_web_api_call() -> None:
    assert HANDSHAKE_TIMEOUT == CALL_TIMEOUT_SECONDS
