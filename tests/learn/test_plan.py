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
from bot.core.settings import Env, SettingsError
from bot.learn import blocks
from bot.learn.contact_blocks import welcome_intro
from bot.learn.curriculum import Curriculum, curriculum
from bot.learn.first_contact import Commitment
from bot.learn.plan import REST, WORKING_SET, Pace, choose, first_due, plan_day
from bot.learn.progress import learned_topics, resting, weeks_to_go
from bot.learn.records import Card, Kind, Learner, Pick, Progress, Status
from bot.learn.settings import read_learn_settings
from bot.learn.srs import Answer, rating_for, record, review
from slackfake.limits import assert_message_within_limits

PACE = Pace(dt.time(10, 0), frozenset(range(5)), max_per_day=3, new_per_day=1)
UTC = dt.UTC
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; US DST begins Sunday 8 March 2026
PATH = Curriculum.of(curriculum(content.questions(), ("monitoring", "deployment")))
FIRST, SECOND = PATH.topics
Q = PATH.questions  # each topic's question ids, easy first


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
            plan = plan_day(person, {}, PATH, PACE, now)
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
    plan = plan_day(person, {}, PATH, PACE, after_midnight)
    assert plan.kind is None and plan.next_due_at == START.replace(hour=10) + dt.timedelta(days=1)


def test_a_clock_jumping_back_sends_nothing_twice() -> None:
    person = learner(next_due_at=START.replace(hour=10))
    now = START.replace(hour=10, minute=5)
    first = plan_day(person, {}, PATH, PACE, now)
    person = replace(person, last_due_at=first.due_at, next_due_at=first.next_due_at)
    back = now - dt.timedelta(hours=3)
    assert person.next_due_at > back, "nothing is due after the jump back; and the slot would be taken anyway"


def test_reviews_first_then_new_wrong_answers_come_back_tomorrow() -> None:
    now = START.replace(hour=10)
    wrong = review(None, Q[FIRST][0], FIRST, False, False, now).card
    right = review(None, Q[SECOND][0], SECOND, True, False, now).card
    assert wrong.due - now == dt.timedelta(days=1) and right.due - now == dt.timedelta(days=2)
    cards = {wrong.question_id: wrong, right.question_id: right}
    tomorrow = plan_day(learner(), cards, PATH, PACE, now + dt.timedelta(days=1))
    # The review, then the second topic's next question, the day after its first right answer.
    assert tomorrow.question_ids == (Q[FIRST][0], Q[SECOND][1])


def test_ratings() -> None:
    assert rating_for(False, False) is Rating.Again
    assert rating_for(True, True) is Rating.Hard
    assert rating_for(True, False) is Rating.Good


def test_five_unanswered_days_pause() -> None:
    plan = plan_day(learner(unanswered_days=5), {}, PATH, PACE, START.replace(hour=10))
    assert plan.kind is Kind.PAUSE and plan.next_due_at is None


def test_curriculum_groups_each_topic_easy_first_and_starts_easy_topics_first() -> None:
    order = curriculum(content.questions())
    path = Curriculum.of(order)
    rank = {"easy": 0, "medium": 1, "hard": 2}
    by_id = {q.id: q for q in order}
    assert len(order) == len(content.questions()) and len(path.topics) == len({q.topic for q in order})
    for ids in path.questions.values():
        levels = [rank[by_id[qid].difficulty] for qid in ids]
        assert levels == sorted(levels)
    firsts = [rank[by_id[path.questions[topic][0]].difficulty] for topic in path.topics]
    assert firsts == sorted(firsts)


AT = START.replace(hour=10, minute=5)


def answer(cards: dict[str, Card], qid: str, correct: bool, at: dt.datetime) -> dict[str, Card]:
    """`cards` after one answer, as the answer button records it (FSRS, then the learned stamp)."""
    topic = PATH.topic_of[qid]
    found = [card for card in cards.values() if card.topic == topic]
    answered = Answer(qid, topic, correct, False, at)
    return {**cards, qid: record(cards.get(qid), found, len(PATH.questions[topic]), answered).card}


def test_a_topic_is_learned_with_two_questions_right_a_few_days_apart_and_stays_learned() -> None:
    per_topic = PATH.per_topic()
    cards = answer({}, Q[FIRST][0], True, AT)
    cards = answer(cards, Q[FIRST][1], True, AT + dt.timedelta(days=1))
    assert learned_topics(cards.values(), per_topic) == set(), "two right answers a day apart: not yet"
    cards = answer(cards, Q[FIRST][0], True, AT + dt.timedelta(days=2))
    assert learned_topics(cards.values(), per_topic) == {FIRST}, "a right review two days after the first"
    cards = answer(cards, Q[FIRST][1], False, AT + dt.timedelta(days=3))
    assert learned_topics(cards.values(), per_topic) == {FIRST}, "progress never goes back"
    assert cards[Q[FIRST][1]].due - (AT + dt.timedelta(days=3)) == dt.timedelta(days=1), "but it comes back"


