"""Practice never gives away a counted answer: a question that is a daily quiz's next or open one, in a
channel the person can see, is neither drawn nor marked, until its reveal. Over HTTP, on a fake clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import content
from bot.quiz import ids
from bot.quiz.rotation import next_question_id
from slackfake import BOT_USER_ID, FakeSlack
from slackfake.clock import FakeClock
from slackfake.requests import block_action, slash_command
from tests.fixtures.driver import ADMIN, ALICE, BOB, CHANNEL, MONDAY, wait_until
from tests.fixtures.harness import RunningBot
from tests.fixtures.quiz import question_of, quiz_posts, reveals

SECRET = "GSECRET"
DRAWS = 25
"""Practice questions asked per check: a topic has three to six, so a leak would show."""


def reply_to(bot: RunningBot, fake: FakeSlack, payload: dict[str, Any], url: str) -> dict[str, Any]:
    status, body = bot.command(payload) if "command" in payload else bot.interact(payload)
    assert status == 200
    if isinstance(body, dict) and body.get("blocks"):
        return body
    (reply,) = fake.wait_for("response_url", where=lambda call: call.name == url.rsplit("/", 1)[1])
    return reply.body


def practise(bot: RunningBot, fake: FakeSlack, user: str, topic: str) -> str:
    """`/quiz <topic>` as `user`; the id of the practice question drawn."""
    url = fake.response_url(f"practice-{time.monotonic_ns()}")
    body = reply_to(
        bot, fake, slash_command("/quiz", topic, user_id=user, channel_id=CHANNEL, response_url=url), url
    )
    values = [
        element["value"]
        for block in body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ids.PRACTICE_ANSWER)
    ]
    return values[0].split(":")[0]


def answer_practice(bot: RunningBot, fake: FakeSlack, user: str, question_id: str) -> str:
    """Press (or forge) a practice answer button for `question_id`; the reply, as text."""
    url = fake.response_url(f"answer-{time.monotonic_ns()}")
    letter = content.question(question_id).answer
    payload = block_action(
        f"{ids.PRACTICE_ANSWER}:{letter}",
        f"{question_id}:{letter}:0/0",
        user_id=user,
        channel_id=CHANNEL,
        response_url=url,
    )
    return str(reply_to(bot, fake, payload, url))


def drawn(bot: RunningBot, fake: FakeSlack, user: str, topic: str) -> set[str]:
    return {practise(bot, fake, user, topic) for _ in range(DRAWS)}


def test_the_daily_question_is_held_back_from_practice_until_its_reveal(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    bank = [question.id for question in content.questions()]
    due = next_question_id(CHANNEL, bank, [])
    topic = content.question(due).topic
    bot = start_bot()  # 08:00: today's question goes out at 09:30

    assert due not in drawn(bot, fake, ALICE, topic), "due today: held back before it is posted"
    assert "keeps its answer until it is revealed" in answer_practice(bot, fake, ALICE, due)

    clock.set(MONDAY.replace(hour=9, minute=31))
    (post,) = wait_until(lambda: quiz_posts(fake))
    assert question_of(post).id == due
    assert due not in drawn(bot, fake, ALICE, topic), "open: held back"
    forged = answer_practice(bot, fake, ALICE, due)
    assert "keeps its answer" in forged and "✅" not in forged

    clock.set(MONDAY.replace(hour=13, minute=32))  # revealed after 4 h
    wait_until(lambda: reveals(fake))

    def marked_once_revealed() -> bool:
        clock.set(clock.now() + timedelta(minutes=1))  # what the channels hold back is read again
        return "✅" in answer_practice(bot, fake, ALICE, due)

    wait_until(marked_once_revealed)


def test_only_the_quizzes_of_channels_the_person_can_see_are_held_back(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_channel(SECRET, name="leads", is_private=True, creator=ADMIN, members=[ADMIN, BOT_USER_ID])
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot(QUIZ_CHANNEL=SECRET)
    (post,) = wait_until(lambda: quiz_posts(fake, SECRET))
    secret = question_of(post).id

    assert "keeps its answer" in answer_practice(bot, fake, ADMIN, secret)  # a member
    assert "✅" in answer_practice(bot, fake, BOB, secret)  # not a member: nothing to give away
