"""A click, form or shortcut this version of the bot does not know (a message from an older deploy, a
renamed id) is acknowledged, over HTTP as over Socket Mode, and the person is told privately what to do.

Over HTTP an unhandled request used to get a 404, which Slack shows as "didn't respond".
"""

from __future__ import annotations

from typing import Any

import pytest

from slackfake import FakeSlack
from slackfake.requests import block_action, global_shortcut, message_action, view_submission
from tests.fixtures.driver import Driver

OUT_OF_DATE = "out of date"


def interact(driver: Driver, payload: dict[str, Any]) -> dict[str, Any]:
    """Deliver an interaction; the bot's acknowledgement must be a success. Returns its body, if any."""
    if driver.transport == "http":
        status, body = driver.bot.interact(payload)
        assert status == 200, (status, body)
        return body if isinstance(body, dict) else {}
    return driver.fake.wait_ack(driver.fake.send_envelope("interactive", payload)).get("payload") or {}


@pytest.mark.parametrize("container", ["message", "ephemeral"])
@pytest.mark.parametrize("action_id", ["compare.share_v1", "quiz_answer:AA", "renamed_button"])
def test_unknown_button_is_acknowledged_and_the_person_told_privately(
    driver: Driver, fake_slack: FakeSlack, action_id: str, container: str
) -> None:
    url = fake_slack.response_url("old")
    interact(driver, block_action(action_id, "monitoring", container=container, response_url=url))
    (call,) = fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert call.body["replace_original"] is False  # the old message stays as it was
    assert OUT_OF_DATE in str(call.body) and "again" in str(call.body)
    assert fake_slack.calls_to("chat.postMessage") == []


def old_form(**options: Any) -> dict[str, Any]:
    """A submission of a form this version no longer has."""
    body = view_submission(**options)
    body["view"]["callback_id"] = "compare.old_form"
    return body


def test_unknown_form_is_acknowledged_without_errors_and_the_person_told_by_dm(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    ack = interact(driver, old_form(user_id="U456"))
    assert "errors" not in ack and ack.get("response_action") in (None, "clear")  # the modal closes
    (call,) = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "U456"  # the person's DM with the app
    assert OUT_OF_DATE in str(call.body)


def test_unknown_global_shortcut_is_acknowledged_and_the_person_told_by_dm(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    interact(driver, global_shortcut("compare.old_shortcut", user_id="U456"))
    (call,) = fake_slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "U456"
    assert OUT_OF_DATE in str(call.body)


def test_unknown_message_shortcut_is_acknowledged_and_answered_privately(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    url = fake_slack.response_url("shortcut")
    message = {"type": "message", "ts": "1700000000.000100", "text": "hi", "user": "U123"}
    interact(
        driver, message_action("compare.old_message_shortcut", message, channel_id="C777", response_url=url)
    )
    (call,) = fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert OUT_OF_DATE in str(call.body)


def test_closing_an_unknown_form_is_acknowledged_quietly(driver: Driver, fake_slack: FakeSlack) -> None:
    closed = old_form()
    closed["type"] = "view_closed"
    closed["is_cleared"] = False
    interact(driver, closed)
    interact(driver, block_action("renamed_button", "x", response_url=fake_slack.response_url("after")))
    fake_slack.wait_for("response_url")  # the click after it was answered; the closing was not
    assert fake_slack.calls_to("chat.postMessage") == []