def test_two_questions_the_same_day_are_not_enough() -> None:
    cards = answer(answer({}, Q[FIRST][0], True, AT), Q[FIRST][1], True, AT + dt.timedelta(minutes=1))
    assert learned_topics(cards.values(), PATH.per_topic()) == set()


def test_a_topics_next_question_comes_the_day_after_its_first_right_answer() -> None:
    pace = replace(PACE, new_per_day=1)
    cards = answer({}, Q[FIRST][0], False, AT)
    day = START.replace(hour=10)
    assert choose(cards, PATH, day + dt.timedelta(days=1), pace) == (Q[FIRST][0], Q[SECOND][0])
    cards = answer(cards, Q[FIRST][0], True, AT + dt.timedelta(days=1))
    assert Q[FIRST][1] in choose(cards, PATH, day + dt.timedelta(days=2), pace)


def test_new_topics_start_only_while_the_working_set_has_room() -> None:
    path = Curriculum.of(curriculum(content.questions()))
    pace = replace(PACE, max_per_day=10, new_per_day=10)
    cards: dict[str, Card] = {}
    for topic in path.topics[:WORKING_SET]:  # each started, and wrong: under review, not learned
        qid = path.questions[topic][0]
        cards[qid] = review(None, qid, topic, False, False, AT).card
    picked = choose(cards, path, AT + dt.timedelta(hours=2), pace)
    assert not set(picked) - set(cards), "no new topic while six are open"


def test_a_question_missed_four_times_rests_and_its_topic_gets_another() -> None:
    pace = replace(PACE, new_per_day=1)
    cards: dict[str, Card] = {}
    for day in range(4):
        cards = answer(cards, Q[FIRST][0], False, AT + dt.timedelta(days=day))
    leech = cards[Q[FIRST][0]]
    assert resting(leech) and leech.lapses == 4
    picked = choose(cards, PATH, START.replace(hour=10) + dt.timedelta(days=4), pace)
    assert picked == (Q[FIRST][1],), "not reviewed; another question on its topic instead"


def test_a_resting_question_comes_back_when_its_topic_has_no_other() -> None:
    one = Curriculum.of(q for q in curriculum(content.questions(), ("monitoring",)))
    topic = one.topics[0]
    cards: dict[str, Card] = {}
    for qid in one.questions[topic]:
        for day in range(4):
            after = review(cards.get(qid), qid, topic, False, False, AT + dt.timedelta(days=day)).card
            cards[qid] = after
    assert all(resting(card) for card in cards.values())
    day = START.replace(hour=10) + dt.timedelta(days=4)
    assert choose(cards, one, day, PACE) == ()
    assert len(choose(cards, one, day + REST, replace(PACE, new_per_day=1))) == 1


def test_weeks_to_go_count_the_questions_topics_still_need() -> None:
    per_topic = Curriculum.of(curriculum(content.questions())).per_topic()
    at_start = weeks_to_go([], per_topic, new_per_day=4, days_per_week=5)
    assert 8 <= at_start <= 12
    assert weeks_to_go([], per_topic, new_per_day=2, days_per_week=5) > at_start


def test_retention_is_a_share_within_its_range() -> None:
    assert read_learn_settings(Env({})).retention == 0.9
    assert read_learn_settings(Env({"LEARN_RETENTION": "0.85"})).retention == 0.85
    for bad in ("0.99", "0.5", "1", "0,9", "0.9x"):
        with pytest.raises(SettingsError, match="LEARN_RETENTION"):
            read_learn_settings(Env({"LEARN_RETENTION": bad}))


def test_messages_fit_slacks_limits_with_many_questions() -> None:
    questions = list(content.questions())[:10]
    progress = Progress("U1", Status.ACTIVE, None, 6, 14, 11, 36, 40, 30, None, START, 3, 9, ("monitoring",))
    picks = {questions[1].id: Pick("A", False, False), questions[2].id: Pick(questions[2].answer, True, True)}
    for message in (
        blocks.render_day(
            7,
            questions,
            picks,
            progress,
            instead_of_resting={questions[0].id},
            intro=welcome_intro("U1", "U2", Commitment(2, 15), dt.time(10)),
            opt_out=True,
        ),
        blocks.render_feedback(questions[0], Pick("B", False, False), comes_back="on Monday"),
        blocks.render_graduation(progress, share=True),
        blocks.render_cohort([(replace(progress, user_id=f"U{n}"), f"U{n}") for n in range(500)], 500),
        blocks.render_progress(progress),
    ):
        assert_message_within_limits(message.as_kwargs())
    assert blocks.progress_line(progress) == (
        "Day 6 · 14 topics started · 11 of 36 learned (31%) · 🔥 3 days ▰▰▰▱▱▱▱▱▱▱"
    )
    status = str(blocks.render_progress(progress).blocks)
    assert "30 of 40 right so far · about 9 weeks to go at this pace" in status and "FSRS" not in status
    assert len(blocks.render_home_section(progress)) <= 10
