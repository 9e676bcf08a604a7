"""What gets posted when: schedules, due times, missed days, DST and question rotation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import content
from bot.core.timecodes import ALL_DAYS, WEEKDAYS
from bot.quiz.records import scheduled_slot
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.databases import Queries
from tests.fixtures.quiz import CHANNEL, MONDAY, QUIZ, MakeService, at, has_buttons, quiz_posts

FIRST_DAY = MONDAY.date()


async def test_posts_at_the_time_once_and_only_on_quiz_days(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    service = await make_service()
    at(clock, 9, 29)
    await service.tick()
    assert quiz_posts(fake) == []

    at(clock, 9, 30)
    await service.tick()
    await service.tick()
    [message] = quiz_posts(fake)
    assert has_buttons(message)
    post = await store.post_for_slot(CHANNEL, scheduled_slot(FIRST_DAY))
    assert post is not None and post.ts == message["ts"]

    at(clock, 10, 0, days=5)  # Saturday: not a quiz day
    await service.tick()
    assert len(quiz_posts(fake)) == 1


async def test_stored_schedule_wins_over_the_default(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    await store.upsert_schedule(CHANNEL, time(11, 0), "UTC", ALL_DAYS, "U123", clock.now())
    await store.upsert_schedule("COTHER", time(9, 0), "UTC", WEEKDAYS, "U123", clock.now())
    service = await make_service()

    at(clock, 9, 45)
    await service.tick()
    assert quiz_posts(fake) == []
    assert len(quiz_posts(fake, "COTHER")) == 1

    at(clock, 11, 0)
    await service.tick()
    assert len(quiz_posts(fake)) == 1


async def test_stopped_schedule_silences_the_default_channel(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    await store.upsert_schedule(CHANNEL, time(9, 30), "UTC", WEEKDAYS, "U123", clock.now())
    await store.stop_schedule(CHANNEL, "U123", clock.now())
    at(clock, 12, 0)
    await (await make_service()).tick()
    assert fake.calls_to("chat.postMessage") == []


async def test_no_default_channel_means_only_stored_schedules(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock
) -> None:
    at(clock, 12, 0)
    await (await make_service(quiz=replace(QUIZ, channel=None))).tick()
    assert fake.calls_to("chat.postMessage") == []


async def test_posts_at_start_when_due_earlier_the_same_day(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    now = at(clock, 17, 0)  # the bot was down at 09:30
    await (await make_service()).tick()
    [message] = quiz_posts(fake)
    post = await store.post_for_slot(CHANNEL, scheduled_slot(FIRST_DAY))
    assert post is not None and post.ts == message["ts"]
    assert post.reveal_due == now + QUIZ.reveal_after  # people still get the full time to answer


async def test_a_missed_day_is_skipped_not_posted_late(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    service = await make_service()
    at(clock, 8, 0, days=1)  # down all Monday; Tuesday's quiz is not due yet
    await service.tick()
    assert quiz_posts(fake) == []

    at(clock, 9, 30, days=1)
    await service.tick()
    assert len(quiz_posts(fake)) == 1
    assert await store.post_for_slot(CHANNEL, scheduled_slot(FIRST_DAY)) is None
    assert await store.post_for_slot(CHANNEL, scheduled_slot(FIRST_DAY + timedelta(days=1))) is not None


async def test_time_zones_decide_the_local_day(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    # 07:00 in Tokyo on Tuesday is still Monday 22:00 in UTC.
    await store.upsert_schedule("CTOKYO", time(7, 0), "Asia/Tokyo", frozenset({1}), "U123", clock.now())
    service = await make_service(quiz=replace(QUIZ, channel=None))
    at(clock, 21, 59)
    await service.tick()
    assert quiz_posts(fake, "CTOKYO") == []
    at(clock, 22, 0)
    await service.tick()
    assert len(quiz_posts(fake, "CTOKYO")) == 1
    assert await store.post_for_slot("CTOKYO", "2026-11-24") is not None


async def test_rotation_repeats_no_question_until_the_bank_is_exhausted(
    make_service: MakeService, store: Queries
) -> None:
    service = await make_service()
    bank = {question.id for question in content.questions()}
    for _ in range(len(bank)):
        assert (await service.post_now(CHANNEL)).ok
    first_cycle = (await store.question_histories([CHANNEL]))[CHANNEL]
    assert set(first_cycle) == bank and len(first_cycle) == len(bank)

    assert (await service.post_now(CHANNEL)).ok
    assert ((await store.question_histories([CHANNEL]))[CHANNEL])[-1] in bank


def _new_york(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo("America/New_York")).astimezone(UTC)


SPRING, FALL = date(2026, 3, 8), date(2026, 11, 1)  # US clocks go forward / back at 02:00 local


@pytest.mark.parametrize(
    ("wall", "spring_due", "fall_due"),
    [
        # 02:30 does not exist on the spring day: due when the clocks jump to 03:00 EDT.
        (time(2, 30), datetime(2026, 3, 8, 7, 0, tzinfo=UTC), datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
        # 01:30 happens twice on the fall day: the first one (EDT) counts.
        (time(1, 30), datetime(2026, 3, 8, 6, 30, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
)
async def test_dst_changes_neither_skip_nor_repeat_a_day(
    make_service: MakeService,
    fake: FakeSlack,
    clock: FakeClock,
    store: Queries,
    wall: time,
    spring_due: datetime,
    fall_due: datetime,
) -> None:
    quiz = replace(QUIZ, time=wall, timezone=ZoneInfo("America/New_York"), days=ALL_DAYS)
    service = await make_service(quiz=quiz)
    for change in (SPRING, FALL):
        clock.set(_new_york(change - timedelta(days=1), 0, 0))
        while clock.now() < _new_york(change + timedelta(days=1), 23, 59):
            await service.tick()
            clock.advance(timedelta(minutes=20))

    days = Counter([(await store.get_post(_post_id(message))).local_date for message in quiz_posts(fake)])
    assert days == Counter(change + timedelta(days=d) for change in (SPRING, FALL) for d in (-1, 0, 1))
    assert (await store.post_for_slot(CHANNEL, SPRING.isoformat())).due_at == spring_due
    assert (await store.post_for_slot(CHANNEL, FALL.isoformat())).due_at == fall_due


def _post_id(message: dict[str, Any]) -> int:
    return int(message["metadata"]["event_payload"]["post_id"])
