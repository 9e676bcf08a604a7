"""What the path tells a learner about when things happen holds: "next questions" is the DM that really
comes (the welcome takes its day), a missed question "comes back" on the path's next day, the hint says which
question it is for, and `/learn` typed in the DM points just above."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.learn import ids
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.driver import ADMIN, MONDAY
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import ask, dm_of, path_dms, press, questions_in, wait_until, wrong_letter

ALICE, MAYA = "U123", "UMAYA"
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^")


def promised(reply: str) -> datetime:
    """The instant of the one date token in a reply (what the reader's Slack shows as a local time)."""
    (stamp,) = DATE_TOKEN.findall(reply)
    return datetime.fromtimestamp(int(stamp), UTC)


def settle() -> None:
    """Give the bots a few polls (every 50 ms) to act; used only to check that nothing more happens."""
    time.sleep(0.4)


def test_the_next_questions_promised_on_the_welcome_day_are_the_dm_that_comes(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user(MAYA, name="maya", tz="Asia/Kolkata")
    learn_bot()
    clock.set(MONDAY.replace(hour=21, minute=43))  # Tuesday 03:13 in Kolkata, before her 10:00
    first = ask(fake, MAYA, "")
    (welcome,) = wait_until(lambda: path_dms(fake, MAYA))
    wednesday = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)  # 10:00 in Kolkata: the welcome took Tuesday
    assert promised(first) == wednesday
    assert promised(ask(fake, MAYA, "status")) == wednesday

    ask(fake, MAYA, "stop")
    offer = fake.ephemerals("CGEN", MAYA)[-1]
    fake.click(MAYA, "CGEN", offer["ts"], ids.LEARN_UNDO_STOP)
    undone = wait_until(lambda: "Back on the path" in str(fake.ephemerals("CGEN", MAYA)[-1]) and fake)
    assert promised(str(undone.ephemerals("CGEN", MAYA)[-1]["blocks"])) == wednesday

    clock.set(datetime(2026, 11, 24, 4, 31, tzinfo=UTC))  # Tuesday 10:01 in Kolkata
    settle()
    assert path_dms(fake, MAYA) == [welcome], "nothing more on the welcome's day"
    clock.set(wednesday + timedelta(minutes=1))
    wait_until(lambda: path_dms(fake, MAYA)[1:])


def test_a_question_missed_on_friday_comes_back_on_monday_and_the_dm_keeps_why(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    clock.set(MONDAY.replace(hour=12) + timedelta(days=4))  # Friday noon
    ask(fake, ALICE, "")
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    missed = questions_in(welcome)[0]
    feedback = press(fake, ALICE, welcome, 0, wrong_letter(missed))
    assert "This question comes back on Monday." in str(feedback["blocks"])
    shown = str(fake.message(dm_of(ALICE), welcome["ts"])["blocks"])
    assert "This question comes back on Monday." in shown and "❌ the answer is" in shown

    clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=7))
    monday = wait_until(lambda: path_dms(fake, ALICE)[1:])[0]
    assert missed.id in [question.id for question in questions_in(monday)]


def test_the_hint_names_its_question_in_plain_words(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    fake.click(ALICE, dm_of(ALICE), welcome["ts"], f"{ids.LEARN_HINT}:1")
    hint = str(wait_until(lambda: fake.ephemerals(dm_of(ALICE), ALICE))[-1]["blocks"])
    assert "Hint for question 2:" in hint and "comes back a little sooner" in hint and "Hard" not in hint


def test_learn_typed_in_the_dm_points_just_above_and_confirms_in_plain_text(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    assert "with today's questions, is just above" in ask(fake, ALICE, "", channel=dm_of(ALICE))
    ask(fake, ADMIN, "enroll <@U456>", replies=2)
    (welcome,) = wait_until(lambda: path_dms(fake, "U456"))
    (row,) = [block for block in welcome["blocks"] if (block.get("accessory") or {}).get("confirm")]
    assert row["accessory"]["confirm"]["text"]["type"] == "plain_text"
