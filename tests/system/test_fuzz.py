"""Property fuzzing against the running bot: whatever arrives, a 2xx or 4xx, no exception in the log,
every message within Block Kit limits, and nothing the user typed pings anyone."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.compare import ids as compare_ids
from bot.quiz import ids as quiz_ids
from slackfake import FakeSlack
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions
from slackfake.requests import app_mention_event, block_action, dm_message_event, slash_command
from tests.fixtures.harness import RunningBot, bot_settings

PINGS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0EVIL>",
    "<!subteam^S1|team>",
    "<#C0SECRET|x>",
    "&",
    "<",
    ">",
]
WORDS = [
    "monitoring",
    "compare",
    "help",
    "all",
    "ci/cd",
    "versions",
    "\u200b",
    "\u202e",
    "\uff4d\uff4f\uff4e",
    "👩‍💻",
    "\x00",
]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

typed_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PINGS + WORDS) | st.text(max_size=8), max_size=12).map(" ".join),
    st.integers(min_value=3000, max_value=12000).map(lambda n: "<!channel> " * (n // 11)),
)


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above, or carrying a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


class FuzzBot:
    """The bot over one transport; `send` delivers a body the way Slack would and returns the status."""

    def __init__(self, transport: str, bot: RunningBot, fake: FakeSlack, errors: ErrorLog) -> None:
        self.transport, self.bot, self.fake, self.errors = transport, bot, fake, errors

    def send(self, kind: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.transport == "http":
            status, reply = {
                "command": self.bot.command,
                "interactive": self.bot.interact,
                "event": self.bot.event,
            }[kind](body)
            return status, reply if isinstance(reply, dict) else {}
        envelope_type = {"command": "slash_commands", "interactive": "interactive", "event": "events_api"}[
            kind
        ]
        ack = self.fake.wait_ack(self.fake.send_envelope(envelope_type, body))
        return 200, ack.get("payload") or {}


@pytest.fixture(scope="module", params=["http", "socket"])
def fuzz_bot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzBot]:
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    socket = request.param == "socket"
    with (
        FakeSlack() as fake,
        RunningBot(bot_settings(fake, tmp_path_factory.mktemp("fuzz"), socket=socket)) as bot,
    ):
        if socket:
            fake.wait_for_socket()
        yield FuzzBot(request.param, bot, fake, errors)
    logging.getLogger().removeHandler(errors)


def sent_messages(fake: FakeSlack) -> list[dict[str, Any]]:
    return [
        call.body for call in fake.calls if call.method in ("chat.postMessage", "response_url", "chat.update")
    ]


def assert_clean(fuzz_bot: FuzzBot, *extra: dict[str, Any]) -> None:
    for message in [*sent_messages(fuzz_bot.fake), *extra]:
        if message.get("blocks") or message.get("text"):
            assert_message_within_limits(message)
            assert find_unescaped_mentions(message) == [], message
    assert [record.getMessage() for record in fuzz_bot.errors.records] == []


def reset(fuzz_bot: FuzzBot) -> None:
    fuzz_bot.fake.reset()
    fuzz_bot.errors.records.clear()


@FUZZ
@given(text=typed_text)
def test_any_text_to_compare(fuzz_bot: FuzzBot, text: str) -> None:
    reset(fuzz_bot)
    status, body = fuzz_bot.send("command", slash_command(text=text))
    assert status == 200
    assert_clean(fuzz_bot, body)


@FUZZ
@given(text=typed_text, dm=st.booleans())
def test_any_text_in_a_mention_or_dm(fuzz_bot: FuzzBot, text: str, dm: bool) -> None:
    reset(fuzz_bot)
    status, _ = fuzz_bot.send("event", dm_message_event(text) if dm else app_mention_event(text))
    assert status == 200
    fuzz_bot.fake.wait_for("chat.postMessage")
    assert_clean(fuzz_bot)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
action_ids = st.sampled_from(
    [
        compare_ids.SHARE_COMPARISON,
        compare_ids.open_topic("monitoring"),
        f"{quiz_ids.QUIZ_ANSWER}:A",
        f"{quiz_ids.PRACTICE_ANSWER}:B",
        quiz_ids.PRACTICE_NEXT,
        "unknown.action",
        "",
    ]
)
values = st.sampled_from(["monitoring", "999:A", "1:Z", "seed-practice-1:A", "nope", "", ":", "<!channel>"])


@st.composite
def odd_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """A block_actions payload, then fields removed or replaced by values of the wrong type."""
    payload = block_action(
        draw(action_ids), draw(values), container=draw(st.sampled_from(["message", "ephemeral"]))
    )
    for field in draw(st.lists(st.sampled_from(sorted(payload)), max_size=3, unique=True)):
        if draw(st.booleans()):
            payload.pop(field)
        else:
            payload[field] = draw(json_values)
    if payload.get("actions") and isinstance(payload["actions"], list) and draw(st.booleans()):
        action = payload["actions"][0]
        if isinstance(action, dict):
            action[draw(st.sampled_from(["value", "action_id", "block_id", "type"]))] = draw(json_values)
    return payload


@FUZZ
@given(payload=odd_payloads())
def test_odd_interactivity_payloads(fuzz_bot: FuzzBot, payload: dict[str, Any]) -> None:
    reset(fuzz_bot)
    status, body = fuzz_bot.send("interactive", payload)
    assert 200 <= status < 500, (status, body, json.dumps(payload)[:500])
    assert_clean(fuzz_bot)
