"""What counts and what the channel is told, end to end: the day's first `/quiz now` is the day's question,
later ones are bonus questions; the reveal names who got it and what comes next; refusals name people."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.driver import ADMIN, ALICE, BOB, CHANNEL, MONDAY, wait_until
from tests.fixtures.harness import RunningBot
from tests.fixtures.quiz import answer_buttons, press, question_of, quiz_posts, reveals
from tests.quiz.test_e2e import command

ACCESSIBILITY_LABEL_MAX = 75


def texts(message: dict[str, Any]) -> str:
    return str(message.get("blocks")) + str(message.get("text"))


def wrong_letter(post: dict[str, Any]) -> str:
    question = question_of(post)
    return next(c.letter for c in question.choices if c.letter != question.answer)


def test_the_days_first_quiz_now_counts_and_a_later_one_is_a_labelled_bonus(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    bot = start_bot()  # the default quiz in CHANNEL at 09:30; it is 08:00
    posted = command(bot, fake, "now", user=ADMIN)
    assert "Posted today's question" in texts(posted)
    (day,) = wait_until(lambda: quiz_posts(fake))
    assert "Bonus" not in texts(day)
    press(bot, fake, day, question_of(day).answer, ALICE)
    tuesday = MONDAY.replace(hour=9, minute=30) + timedelta(days=1)  # today's 09:30 has nothing to post
    assert f"Next question: <!date^{int(tuesday.timestamp())}^" in texts(command(bot, fake, "status"))

    clock.set(MONDAY.replace(hour=9, minute=31))  # the schedule's time: today's question is out already
    time.sleep(0.5)
    assert len(quiz_posts(fake)) == 1

    bonus_reply = command(bot, fake, "now", user=ADMIN)
    assert "Posted a bonus question" in texts(bonus_reply) and "isn't counted" in texts(bonus_reply)
    bonus = wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake)[1])
    assert bonus["blocks"][0]["text"]["text"] == "Bonus MLOps vs DevOps question"
    assert "*Bonus · doesn't count* toward stats, streaks or the leaderboard" in texts(bonus)
    feedback = press(bot, fake, bonus, question_of(bonus).answer, BOB)
    assert "A bonus question: it doesn't count" in texts(feedback)

    assert "1 in a row" in texts(command(bot, fake, "stats", user=ALICE))
    bob = texts(command(bot, fake, "stats", user=BOB))
    assert "Your answer so far went to bonus questions, which aren't counted" in bob
    assert "haven't answered" not in bob
    board = texts(command(bot, fake, "leaderboard", user=BOB))
    assert f"<@{ALICE}>" in board and f"<@{BOB}>" not in board

    # the bonus post keeps its label while its count updates and once it is revealed: the first reveal
    # is the day's question, the next one the bonus
    command(bot, fake, "reveal", user=ADMIN)
    (first,) = wait_until(lambda: reveals(fake))
    assert first["thread_ts"] == day["ts"]
    command(bot, fake, "reveal", user=ADMIN)
    revealed = wait_until(
        lambda: [
            m for m in quiz_posts(fake) if m["ts"] == bonus["ts"] and "Explanation in the thread" in texts(m)
        ]
    )[0]
    assert "*Bonus · doesn't count* toward stats, streaks or the leaderboard" in texts(revealed)


def test_reveal_now_reveals_the_question_people_answered_not_a_newer_bonus(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (day,) = wait_until(lambda: quiz_posts(fake))
    press(bot, fake, day, question_of(day).answer, ALICE)
    press(bot, fake, day, wrong_letter(day), BOB)
    command(bot, fake, "now", user=ADMIN)
    bonus = wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake)[1])

    assert "Revealed the answer" in texts(command(bot, fake, "reveal", user=ADMIN))
    (reveal,) = wait_until(lambda: reveals(fake))
    assert reveal["thread_ts"] == day["ts"] and reveal.get("subtype") != "thread_broadcast"
    assert "1 of 2 got it right" in texts(reveal) and "no one answered" not in texts(reveal).lower()
    time.sleep(0.3)
    assert len(reveals(fake)) == 1  # the bonus stays open
    assert answer_buttons(next(m for m in quiz_posts(fake) if m["ts"] == bonus["ts"]))


def test_bonus_answers_alone_leave_an_empty_leaderboard_that_says_why(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    wait_until(lambda: quiz_posts(fake))
    command(bot, fake, "now", user=ADMIN)
    bonus = wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake)[1])
    press(bot, fake, bonus, wrong_letter(bonus), BOB)
    board = texts(command(bot, fake, "leaderboard", user=BOB))
    assert "No counted quiz answers" in board and "Answers to bonus questions" in board


def test_the_reveal_names_the_first_right_celebrates_streaks_and_says_what_comes_next(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    fake.add_user(ALICE, name="Ada")
    fake.add_user(BOB, name="Grace")
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (monday,) = wait_until(lambda: quiz_posts(fake))
    for button in answer_buttons(monday).values():
        label = button["accessibility_label"]
        assert (
            label.startswith(f"Answer {button['action_id'][-1]}: ") and len(label) <= ACCESSIBILITY_LABEL_MAX
        )
    press(bot, fake, monday, question_of(monday).answer, ALICE)
    clock.advance(timedelta(hours=4))
    wait_until(lambda: reveals(fake))

    clock.set(MONDAY.replace(hour=9, minute=31) + timedelta(days=1))
    tuesday = wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake)[1])
    press(bot, fake, tuesday, question_of(tuesday).answer, ALICE)
    clock.advance(timedelta(minutes=1))
    press(bot, fake, tuesday, question_of(tuesday).answer, BOB)
    clock.advance(timedelta(hours=4))
    reveal = wait_until(lambda: len(reveals(fake)) == 2 and reveals(fake)[1])

    first = reveal["blocks"][0]["text"]["text"]
    assert first.startswith("✅ *Answer: ")
    assert first.endswith("\n🎉 First to get it right: Ada (🔥 2 days in a row), Grace")
    assert "<@" not in texts(reveal) and "🔔" not in texts(reveal)  # names only: nobody is pinged
    wednesday = MONDAY.replace(hour=9, minute=30) + timedelta(days=2)
    last = reveal["blocks"][-1]
    assert last["type"] == "context"
    assert last["elements"][0]["text"] == (
        "Missed it? `/quiz` for a practice one · next question "
        f"<!date^{int(wednesday.timestamp())}^{{date_short_pretty}} at {{time}}|2026-11-25 09:30 UTC>"
    )


def test_refusals_name_who_set_the_quiz_up_and_status_advises_only_managers(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    fake.add_channel("CTEAM", creator=ADMIN)
    fake.add_channel("CNOBODY", creator="")
    bot = start_bot()
    command(bot, fake, "schedule 10:15 UTC mon-fri", user=ADMIN, channel="CTEAM")

    refused = texts(command(bot, fake, "schedule 11:00", user=BOB, channel="CTEAM"))
    assert (
        f"Only <@{ADMIN}> can change <#CTEAM>'s quiz (they set it up). Ask them or a workspace admin."
        in refused
    )
    now = texts(command(bot, fake, "now", user=BOB, channel="CTEAM"))
    assert f"Only <@{ADMIN}> can post a quiz question in <#CTEAM> now" in now
    # the default quiz was set up by nobody in Slack: its channel's creator is named instead
    default = texts(command(bot, fake, "stop", user=BOB))
    assert f"Only <@{ALICE}> can change <#{CHANNEL}>'s quiz (they created the channel)." in default
    nobody = texts(command(bot, fake, "now", user=BOB, channel="CNOBODY"))
    assert "You can't post a quiz question in <#CNOBODY> now. Ask a workspace admin." in nobody

    status = texts(command(bot, fake, "status", user=BOB, channel="CTEAM"))
    assert f"Set up by <@{ADMIN}>." in status and "/quiz stop" not in status
    managed = texts(command(bot, fake, "status", user=ADMIN, channel="CTEAM"))
    assert "stop it with `/quiz stop`" in managed
    for reply in (refused, now, default, nobody, status, managed):
        assert "QUIZ_" not in reply and "settings" not in reply
