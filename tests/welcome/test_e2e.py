"""Greetings and "help" in a DM or a mention, and the one welcome in a new DM — over HTTP and Socket Mode."""

from __future__ import annotations

import time
from typing import Any

import pytest

import content
from bot.compare import ids
from slackfake import BOT_USER_ID, FakeSlack
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions, iter_texts
from tests.fixtures.driver import Driver, wait_until

ALICE, BOB = "U123", "U456"


@pytest.fixture
def fake(driver: Driver) -> FakeSlack:
    return driver.fake


def text_of(message: dict[str, Any]) -> str:
    return "\n".join(text for _, text in iter_texts(message))


def assert_welcome(message: dict[str, Any]) -> None:
    assert_message_within_limits(message)
    assert find_unescaped_mentions(message) == []
    text = text_of(message)
    for hint in ("/compare monitoring", "compare drift", "/quiz", "*Home* tab"):
        assert hint in text, hint
    assert "I don't have a topic" not in text
    assert any(
        e["action_id"].startswith(ids.OPEN_TOPIC)
        for b in message["blocks"]
        for e in b.get("elements", [])
        if b["type"] == "actions"
    )


@pytest.mark.parametrize(
    "text", ["hi", "Hello!", "HEY :wave:", "what can you do?", "help", "Hi there, what can you do"]
)
def test_a_greeting_in_a_dm_gets_the_welcome(fake: FakeSlack, text: str) -> None:
    fake.say(ALICE, "D123", text)
    (call,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert call.body["channel"] == "D123" and "thread_ts" not in call.body
    assert_welcome(call.body)
    assert "type a topic" in text_of(call.body)


@pytest.mark.parametrize(
    "text", [f"<@{BOT_USER_ID}> hello", f"<@{BOT_USER_ID}>   Help!", f"<@{BOT_USER_ID}>"]
)
def test_a_greeting_by_mention_gets_the_welcome_in_a_thread(fake: FakeSlack, text: str) -> None:
    said = fake.say(ALICE, "CGEN", text)
    (call,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert call.body["channel"] == "CGEN" and call.body["thread_ts"] == said["ts"]
    assert_welcome(call.body)


def test_a_topic_is_still_a_topic(fake: FakeSlack) -> None:
    fake.say(ALICE, "D123", "hello, what is drift?")
    (call,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    headers = [block["text"]["text"] for block in call.body["blocks"] if block["type"] == "header"]
    assert headers == [content.topic("drift").name]  # the drift card, not the welcome


def test_other_bots_greetings_are_not_answered(fake: FakeSlack, driver: Driver) -> None:
    from slackfake.requests import dm_message_event

    greeting = dm_message_event("hi")
    greeting["event"]["bot_id"] = "B0OTHER"
    driver.event(greeting)
    fake.say(ALICE, "D123", "monitoring")
    (call,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert call.body["blocks"][0]["text"]["text"] == "Monitoring"


def test_opening_the_bots_dm_the_first_time_gets_one_welcome(fake: FakeSlack) -> None:
    fake.open_home(ALICE, tab="messages")
    (first,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert first.body["channel"] == "D123"
    assert_welcome(first.body)
    assert "Welcome!" in text_of(first.body)

    fake.open_home(ALICE, tab="messages")
    fake.open_home(BOB, tab="messages")  # someone new, after alice's second visit
    fake.wait_for("chat.postMessage", count=2, where=lambda c: c.ok)
    welcomes = [c.body["channel"] for c in fake.calls_to("chat.postMessage") if "Welcome!" in text_of(c.body)]
    assert welcomes == ["D123", "D456"]


def test_opening_the_home_tab_is_no_welcome(fake: FakeSlack) -> None:
    fake.open_home(ALICE)
    fake.wait_for("views.publish", where=lambda c: c.ok)
    assert fake.calls_to("chat.postMessage") == []


def _welcomes_to(fake: FakeSlack, channel: str) -> list[Any]:
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.ok and call.body.get("channel") == channel and "Welcome!" in text_of(call.body)
    ]


def test_a_welcome_slack_refused_is_sent_on_a_later_visit(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", error="restricted_action")  # Slack said no: nothing was posted
    fake.open_home(ALICE, tab="messages")
    fake.wait_for("chat.postMessage", where=lambda c: not c.ok)

    def visit_again() -> bool:
        fake.open_home(ALICE, tab="messages")
        time.sleep(0.1)
        return bool(_welcomes_to(fake, "D123"))

    wait_until(visit_again)
    time.sleep(0.3)  # any further visit's answer would be in by now
    assert len(_welcomes_to(fake, "D123")) == 1


def test_a_welcome_that_may_have_reached_slack_is_not_sent_again(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=500, commit=True)  # posted, then an error: Slack's 5xx
    fake.open_home(ALICE, tab="messages")
    fake.wait_for("chat.postMessage", where=lambda c: not c.ok)
    fake.open_home(ALICE, tab="messages")
    fake.open_home(BOB, tab="messages")
    fake.wait_for("chat.postMessage", where=lambda c: c.ok and c.body.get("channel") == "D456")
    time.sleep(0.3)
    assert _welcomes_to(fake, "D123") == []  # the one it got is the committed post, counted as failed
    assert len([m for m in fake.messages("D123") if "Welcome!" in text_of(m)]) == 1


def test_the_welcome_and_every_help_name_the_learning_path(fake: FakeSlack) -> None:
    fake.say(ALICE, "D123", "help")
    (call,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert "`/learn`" in text_of(call.body)
    for command in ("/compare", "/quiz", "/learn"):
        before = len(fake.ephemerals("CGEN", ALICE))
        fake.command(ALICE, "CGEN", command, "help")
        (shown,) = wait_until(lambda n=before: fake.ephemerals("CGEN", ALICE)[n:])
        assert_message_within_limits(shown)
        others = {"/compare", "/quiz", "/learn"} - {command}
        assert all(f"`{other}`" in text_of(shown) for other in others), (command, text_of(shown))
