"""Progress that moves from the first week, through the fake Slack: the streak and the learned count in the
learner's DMs and `/learn status`, a question missed four times resting while its topic gets another
question with the topic's card, managers seeing it in `/learn cohort`, and answer buttons a screen reader
can name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import content
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits
from tests.fixtures.driver import ADMIN, MONDAY
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import ask, path_dms, press, questions_in, wait_until, wrong_letter

ALICE = "U123"


def buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def test_a_question_missed_four_times_rests_and_its_topic_comes_back_with_its_card(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    labels = [b.get("accessibility_label", "") for b in buttons(welcome)]
    first = questions_in(welcome)[0]
    assert f"Answer A: {first.choice('A').text}"[:60] in " ".join(labels)
    assert "Show a hint for question 1" in labels

    slipping = first
    for day in range(4):  # Monday to Thursday: the same question wrong each day, the others right
        dm = path_dms(fake, ALICE)[-1]
        for index, question in enumerate(questions_in(dm)):
            wrong = question.id == slipping.id
            press(fake, ALICE, dm, index, wrong_letter(question) if wrong else question.answer)
        assert slipping.id in {q.id for q in questions_in(dm)}, f"asked again on day {day}"
        clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=day + 1))
        wait_until(lambda d=day: len(path_dms(fake, ALICE)) > d + 1)

    friday = path_dms(fake, ALICE)[-1]
    assert_message_within_limits(friday)
    asked = questions_in(friday)
    assert slipping.id not in {q.id for q in asked}, "resting: not asked again"
    stand_in = next(q for q in asked if q.topic == slipping.topic)
    card = next(b for b in buttons(friday) if b["action_id"] == f"compare.open:{slipping.topic}")
    assert card["text"]["text"] == "📖 Read up first" and card["accessibility_label"]
    assert stand_in.id != slipping.id

    status = ask(fake, ALICE, "status")
    assert "🔥 4 days" in status, "four days answered in a row; today's DM is still open"
    assert "right so far" in status and "to go at this pace" in status and "FSRS" not in status
    cohort = ask(fake, ADMIN, "cohort", replies=1)
    topic_name = content.topic_name(slipping.topic)
    assert f"resting a question on {topic_name}" in cohort
    assert "missed four times rests" in cohort


def test_a_day_without_an_answer_ends_the_streak_and_learned_topics_show_from_the_first_week(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot(LEARN_TOPICS="monitoring,deployment,pipeline,versioning")  # something new every day
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    for day in range(4):
        dm = path_dms(fake, ALICE)[-1]
        if day != 1:  # Tuesday's DM is left unanswered
            for index, question in enumerate(questions_in(dm)):
                press(fake, ALICE, dm, index, question.answer)
        clock.set(MONDAY.replace(hour=10, minute=1) + timedelta(days=day + 1))
        wait_until(lambda d=day: len(path_dms(fake, ALICE)) > d + 1)
    friday = str(path_dms(fake, ALICE)[-1]["blocks"])
    assert "🔥 2 days" in friday, "Wednesday and Thursday"
    assert "topics started" in friday and "of 4 learned (0%)" not in friday, "learned within the week"
