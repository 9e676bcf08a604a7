"""Shortcuts for the learning-path tests: the learner's DMs as Slack stores them, and pressing buttons."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import content
from bot.core.text import escape
from bot.learn import ids
from content.model import Question
from slackfake import FakeSlack
from slackfake.limits import assert_message_within_limits


def wait_until(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def dm_of(user: str) -> str:
    return "D" + user[1:]


def path_dms(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """Every learning-path DM the user got, oldest first (found by metadata, as the bot finds them)."""
    return [
        message
        for message in fake.messages(dm_of(user))
        if (message.get("metadata") or {}).get("event_type") == ids.LEARN_DAY_EVENT
    ]


def delivery_id(message: dict[str, Any]) -> int:
    return int(message["metadata"]["event_payload"]["delivery_id"])


def questions_in(message: dict[str, Any]) -> list[Question]:
    """The questions of a DM, in order, recognised by their prompts."""
    found = []
    for block in message.get("blocks") or []:
        text = (block.get("text") or {}).get("text") or ""
        if block.get("type") == "section" and text.startswith("*") and "·" in text:
            prompt = text.split("·", 1)[1].strip()
            matches = [q for q in content.questions() if escape(q.prompt.strip())[:60] == prompt[:60]]
            assert len(matches) == 1, prompt
            found.append(matches[0])
    return found


def answer_ids(message: dict[str, Any]) -> set[str]:
    return {
        element["action_id"]
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ids.LEARN_ANSWER)
    }


def press(fake: FakeSlack, user: str, message: dict[str, Any], index: int, letter: str) -> dict[str, Any]:
    """Press an answer button of a DM; waits until the DM shows the pick. Returns the private feedback."""
    before = len(fake.ephemerals(dm_of(user), user))
    fake.click(user, dm_of(user), message["ts"], f"{ids.LEARN_ANSWER}:{index}:{letter}")
    feedback = wait_until(lambda: fake.ephemerals(dm_of(user), user)[before:])[0]
    assert_message_within_limits(feedback)
    wait_until(lambda: f"{ids.LEARN_ANSWER}:{index}:" not in str(fake.message(dm_of(user), message["ts"])))
    return feedback


def wrong_letter(question: Question) -> str:
    return next(c.letter for c in question.choices if c.letter != question.answer)


def ask(fake: FakeSlack, user: str, text: str, channel: str = "CGEN") -> str:
    """Run `/learn <text>` as `user`; the blocks of the private reply (in the ack or after it), as text."""
    before = len(fake.ephemerals(channel, user))
    fake.command(user, channel, "/learn", text)
    reply = wait_until(lambda: fake.ephemerals(channel, user)[before:])[0]
    assert_message_within_limits(reply)
    return str(reply["blocks"])
