"""A Slack outage costs one log line per kind of failure, not one per request, and a refused token is
asked about once.

The bot runs over each transport against the fake Slack; the log is read through `caplog` (the bot runs
in this process, on its own thread) and auth.test is counted where it arrives, at the fake.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.log_throttle import LogThrottle
from slackfake import BOT_TOKEN, FakeSlack
from slackfake.clock import FakeClock
from slackfake.requests import app_mention_event, slash_command
from tests.fixtures.driver import MONDAY, Driver
from tests.fixtures.harness import RunningBot, bot_settings

MENTIONS = 200
REQUESTS = 100


def bot_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the bot (and Bolt, through the bot's logger) wrote at WARNING or above."""
    return [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]


def finish_replies(driver: Driver) -> None:
    """Wait for every reply the bot started after its acks (each logs its failure when it ends)."""
    assert driver.bot.bot is not None
    driver.bot.run(driver.bot.bot.after_ack.finish())


FAILURES = {  # what the fake does to every chat.postMessage, and the reason the log line gives
    "http-500": ({"status": 500}, "HTTP 500"),
    "dropped": ({"drop": True}, "ServerDisconnectedError"),
    "not-in-channel": ({"error": "not_in_channel"}, "not_in_channel"),
}


@pytest.mark.parametrize(("failure", "reason"), FAILURES.values(), ids=FAILURES.keys())
def test_mentions_while_chat_post_message_fails_log_one_line_without_a_traceback(
    driver: Driver,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    failure: dict[str, object],
    reason: str,
) -> None:
    caplog.set_level(logging.WARNING)
    fake_slack.fail_forever("chat.postMessage", **failure)  # type: ignore[arg-type]
    for _ in range(MENTIONS):
        driver.event(app_mention_event("monitoring", channel="C777"))
    fake_slack.wait_for("chat.postMessage", count=MENTIONS, timeout=30)
    finish_replies(driver)

    lines = bot_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert reason in lines[0].getMessage()
    assert not any(r.exc_info for r in caplog.records), "an expected Slack failure needs no traceback"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("refusal", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_refused_token_is_asked_about_once(
    driver: Driver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, refusal: str
) -> None:
    fake_slack.fail_forever("auth.test", error=refusal)
    for _ in range(REQUESTS):
        assert "MLOps" in str(driver.command(slash_command(text="monitoring")))  # answers regardless
    fake_slack.wait_for("auth.test")
    assert len(fake_slack.calls_to("auth.test")) <= 2
    refused = [r for r in bot_lines(caplog) if refusal in r.getMessage()]
    assert len(refused) == 1, [r.getMessage() for r in bot_lines(caplog)]
    assert "SLACK_BOT_TOKEN" in refused[0].getMessage()


def test_a_revoked_token_is_learned_once(driver: Driver, fake_slack: FakeSlack) -> None:
    """Slack revokes the token: every call answers token_revoked, auth.test included."""
    fake_slack.revoke(BOT_TOKEN)
    for _ in range(REQUESTS):
        driver.command(slash_command(text="monitoring"))
    fake_slack.wait_for("auth.test")
    assert len(fake_slack.calls_to("auth.test")) <= 2


def test_auth_test_failing_for_a_while_is_retried_with_backoff_not_on_every_request(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY)
    fake_slack.fail_forever("auth.test", status=503)
    with RunningBot(bot_settings(fake_slack, tmp_path), clock=clock) as bot:

        def burst() -> None:
            for _ in range(REQUESTS // 4):
                status, _ = bot.command(slash_command(text="monitoring"))
                assert status == 200

        burst()
        fake_slack.wait_for("auth.test")
        burst()
        assert len(fake_slack.calls_to("auth.test")) == 1  # the clock has not moved: no second try

        clock.advance(timedelta(minutes=10))  # past any backoff
        burst()
        fake_slack.wait_for("auth.test", count=2)
        burst()
        assert len(fake_slack.calls_to("auth.test")) == 2

        fake_slack.heal("auth.test")
        clock.advance(timedelta(minutes=10))
        burst()
        fake_slack.wait_for("auth.test", count=3)
        clock.advance(timedelta(hours=1))
        burst()
        assert len(fake_slack.calls_to("auth.test")) == 3  # known now: never asked again


def test_log_throttle_writes_one_line_per_kind_per_interval_then_the_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(MONDAY)
    throttle = LogThrottle(logging.getLogger("bot.test"), interval=timedelta(seconds=60), clock=clock)
    caplog.set_level(logging.WARNING, logger="bot.test")
    for _ in range(5):
        throttle.warning("slack http_500", "reply failed: %s", "http_500")
        throttle.warning("slack TimeoutError", "reply failed: %s", "TimeoutError")
    clock.advance(59)
    throttle.warning("slack http_500", "reply failed: %s", "http_500")
    assert [r.getMessage() for r in caplog.records] == [
        "reply failed: http_500",
        "reply failed: TimeoutError",
    ]

    clock.advance(1)
    throttle.warning("slack http_500", "reply failed: %s", "http_500")
    throttle.warning("slack http_500", "reply failed: %s", "http_500")
    assert (
        caplog.records[-1].getMessage() == "reply failed: http_500 (5 more like it since the last such line)"
    )
    assert len(caplog.records) == 3


def test_log_throttle_forgets_the_oldest_kinds_beyond_its_bound() -> None:
    throttle = LogThrottle(logging.getLogger("bot.test"), clock=FakeClock(MONDAY), max_kinds=10)
    for code in range(1000):  # error codes chosen by whoever answers in Slack's place
        assert throttle.warning(f"slack code_{code}", "failed")
    assert len(throttle) == 10


@pytest.mark.parametrize("path", ["reply", "permission-check"])
def test_what_slack_answers_reaches_the_log_only_as_a_short_code(
    driver: Driver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    """Whoever answers in Slack's place chooses the error code; it must not forge or flood log lines."""
    caplog.set_level(logging.WARNING)
    forged = "nope\n2026-11-23 09:30:00 ERROR bot: forged line " + "x" * 5000
    if path == "reply":
        fake_slack.fail_next("chat.postMessage", error=forged)
        driver.event(app_mention_event("monitoring", channel="C777"))
        fake_slack.wait_for("chat.postMessage")
    else:  # `/quiz now` asks users.info whether the person may
        fake_slack.fail_next("users.info", error=forged)
        url = fake_slack.response_url("now")
        driver.command(slash_command("/quiz", "now", user_id="U456", channel_id="C777", response_url=url))
        fake_slack.wait_for("response_url")
    finish_replies(driver)
    (line,) = [r.getMessage() for r in bot_lines(caplog)]
    assert "\n" not in line and "forged line" not in line and len(line) < 200
