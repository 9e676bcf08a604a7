"""The pure parts of the learning path: the day's plan (time zones, DST, clock jumps), the curriculum,
mastery, FSRS ratings, and the messages within Slack's limits."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating

import content
from bot.learn import blocks
from bot.learn.contact_blocks import welcome_intro
from bot.learn.curriculum import curriculum
from bot.learn.first_contact import Commitment
from bot.learn.plan import Pace, first_due, plan_day
from bot.learn.progress import mastered_topics
from bot.learn.records import Card, Kind, Learner, Pick, Progress, Status
from bot.learn.srs import rating_for, review
from slackfake.limits import assert_message_within_limits

PACE = Pace(dt.time(10, 0), frozenset(range(5)), max_per_day=3, new_per_day=1)
UTC = dt.UTC
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; US DST begins Sunday 8 March 2026
ORDER = [q.id for q in curriculum(content.questions(), ("monitoring", "deployment"))]


def learner(timezone: str = "UTC", **changes: object) -> Learner:
    base = Learner(
        user_id="U1",
        status=Status.ACTIVE,
        reason=None,
        timezone=timezone,
        tz_checked_at=START,
        dm_channel="D1",
        enrolled_by="U1",
        enrolled_at=START,
        next_due_at=START,
        last_due_at=None,
        days=1,
        unanswered_days=0,
        opt_out_offered=False,
        graduated_at=None,
        updated_at=START,
    )
    return replace(base, **changes)


def simulate(timezone_by_day: dict[int, str], days: int = 21) -> list[dt.datetime]:
    """Run the plan every 15 minutes for `days` days (time zones changing on the given days); returns the
    instants a day's DM was sent. Slots are unique per local date, as the database makes them."""
    person = learner(timezone_by_day.get(0, "UTC"))
    sent: list[dt.datetime] = []
    slots: set[str] = set()
    now = START
    while now < START + dt.timedelta(days=days):
        zone = timezone_by_day.get((now - START).days)
        if zone is not None and zone != person.timezone:
            person = replace(person, timezone=zone, next_due_at=first_due(now, zone, PACE))
        if person.next_due_at is not None and person.next_due_at <= now:
            plan = plan_day(person, {}, ORDER, PACE, now)
            if plan.kind is not None and plan.slot not in slots:
                slots.add(plan.slot)
                sent.append(now)
                person = replace(person, last_due_at=plan.due_at)
            person = replace(person, next_due_at=plan.next_due_at)
        now += dt.timedelta(minutes=15)
    return sent


def test_one_dm_per_working_day_at_local_time_across_dst() -> None:
    sent = simulate({0: "America/New_York"})
    new_york = ZoneInfo("America/New_York")
    assert len(sent) == 15  # three weeks of working days, DST starting in the second
    assert len({when.astimezone(new_york).date() for when in sent}) == 15
    assert {when.astimezone(new_york).strftime("%H:%M") for when in sent} == {"10:00"}


@pytest.mark.parametrize(
    ("before", "after"), [("Asia/Tokyo", "America/Los_Angeles"), ("America/Los_Angeles", "Asia/Tokyo")]
)
def test_a_time_zone_change_never_doubles_and_skips_at_most_one_day(before: str, after: str) -> None:
    sent = simulate({0: before, 3: after, 4: after, 5: after})
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
    assert all(gap >= dt.timedelta(hours=12) for gap in gaps), "never two DMs within hours"
    assert len(sent) >= 15 - 1, "at most one working day skipped"


def test_a_missed_day_is_skipped_not_sent_late() -> None:
    person = learner(next_due_at=START.replace(hour=10))
    after_midnight = START + dt.timedelta(days=1, hours=-8)  # Tuesday 01:00: Monday's DM never went out
    plan = plan_day(person, {}, ORDER, PACE, after_midnight)
    assert plan.kind is None and plan.next_due_at == START.replace(hour=10) + dt.timedelta(days=1)


def test_a_clock_jumping_back_sends_nothing_twice() -> None:
    person = learner(next_due_at=START.replace(hour=10))
    now = START.replace(hour=10, minute=5)
    first = plan_day(person, {}, ORDER, PACE, now)
    person = replace(person, last_due_at=first.due_at, next_due_at=first.next_due_at)
    back = now - dt.timedelta(hours=3)
    assert person.next_due_at > back, "nothing is due after the jump back; and the slot would be taken anyway"


def test_reviews_first_then_new_wrong_answers_come_back_tomorrow() -> None:
    now = START.replace(hour=10)
    wrong = review(None, ORDER[0], "t", False, False, now).card
    right = review(None, ORDER[1], "t", True, False, now).card
    assert wrong.due - now == dt.timedelta(days=1) and right.due - now == dt.timedelta(days=2)
    cards = {ORDER[0]: wrong, ORDER[1]: right}
    tomorrow = plan_day(learner(), cards, ORDER, PACE, now + dt.timedelta(days=1))
    assert tomorrow.question_ids == (ORDER[0], ORDER[2])  # the review, then the next new question


def test_ratings() -> None:
    assert rating_for(False, False) is Rating.Again
    assert rating_for(True, True) is Rating.Hard
    assert rating_for(True, False) is Rating.Good


def test_five_unanswered_days_pause() -> None:
    plan = plan_day(learner(unanswered_days=5), {}, ORDER, PACE, START.replace(hour=10))
    assert plan.kind is Kind.PAUSE and plan.next_due_at is None


def test_curriculum_puts_each_topics_first_question_early_and_easy_first() -> None:
    order = curriculum(content.questions())
    topics = {q.topic for q in content.questions()}
    assert {q.topic for q in order[: len(topics)]} == topics
    rank = {"easy": 0, "medium": 1, "hard": 2}
    firsts = [rank[q.difficulty] for q in order[: len(topics)]]
    assert firsts == sorted(firsts)
    assert len(order) == len(content.questions())


def _card(qid: str, topic: str, stability: float, correct: bool = True) -> Card:
    return Card(qid, topic, 2, stability, 5.0, START, START, 2, 0, correct)


def test_mastery_needs_two_solid_questions_answered_right_last() -> None:
    per_topic = {"a": 3, "b": 3}
    cards = [_card("1", "a", 8), _card("2", "a", 11), _card("3", "b", 12), _card("4", "b", 30, correct=False)]
    assert mastered_topics(cards, per_topic) == {"a"}


def test_messages_fit_slacks_limits_with_many_questions() -> None:
    questions = list(content.questions())[:10]
    progress = Progress("U1", Status.ACTIVE, None, 6, 11, 36, 40, 30, None, START)
    picks = {questions[1].id: Pick("A", False, False), questions[2].id: Pick(questions[2].answer, True, True)}
    for message in (
        blocks.render_day(
            7,
            questions,
            picks,
            progress,
            intro=welcome_intro("U1", "U2", Commitment(2, 15), dt.time(10)),
            opt_out=True,
        ),
        blocks.render_feedback(questions[0], Pick("B", False, False), next_due=START),
        blocks.render_graduation(progress, share=True),
        blocks.render_cohort([(replace(progress, user_id=f"U{n}"), f"U{n}") for n in range(500)], 500),
        blocks.render_progress(progress),
    ):
        assert_message_within_limits(message.as_kwargs())
    assert "Day 6 · 11 of 36 topics mastered" in blocks.progress_line(progress)
    assert len(blocks.render_home_section(progress)) <= 10
