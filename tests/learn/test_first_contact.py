"""A learner's first contact with the path, end to end: the welcome says who put them on it, why, and what it
asks; it waits for their morning when others enrol them after hours; leaving asks first and can be undone;
and small talk in the DM gets one line about the path instead of "I don't have a topic"."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import content
from bot.learn import ids
from bot.learn.first_contact import commitment, welcome_due, welcome_pace
from bot.learn.plan import Pace
from bot.learn.progress import weeks_to_go
from slackfake import BOT_USER_ID, FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits, iter_texts
from tests.fixtures.driver import ADMIN, MONDAY
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import ask, dm_of, path_dms, press, questions_in, wait_until

ALICE, BOB, MAYA = "U123", "U456", "UMAYA"
GENERAL, LEARNING = "CGEN", "CLEARN"
COMMITMENT_OF_TWO_TOPICS = "about 2 minutes a day, for about 2 weeks"
"""Two topics of four questions, two needed each, two new a day, at most three a day (tests' settings)."""


def settle() -> None:
    """Give the bots a few polls (every 50 ms) to act; used only to check that nothing more happens."""
    time.sleep(0.4)


def text_of(message: dict[str, Any]) -> str:
    return "\n".join(text for _, text in iter_texts(message))


def element(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    found = [
        candidate
        for block in message.get("blocks") or []
        for candidate in [*(block.get("elements") or []), block.get("accessory") or {}]
        if candidate.get("action_id") == action_id
    ]
    assert len(found) == 1, action_id
    return found[0]


def bot_replies(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """What the bot wrote in the learner's DM that is not a day of the path."""
    return [
        message
        for message in fake.messages(dm_of(user))
        if message.get("user") == BOT_USER_ID and not message.get("metadata")
    ]


def test_a_welcome_from_a_manager_after_hours_waits_for_the_morning_and_says_who_and_how_long(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user(MAYA, name="maya", tz="Asia/Kolkata")
    learn_bot()
    clock.set(MONDAY.replace(hour=16))  # 21:30 in Kolkata
    report = ask(fake, ADMIN, f"enroll <@{MAYA}>", replies=2)
    tuesday = int(datetime(2026, 11, 24, 4, 30, tzinfo=UTC).timestamp())  # 10:00 in Kolkata
    assert (
        "first question at 10:00 their time, when their working day starts (it's outside their working hours "
        f"now): <@{MAYA}> (<!date^{tuesday}^" in report
    )
    assert "yours)." in report
    settle()
    assert path_dms(fake, MAYA) == [], "nothing at 9:30 PM her time"

    clock.set(MONDAY.replace(hour=4, minute=31) + timedelta(days=1))  # Tuesday 10:01 in Kolkata
    (welcome,) = wait_until(lambda: path_dms(fake, MAYA))
    assert_message_within_limits(welcome)
    text = text_of(welcome)
    assert f"<@{ADMIN}> added you to the MLOps vs DevOps path: {COMMITMENT_OF_TWO_TOPICS}." in text
    assert "at 10:00 your time" in text and "`/learn stop`" in text
    assert questions_in(welcome), "the first question comes with the welcome"

    # *Not for me* sits below the questions and the progress, asks first, and says what it does.
    kinds = [block["type"] for block in welcome["blocks"]]
    opt_out = element(welcome, ids.LEARN_OPT_OUT)
    assert kinds[-2:] == ["context", "section"] and welcome["blocks"][-1]["accessory"] == opt_out
    assert opt_out["confirm"]["confirm"]["text"] == "Leave the path"
    assert opt_out["accessibility_label"] == "Not for me: leave the learning path"

    settle()
    assert len(path_dms(fake, MAYA)) == 1, "her first day gets the welcome only, not a second DM"
    clock.set(MONDAY.replace(hour=4, minute=31) + timedelta(days=2))  # Wednesday morning: her next day
    wait_until(lambda: path_dms(fake, MAYA)[1:])


def test_a_manager_enrolling_within_working_hours_sends_the_welcome_at_once(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user(MAYA, name="maya", tz="Asia/Kolkata")
    learn_bot()
    clock.set(MONDAY.replace(hour=6))  # 11:30 in Kolkata
    report = ask(fake, ADMIN, f"enroll <@{MAYA}>", replies=2)
    assert f"their welcome and first question on the way: <@{MAYA}>." in report
    (welcome,) = wait_until(lambda: path_dms(fake, MAYA))
    assert f"<@{ADMIN}> added you" in text_of(welcome)


def test_someone_who_types_learn_late_at_night_gets_the_welcome_at_once(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    clock.set(MONDAY.replace(hour=22))
    assert "with today's questions, is in our DM" in ask(fake, ALICE, "")
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    assert f"👋 You're on the MLOps vs DevOps path: {COMMITMENT_OF_TWO_TOPICS}." in text_of(welcome)
    assert "learn_opt_out" not in str(welcome["blocks"]), "they asked for it themselves"


def test_joining_the_learning_channel_says_so_in_the_welcome(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot(LEARN_CHANNEL=LEARNING)
    fake.join(BOB, LEARNING)
    (welcome,) = wait_until(lambda: path_dms(fake, BOB))
    assert f"You're on the MLOps vs DevOps path because you joined <#{LEARNING}>" in text_of(welcome)


def test_a_welcome_held_for_the_morning_is_not_sent_to_someone_who_left_the_path(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user(MAYA, name="maya", tz="Asia/Kolkata")
    learn_bot()
    clock.set(MONDAY.replace(hour=16))
    ask(fake, ADMIN, f"enroll <@{MAYA}>", replies=2)
    assert "Stopped" in ask(fake, MAYA, "stop")
    clock.set(MONDAY.replace(hour=4, minute=31) + timedelta(days=1))
    settle()
    assert path_dms(fake, MAYA) == []


def test_stop_offers_undo_and_forgetting_asks_first(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    first = questions_in(welcome)[0]
    press(fake, ALICE, welcome, 0, first.answer)

    assert "Undo" in ask(fake, ALICE, "stop")
    offer = fake.ephemerals(GENERAL, ALICE)[-1]
    forget = element(offer, ids.LEARN_FORGET)
    assert "can't be undone" in forget["confirm"]["text"]["text"] and forget["confirm"]["style"] == "danger"
    assert forget["accessibility_label"] == "Stop and forget me: delete your path and its answers"
    undo = element(offer, ids.LEARN_UNDO_STOP)
    assert undo["accessibility_label"] == "Undo: back on the learning path, progress kept"

    shown = len(fake.ephemerals(GENERAL, ALICE))
    fake.click(ALICE, GENERAL, offer["ts"], ids.LEARN_UNDO_STOP)
    wait_until(lambda: "Back on the path, progress kept" in str(fake.ephemerals(GENERAL, ALICE)[-1]))
    assert len(fake.ephemerals(GENERAL, ALICE)) == shown, "the offer gives way to the answer"
    clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=1))
    (next_day,) = wait_until(lambda: path_dms(fake, ALICE)[1:])
    assert first.id not in [q.id for q in questions_in(next_day)], "its right answer is kept: not asked again"

    ask(fake, ALICE, "stop")
    offer = fake.ephemerals(GENERAL, ALICE)[-1]
    ask(fake, ALICE, "forget")
    fake.click(ALICE, GENERAL, offer["ts"], ids.LEARN_UNDO_STOP)  # the old offer, once forgotten
    wait_until(lambda: "nothing to undo" in str(fake.ephemerals(GENERAL, ALICE)))  # where the offer was


def test_not_for_me_stops_and_offers_undo(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    ask(fake, ADMIN, f"enroll <@{BOB}>", replies=2)
    (welcome,) = wait_until(lambda: path_dms(fake, BOB))
    fake.click(BOB, dm_of(BOB), welcome["ts"], ids.LEARN_OPT_OUT)
    stopped = wait_until(lambda: fake.ephemerals(dm_of(BOB), BOB))[-1]
    assert "Stopped" in str(stopped["blocks"])
    fake.click(BOB, dm_of(BOB), stopped["ts"], ids.LEARN_UNDO_STOP)
    wait_until(lambda: "Back on the path" in str(fake.ephemerals(dm_of(BOB), BOB)[-1]))
    clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=1))
    wait_until(lambda: path_dms(fake, BOB)[1:])


@pytest.mark.parametrize("text", ["thanks!", "how long will this take?", "ok", "B", "more questions please"])
def test_a_learners_small_talk_in_the_dm_gets_one_line_about_the_path(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, text: str
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    fake.say(ALICE, dm_of(ALICE), text)
    (reply,) = wait_until(lambda: bot_replies(fake, ALICE))
    assert_message_within_limits(reply)
    said = text_of(reply)
    assert "buttons" in said and "`/learn status`" in said and "`/quiz`" in said and "2 minutes a day" in said
    assert "I don't have a topic" not in said


def test_a_paused_learners_small_talk_says_how_to_resume(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    ask(fake, ALICE, "pause")
    fake.say(ALICE, dm_of(ALICE), "thanks!")
    (reply,) = wait_until(lambda: bot_replies(fake, ALICE))
    assert "paused" in text_of(reply) and "`/learn resume`" in text_of(reply)


def test_a_topic_in_a_learners_dm_is_still_looked_up_and_others_small_talk_is_not_about_a_path(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    fake.say(ALICE, dm_of(ALICE), "drift")
    (card,) = wait_until(lambda: bot_replies(fake, ALICE))
    assert card["blocks"][0]["text"]["text"] == content.topic("drift").name
    fake.say(
        ALICE, dm_of(ALICE), "what should our team use to roll back a bad release of the payments service"
    )
    wait_until(lambda: bot_replies(fake, ALICE)[1:])
    assert "`/learn status`" not in text_of(bot_replies(fake, ALICE)[1]), "a long question is a lookup"

    fake.say(BOB, dm_of(BOB), "thanks!")  # not on the path: the lookup answers as before
    (reply,) = wait_until(lambda: bot_replies(fake, BOB))
    assert "I don't have a topic" in text_of(reply)


# --- the rules, pure ---------------------------------------------------------------------------------------

PACE = Pace(dtime(10, 0), frozenset(range(5)), max_per_day=3, new_per_day=1)
KOLKATA = ZoneInfo("Asia/Kolkata")


def test_the_weeks_follow_the_topics_and_the_pace() -> None:
    thirty_six = {f"topic{n}": 3 for n in range(36)}
    weeks = commitment(PACE, thirty_six).weeks
    assert weeks == weeks_to_go((), thirty_six, PACE.new_per_day, len(PACE.days))  # what /learn status says
    assert commitment(replace(PACE, new_per_day=2), thirty_six).weeks < weeks
    assert commitment(replace(PACE, days=frozenset(range(7))), thirty_six).weeks < weeks
    assert commitment(PACE, {"one": 1}).weeks < commitment(PACE, {"one": 3, "two": 3}).weeks
    assert commitment(replace(PACE, new_per_day=0), thirty_six).weeks is None
    assert commitment(PACE, thirty_six).minutes_a_day == 2  # three questions, half a minute each
    assert commitment(replace(PACE, max_per_day=10), thirty_six).minutes_a_day == 5


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 23, 21, 30), datetime(2026, 11, 24, 10, 0)),  # Monday night: Tuesday morning
        (datetime(2026, 11, 23, 7, 0), datetime(2026, 11, 23, 10, 0)),  # before work: today's time
        (datetime(2026, 11, 23, 11, 30), datetime(2026, 11, 23, 11, 30)),  # working hours: now
        (datetime(2026, 11, 28, 12, 0), datetime(2026, 11, 30, 10, 0)),  # Saturday: Monday morning
    ],
)
def test_a_welcome_from_others_waits_for_working_hours(local: datetime, expected: datetime) -> None:
    now = local.replace(tzinfo=KOLKATA).astimezone(UTC)
    assert welcome_due(now, "Asia/Kolkata", PACE) == expected.replace(tzinfo=KOLKATA)


def test_the_welcome_holds_a_question_or_two_whatever_the_daily_pace() -> None:
    busy = replace(PACE, max_per_day=6, new_per_day=4)
    assert (welcome_pace(busy).max_per_day, welcome_pace(busy).new_per_day) == (2, 2)
    reviews_only = replace(PACE, max_per_day=1, new_per_day=0)
    assert (welcome_pace(reviews_only).max_per_day, welcome_pace(reviews_only).new_per_day) == (1, 1)
