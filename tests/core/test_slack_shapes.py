"""Every payload shape Slack sends reaches Bolt, over both transports; Socket Mode acks every envelope.

The transports refuse bodies that are not Slack's shape before Bolt sees them (bot.transport.shapes), so
these tests send what Slack really sends (samples in slackfake/payloads, after Slack's payload reference
and Bolt's own tests) and check that each one arrives at Bolt as it was sent. A recording middleware on
the running bot's Bolt app stands in for listeners the bot does not have (dialogs, shortcuts, modals).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.response import BoltResponse

from slackfake import FakeSlack
from slackfake.requests import app_mention_event, block_action, event_body, payload
from tests.fixtures.driver import Driver, wait_until
from tests.fixtures.harness import RunningBot, bot_settings

INTERACTIONS = [
    "dialog_submission",
    "dialog_cancellation",
    "interactive_message",
    "message_action",
    "shortcut",
    "view_submission",
    "view_closed",
    "block_suggestion",
    "block_actions",
]


def record_what_bolt_sees(bot: RunningBot) -> list[dict[str, Any]]:
    """Bodies that reach the bot's Bolt app from now on; each is acknowledged with an empty 200."""
    seen: list[dict[str, Any]] = []

    async def recorder(body: dict[str, Any], next: Any) -> BoltResponse:
        seen.append(body)
        return BoltResponse(status=200, body="")

    async def install() -> None:
        assert bot.bot is not None
        bot.bot.bolt.use(recorder)

    bot.run(install())
    return seen


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "Slack would not send" in r.getMessage()]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("shape", INTERACTIONS)
def test_interaction_shapes_slack_sends_reach_bolt(
    driver: Driver, caplog: pytest.LogCaptureFixture, shape: str
) -> None:
    seen = record_what_bolt_sees(driver.bot)
    body = payload(shape)
    driver.interact(body)
    assert seen == [body]
    assert refusals(caplog) == [] and errors(caplog) == []


def test_button_in_a_modal_reaches_bolt(driver: Driver, caplog: pytest.LogCaptureFixture) -> None:
    seen = record_what_bolt_sees(driver.bot)
    view = payload("view_submission")["view"]
    body = block_action("topic_pick", "monitoring", container="view", view=view, element_type="static_select")
    driver.interact(body)
    assert seen == [body]
    assert refusals(caplog) == [] and errors(caplog) == []


def test_event_callback_reaches_bolt(driver: Driver, caplog: pytest.LogCaptureFixture) -> None:
    seen = record_what_bolt_sees(driver.bot)
    body = app_mention_event("monitoring")
    driver.event(body)
    assert seen == [body]
    assert refusals(caplog) == [] and errors(caplog) == []


def test_url_verification_is_answered_with_the_challenge(http_bot: RunningBot) -> None:
    body = payload("url_verification")
    status, reply = http_bot.post(event_body(body), content_type="application/json")
    assert status == 200
    assert reply == {"challenge": body["challenge"]} or reply == body["challenge"]


def test_app_rate_limited_gets_a_200_and_one_warning(
    http_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack sends it to every Events API app it throttles; anything but a 200 counts as a failed delivery."""
    seen = record_what_bolt_sees(http_bot)
    status, _ = http_bot.event(payload("app_rate_limited"))
    assert status == 200
    assert seen == []  # no listener could take it; Bolt would answer 404
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "app_rate_limited" in warnings[0] and "T0TEST" in warnings[0]


# ---- Socket Mode: every envelope is acked, whatever its payload --------------------------------------


@pytest.fixture
def socket_bot(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[RunningBot]:
    with RunningBot(bot_settings(fake_slack, tmp_path, socket=True)) as bot:
        fake_slack.wait_for_socket()
        yield bot


@pytest.mark.parametrize("kind", ["events_api", "interactive", "slash_commands"])
@pytest.mark.parametrize(
    "odd", [[1, 2], [], 5, None, "text"], ids=["list", "empty-list", "number", "null", "string"]
)
def test_envelope_whose_payload_is_not_an_object_is_acked(
    socket_bot: RunningBot, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, kind: str, odd: Any
) -> None:
    ack = fake_slack.wait_ack(fake_slack.send_envelope(kind, odd))
    assert ack.get("payload") in (None, {})
    assert len(refusals(caplog)) == 1
    assert errors(caplog) == []
    # and the connection still serves what comes next
    fake_slack.wait_ack(fake_slack.send_envelope("events_api", app_mention_event("monitoring")))
    fake_slack.wait_for("chat.postMessage")


def test_app_rate_limited_over_socket_mode_is_acked_with_one_warning(
    socket_bot: RunningBot, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    seen = record_what_bolt_sees(socket_bot)
    fake_slack.wait_ack(fake_slack.send_envelope("events_api", payload("app_rate_limited")))
    assert seen == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "app_rate_limited" in warnings[0].getMessage()
    assert warnings[0].name == "bot.transport.verify"


@pytest.mark.parametrize("how", ["connection-dropped", "disconnect-requested"])
def test_socket_mode_reconnects_when_slack_drops_or_refreshes_the_connection(
    socket_bot: RunningBot, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    connected = len(fake_slack.calls_to("ws.connect"))
    if how == "connection-dropped":
        fake_slack.disconnect_sockets()
    else:
        fake_slack.send_disconnect("refresh_requested")
    wait_until(lambda: len(fake_slack.calls_to("ws.connect")) > connected, timeout=15)

    def acked() -> bool:
        """An envelope sent while the old connection is being replaced may be lost (Slack sends it again
        later), so a new one is sent until one is acknowledged."""
        envelope = fake_slack.send_envelope("events_api", app_mention_event("monitoring"))
        try:
            fake_slack.wait_ack(envelope, timeout=1)
        except AssertionError:
            return False
        return True

    assert wait_until(acked, timeout=15)
    assert errors(caplog) == []
