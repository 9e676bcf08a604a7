"""What a channel's quiz chooses beyond its time: when the answer is revealed, whether wrong pickers learn
the right letter only from the reveal, and a weekly leaderboard posted exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest

import content
from bot.core.timecodes import WEEKDAYS
from bot.quiz import ids
from bot.quiz.answers import Answers
from bot.quiz.engine import QuizEngine
from bot.quiz.records import ScheduleOptions, scheduled_slot
from bot.quiz.reveal_after import RevealAfter
from bot.quiz.schedules import ChannelSchedule
from bot.quiz.weekly import due_board
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits
from tests.fixtures.databases import Queries
from tests.fixtures.driver import ADMIN, ALICE, BOB, wait_until
from tests.fixtures.harness import RunningBot
from tests.fixtures.quiz import MONDAY, QUIZ, MakeService, at, press, question_of, quiz_posts
from tests.quiz.test_e2e import command

TEAM = "CTEAM"
WEEKLY = ScheduleOptions("4h", weekly_leaderboard=True)


def boards(fake: FakeSlack, channel: str = TEAM) -> list[dict]:
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == ids.QUIZ_WEEKLY_BOARD_EVENT
    ]


# --- when the answer is revealed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "reveal_at"),
    [
        ("1h", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
        ("end-of-day", datetime(2026, 11, 23, 17, 0, tzinfo=ZoneInfo("Europe/Berlin"))),
    ],
)
async def test_each_channel_reveals_when_its_schedule_says(
    make_service: MakeService,
    fake: FakeSlack,
    clock: FakeClock,
    store: Queries,
    stored: str,
    reveal_at: datetime,
) -> None:
    zone = "UTC" if stored == "1h" else "Europe/Berlin"
    at_ = clock_time(9, 30) if stored == "1h" else clock_time(10, 30)  # 09:30 UTC either way
    await store.upsert_schedule(TEAM, at_, zone, WEEKDAYS, ADMIN, clock.now(), ScheduleOptions(stored))
    service = await make_service(quiz=replace(QUIZ, channel=None))
    at(clock, 9, 30)
    await service.tick()
    post = await store.post_for_slot(TEAM, scheduled_slot(MONDAY.date()))
    assert post is not None and post.reveal_due == reveal_at


def test_end_of_day_still_leaves_an_hour_to_answer() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    late = datetime(2026, 11, 23, 16, 45, tzinfo=berlin)
    assert RevealAfter.parse("eod").due(late, berlin) == late + timedelta(hours=1)
    assert RevealAfter.parse("2h").words() == "2 hours later"
    with pytest.raises(ValueError):
        RevealAfter.parse("8d")


def test_a_typed_reveal_after_working_hours_is_not_saved(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    bot = start_bot()
    refused = str(command(bot, fake, "schedule 14:00 UTC reveal 8h", user=ADMIN))
    assert "Not saved. With the quiz at 14:00, the answer would come at 22:00" in refused
    assert "09:30" in str(command(bot, fake, "status", user=ADMIN))  # the default quiz is unchanged
    assert "Saved" in str(command(bot, fake, "schedule 14:00 UTC reveal 2h", user=ADMIN))


def test_a_typed_change_keeps_the_options_it_does_not_name(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    bot = start_bot()
    saved = command(bot, fake, "schedule 09:30 UTC reveal eod weekly-leaderboard", user=ADMIN)
    assert "at the end of the working day · a weekly leaderboard." in str(saved)
    again = str(command(bot, fake, "schedule 10:00", user=ADMIN))
    assert "at the end of the working day · a weekly leaderboard." in again and "10:00 in UTC" in again
    off = str(command(bot, fake, "schedule 10:00 weekly-leaderboard off", user=ADMIN))
    assert "weekly leaderboard" not in off


# --- the right letter only at the reveal ----------------------------------------------------------


def test_wrong_pickers_learn_why_but_not_the_letter_until_the_reveal(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=10))
    bot = start_bot()
    wait_until(lambda: quiz_posts(fake))  # the default quiz's question for today
    saved = command(bot, fake, "schedule 09:30 UTC answer-at-reveal reveal 2h post-now", user=ADMIN)
    assert "Posted a bonus question just now" in str(saved)  # as `/quiz now`: today's is out already
    post = wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake)[-1])
    question = question_of(post)
    wrong = next(c for c in question.choices if c.letter != question.answer)

    feedback = press(bot, fake, post, wrong.letter, BOB)
    assert_message_within_limits(feedback)
    text = str(feedback["blocks"])
    assert "Not quite" in text and "comes with the reveal" in text and "<!date^" in text
    assert f"The answer is *{question.answer}" not in text
    assert "A bonus question" in text
    right = press(bot, fake, post, question.answer, ALICE)
    assert "Right" in str(right["blocks"])


# --- the weekly leaderboard -----------------------------------------------------------------------


async def _week_of_answers(service: QuizEngine, answers: Answers, store: Queries, clock: FakeClock) -> None:
    """Monday to Friday: each day's question posted at 09:30 and answered right by Alice, wrong by Bob."""
    for day in range(5):
        at(clock, 9, 30, days=day)
        await service.tick()
        post = await store.post_for_slot(TEAM, scheduled_slot((MONDAY + timedelta(days=day)).date()))
        question = content.question(post.question_id)
        wrong = next(c.letter for c in question.choices if c.letter != question.answer)
        await answers.record(f"{post.id}:{question.answer}", ALICE, TEAM)
        await answers.record(f"{post.id}:{wrong}", BOB, TEAM)


