"""The learning path end to end: bots over HTTP on a fake clock, a real database, people acting in the fake
Slack. Two simulated weeks of one learner, exactly-once across restarts and processes, and the commands."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from bot.core.text import escape, one_line
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits
from tests.fixtures.driver import ADMIN, MONDAY, open_home
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import (
    answer_ids,
    ask,
    delivery_id,
    dm_of,
    path_dms,
    press,
    questions_in,
    wait_until,
    wrong_letter,
)

ALICE, BOB = "U123", "U456"
GENERAL = "CGEN"
WELCOME_HELD = 8.0
"""Seconds the fake Slack holds each welcome DM in one test (the bot gives a call up after 10 s)."""


def day_at(days: int, hour: int = 10, minute: int = 1):
    return MONDAY.replace(hour=hour, minute=minute) + timedelta(days=days)


def settle() -> None:
    """Give the bots a few polls (every 50 ms) to act; used only to check that nothing more happens."""
    time.sleep(0.4)


def test_two_weeks_of_spaced_repetition_until_graduation(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    reply = ask(fake, ALICE, "")
    assert "with today's questions, is in our DM" in reply
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    assert_message_within_limits(welcome)
    assert "Welcome" in str(welcome["blocks"]) and "Day 1 · 2 topics to go" in str(welcome["blocks"])
    assert "▱" not in str(welcome["blocks"]), "no empty bar before anything is learned"
    first, second = questions_in(welcome)
    assert {first.topic, second.topic} == {"monitoring", "deployment"}, "each topic's first early"
    right = press(fake, ALICE, welcome, 0, first.answer)
    assert "Right" in str(right["blocks"])
    wrong = press(fake, ALICE, welcome, 1, wrong_letter(second))
    assert "Not quite" in str(wrong["blocks"]) and f"compare.open:{second.topic}" in str(wrong["blocks"])
    shown = fake.message(dm_of(ALICE), welcome["ts"])
    assert "You picked" in str(shown["blocks"]) and not answer_ids(shown), "the DM reads as a history"
    kept = str(shown["blocks"])  # the verdict and why stay in the DM, not only in the private reply
    why = next(c.why_wrong for c in second.choices if c.letter == wrong_letter(second)) or second.explanation
    assert escape(one_line(why))[:60] in kept and escape(one_line(first.explanation))[:60] in kept
    assert "This question comes back tomorrow." in kept and "This question comes back tomorrow." in str(wrong)
    assert f"compare.open:{second.topic}" in kept and f"compare.open:{first.topic}" in kept

    asked: dict[int, list[str]] = {0: [first.id, second.id]}
    graduated_on = None
    for day in range(1, 14):
        count = len(path_dms(fake, ALICE))
        clock.set(day_at(day))
        if day_at(day).weekday() >= 5:
            settle()
            assert len(path_dms(fake, ALICE)) == count, "nothing on weekends"
            continue
        if graduated_on is not None:
            settle()
            continue
        dm = wait_until(lambda n=count: path_dms(fake, ALICE)[n:])[0]
        assert_message_within_limits(dm)
        questions = questions_in(dm)
        asked[day] = [q.id for q in questions]
        assert 1 <= len(questions) <= 3
        for index, question in enumerate(questions):
            press(fake, ALICE, dm, index, question.answer)
        if day == 1:
            assert second.id in asked[1], "a wrong answer comes back the next day"
            assert first.id not in asked[1], "a right answer waits (FSRS: two days)"
        if day == 2:
            assert first.id in asked[2], "and comes back when FSRS says"
        try:
            wait_until(lambda: "Congratulations" in str(path_dms(fake, ALICE)[-1]["blocks"]), timeout=1.0)
            graduated_on = day
        except AssertionError:
            pass
    assert graduated_on is not None, asked
    (congratulations,) = [m for m in path_dms(fake, ALICE) if "Congratulations" in str(m["blocks"])]
    assert "learned all 2 topics" in str(congratulations["blocks"])
    assert graduated_on <= 9, "two topics take about a week"
    per_day = Counter(m["ts"].split(".")[0] for m in path_dms(fake, ALICE))
    assert max(per_day.values()) <= 2  # a day's DM, and at most the congratulations the same day
    reply = ask(fake, ALICE, "status")
    assert "2 topics started · 2 of 2 learned (100%) · 🔥" in reply and "🎓 graduated ▰▰▰▰▰▰▰▰▰▰" in reply

    # Afterwards reviews only, at most one question a week.
    before = len(path_dms(fake, ALICE))
    for day in range(14, 28):
        clock.set(day_at(day))
        settle()
    later = path_dms(fake, ALICE)[before:]
    assert len(later) <= 2 and all(len(questions_in(m)) <= 1 for m in later)


def test_restarts_and_two_processes_send_each_day_once(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    first = learn_bot()
    learn_bot()
    for user in (ALICE, BOB):
        ask(fake, user, "")
    wait_until(lambda: path_dms(fake, ALICE) and path_dms(fake, BOB))
    for day in (1, 2):
        clock.set(day_at(day))
        wait_until(lambda d=day: len(path_dms(fake, ALICE)) > d and len(path_dms(fake, BOB)) > d)
    first.stop()
    learn_bot()
    settle()
    clock.set(day_at(3))
    wait_until(lambda: len(path_dms(fake, ALICE)) == 4 and len(path_dms(fake, BOB)) == 4)
    settle()
    for user in (ALICE, BOB):
        ids = [delivery_id(m) for m in path_dms(fake, user)]
        assert len(ids) == len(set(ids)) == 4


def test_pause_resume_stop_and_forget(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    reply = ask(fake, ALICE, "pause")
    assert "Paused" in reply
    clock.set(day_at(1))
    settle()
    assert len(path_dms(fake, ALICE)) == 1, "no DM while paused"
    reply = ask(fake, ALICE, "resume")
    assert "Resumed" in reply
    clock.set(day_at(2))
    wait_until(lambda: len(path_dms(fake, ALICE)) == 2)
    reply = ask(fake, ALICE, "stop")
    assert "Stop and forget me" in reply
    clock.set(day_at(3))
    settle()
    assert len(path_dms(fake, ALICE)) == 2, "no DM once stopped"
    offer = fake.ephemerals(GENERAL, ALICE)[-1]
    fake.click(ALICE, GENERAL, offer["ts"], "learn_forget")
    wait_until(lambda: "deleted" in str(fake.ephemerals(GENERAL, ALICE)[-1]["blocks"]))
    reply = ask(fake, ALICE, "status")
    assert "not on the learning path" in reply
    reply = ask(fake, ALICE, "dance")
    assert "I don't know" in reply and "/learn pause" in reply


def test_five_unanswered_days_pause_the_path_with_one_message(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    working_days = [d for d in range(1, 12) if day_at(d).weekday() < 5]
    for day in working_days:
        count = len(path_dms(fake, ALICE))
        clock.set(day_at(day))
        if count < 6:  # the DM goes out at Slack's pace in one channel (one a second): wait for it
            wait_until(lambda n=count: len(path_dms(fake, ALICE)) > n)
        settle()
    dms = path_dms(fake, ALICE)
    assert len(dms) == 6, "the welcome and four more days, then the pause notice, then nothing"
    assert "paused" in str(dms[-1]["blocks"]) and "/learn resume" in str(dms[-1]["blocks"])
    reply = ask(fake, ALICE, "status")
    assert "Paused" in reply


def test_managers_enroll_and_see_the_cohort_bad_input_refused(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user("UGONE", name="gone", deleted=True)
    fake.add_user("UHELPER", name="helperbot", is_bot=True)
    fake.add_user("UCAROL", name="carol", tz="Asia/Tokyo")
    learn_bot()
    reply = ask(fake, BOB, "enroll <@U123>")
    assert "Only workspace admins" in reply
    reply = ask(fake, ADMIN, "enroll <@U123|alice> <@UGONE> <@UHELPER> <@UCAROL>", replies=2)
    assert "On the path, their welcome and first question on the way: <@U123>, <@UCAROL>." in reply
    assert "Not enrolled, deactivated in Slack: <@UGONE>." in reply
    assert "Not enrolled, bots (they can't learn from DMs): <@UHELPER>." in reply
    (welcome,) = wait_until(lambda: path_dms(fake, ALICE))
    assert "learn_opt_out" in str(welcome["blocks"])
    assert "Already on the path: <@U123> (active)." in ask(fake, ADMIN, "enroll <@U123>", replies=2)
    reply = ask(fake, ADMIN, "enroll hello")
    assert "Usage" in reply

    # Alice is deactivated: her next DM cannot be written, the path pauses, and managers see why.
    fake.add_user(ALICE, name="alice", deleted=True)
    clock.set(day_at(1))
    wait_until(lambda: path_dms(fake, "UCAROL")[1:])  # Tokyo: already Tuesday afternoon
    cohort = wait_until(lambda: (found := ask(fake, ADMIN, "cohort")) and "user_disabled" in found and found)
    assert "<@U123>" in cohort and "can't DM them: user_disabled" in cohort
    assert "<@UCAROL>" in cohort and "active" in cohort


def test_enrolling_fifty_people_answers_at_once_and_reports_before_the_welcomes_go_out(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    """The manager hears at once, and again once everyone is enrolled, while Slack still takes its time
    over each welcome DM (held 8 s each here); the welcomes then go out, one each."""
    people = [f"UNEW{n:03d}" for n in range(50)]
    for user in people:
        fake.add_user(user, name=user.lower())
    learn_bot(SLACK_POST_RATE="6000")
    fake.fail_next("chat.postMessage", delay=WELCOME_HELD, times=len(people))

    fake.command(ADMIN, GENERAL, "/learn", "enroll " + " ".join(f"<@{user}>" for user in people))
    working, report = (str(reply["blocks"]) for reply in wait_until(lambda: replies(fake, ADMIN, 2)))
    assert "Enrolling 50 people" in working
    assert not any(path_dms(fake, user) for user in people), "the report waited for the welcomes"
    assert (
        "On the path, their welcome and first question on the way: "
        + ", ".join(f"<@{user}>" for user in people)
        in report
    )
    wait_until(lambda: all(path_dms(fake, user) for user in people), timeout=3 * WELCOME_HELD)
    assert all(len(path_dms(fake, user)) == 1 for user in people)


def replies(fake: FakeSlack, user: str, count: int) -> list[dict]:
    """The first `count` private replies `user` got in the general channel, once there are that many."""
    shown = fake.ephemerals(GENERAL, user)
    return shown[:count] if len(shown) >= count else []


def test_joining_the_learning_channel_enrolls_with_an_opt_out(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    learn_bot(LEARN_CHANNEL="CLEARN")
    fake.join(BOB, "CLEARN")
    (welcome,) = wait_until(lambda: path_dms(fake, BOB))
    fake.click(BOB, dm_of(BOB), welcome["ts"], "learn_opt_out")
    wait_until(lambda: "Stopped" in str(fake.ephemerals(dm_of(BOB), BOB)))
    clock.set(day_at(1))
    settle()
    assert len(path_dms(fake, BOB)) == 1
    fake.join(ALICE, "COTHER")
    settle()
    assert path_dms(fake, ALICE) == []


def test_home_section_shows_the_progress_or_how_to_start(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    before = str(open_home(fake, ALICE, publishes=1)["blocks"])
    assert "`/learn`" in before
    ask(fake, ALICE, "")
    wait_until(lambda: path_dms(fake, ALICE))
    assert "Day 1 · 2 topics to go" in str(open_home(fake, ALICE, publishes=2)["blocks"])
