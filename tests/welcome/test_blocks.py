"""Pure builders of the welcome, and which words count as a greeting."""

from __future__ import annotations

import pytest

from bot.welcome.blocks import render_welcome
from bot.welcome.greetings import is_greeting
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions, iter_texts
from tests.fixtures.samples import FAILURE_MODE, FEEDBACK_LOOP, MONITORING, NAUGHTY

# --- the welcome ---------------------------------------------------------------------------------------


COMMANDS = [("/compare monitoring", "Compare MLOps and DevOps"), ("/quiz", "Practice questions")]


@pytest.mark.parametrize(("first_time", "in_dm"), [(False, True), (True, True), (False, False)])
def test_welcome_says_what_to_try_and_offers_starters(first_time: bool, in_dm: bool) -> None:
    starters = [MONITORING, FEEDBACK_LOOP, MONITORING, FAILURE_MODE, NAUGHTY]
    message = render_welcome(COMMANDS, starters, first_time=first_time, in_dm=in_dm)

    assert_message_within_limits(message)
    assert find_unescaped_mentions(message) == []
    text = "\n".join(t for _, t in iter_texts(message))
    for hint in (
        "`/compare monitoring` — compare MLOps",
        "@mlops-vs-devops compare drift",
        "`/quiz` — practice",
    ):
        assert hint in text
    assert "*Home* tab" in text
    assert ("Welcome!" in text) is first_time
    assert ("type a topic" in text) is in_dm
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    assert [e["value"] for e in actions["elements"]] == ["monitoring", "feedback_loop", "failure_mode"]
    assert len(message.blocks) <= 5


def test_welcome_without_starters_has_no_buttons() -> None:
    message = render_welcome(COMMANDS, [])

    assert not [b for b in message.blocks if b["type"] == "actions"]
    assert_message_within_limits(message)


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "Hello!",
        "hey :wave:",
        "HEY THERE",
        "<@UBOT> hello",
        "<@UBOT>",
        "  ",
        "help",
        "Help me please",
        "what can you do?",
        "What can you do here",
        "hi, what can you do?",
        "Good morning team!",
        "yo",
        "who are you",
        "hello <@UBOT>",
        "hi bot",
        "hello world",
        "how does this work?",
    ],
)
def test_greetings_and_calls_for_help(text: str) -> None:
    assert is_greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "monitoring",
        "hi monitoring",
        "compare drift",
        "what is drift",
        "hello, what is drift?",
        "thanks",
        "help with feature stores",
        "hi " * 200,
        "helpful",
        "hierarchy",
    ],
)
def test_topics_and_other_words_are_no_greeting(text: str) -> None:
    assert not is_greeting(text)