async def test_a_weekly_leaderboard_is_posted_once_after_the_weeks_last_reveal(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries, answers: Answers
) -> None:
    fake.add_user(ALICE, name="alice")
    await store.upsert_schedule(TEAM, clock_time(9, 30), "UTC", WEEKDAYS, ADMIN, clock.now(), WEEKLY)
    first = await make_service(quiz=replace(QUIZ, channel=None), instance_id="proc-a")
    second = await make_service(quiz=replace(QUIZ, channel=None), instance_id="proc-b", own_engine=True)
    await _week_of_answers(first, answers, store, clock)
    bonus = await first.post_now(TEAM)  # Friday's question is out: a bonus, which no leaderboard counts
    assert bonus.post.bonus
    await answers.record(f"{bonus.post.id}:{content.question(bonus.post.question_id).answer}", BOB, TEAM)
    at(clock, 13, 29, days=4)
    await first.tick()
    assert boards(fake) == []  # Friday's answer is not out yet

    at(clock, 13, 30, days=4)
    await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
    [board] = boards(fake)
    assert_message_within_limits(board)
    text = str(board["blocks"])
    assert "This week's quiz leaderboard" in text and "*alice*" in text and "5/5 right" in text
    # names, nobody notified; Bob got only the bonus right, which no leaderboard counts
    assert f"<@{ALICE}>" not in text and BOB not in text

    at(clock, 16, 0, days=4)
    await first.tick()
    await second.tick()
    assert len(boards(fake)) == 1


async def test_no_leaderboard_without_the_option_or_without_a_right_answer(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    await store.upsert_schedule(TEAM, clock_time(9, 30), "UTC", WEEKDAYS, ADMIN, clock.now(), WEEKLY)
    await store.upsert_schedule("CPLAIN", clock_time(9, 30), "UTC", WEEKDAYS, ADMIN, clock.now())
    service = await make_service(quiz=replace(QUIZ, channel=None))
    at(clock, 14, 0, days=4)
    await service.tick()
    await service.tick()
    assert boards(fake) == [] and boards(fake, "CPLAIN") == []


def test_the_weeks_board_is_due_only_after_its_last_reveal_and_never_before_the_schedule_was_saved() -> None:
    friday = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    four_hours = RevealAfter(timedelta(hours=4))
    schedule = ChannelSchedule(
        TEAM, clock_time(9, 30), ZoneInfo("UTC"), WEEKDAYS, "schedule", ADMIN, four_hours, WEEKLY, MONDAY
    )
    assert due_board(schedule, friday + timedelta(hours=3, minutes=59)) is None
    due = due_board(schedule, friday + timedelta(hours=4))
    assert due is not None and (due.week, due.due_at) == ("2026-W48", friday + timedelta(hours=4))
    assert due_board(schedule, friday - timedelta(days=1) + timedelta(hours=5)) is None  # Thursday
    saved_late = replace(schedule, saved_at=friday + timedelta(minutes=1))
    assert due_board(saved_late, friday + timedelta(hours=5)) is None
    assert due_board(replace(schedule, options=ScheduleOptions("4h")), friday + timedelta(hours=5)) is None
