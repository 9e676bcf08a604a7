"""The daily quiz end to end: the bot running over HTTP with a fake clock, a real database, the fake Slack."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import content
from bot.quiz import ids
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits
from slackfake.requests import block_action, slash_command
from tests.fixtures.driver import ADMIN, ALICE, BOB, CHANNEL, MONDAY, wait_until
from tests.fixtures.harness import RunningBot
from tests.fixtures.quiz import answer_buttons, press, question_of, quiz_posts


def test_question_posted_at_the_scheduled_time_once(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    start_bot()
    time.sleep(0.3)
    assert quiz_posts(fake) == []
    clock.set(MONDAY.replace(hour=9, minute=30))
    (post,) = wait_until(lambda: quiz_posts(fake))
    assert_message_within_limits(post)
    assert len(answer_buttons(post)) in (3, 4)
    time.sleep(0.3)
    assert len(quiz_posts(fake)) == 1


def test_answer_feedback_first_answer_counts_and_count_updates(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    question = question_of(post)
    wrong = next(c.letter for c in question.choices if c.letter != question.answer)

    first = press(bot, fake, post, wrong, ALICE)
    assert first["response_type"] == "ephemeral" and first["replace_original"] is False
    assert "Not quite" in str(first["blocks"])
    again = press(bot, fake, post, question.answer, ALICE)
    assert "already answered" in str(again["blocks"])
    right = press(bot, fake, post, question.answer, BOB)
    assert "Right" in str(right["blocks"])

    updated = wait_until(
        lambda: "2 people" in str(fake.messages(CHANNEL)[0]["blocks"]) and fake.messages(CHANNEL)[0]
    )
    assert ALICE not in str(updated["blocks"]) and BOB not in str(updated["blocks"])


def test_answer_whose_response_url_is_not_slacks_gets_its_feedback_privately(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    button = answer_buttons(post)[question_of(post).answer]
    forged = "http://127.0.0.1:9/elsewhere"
    payload = block_action(
        button["action_id"],
        button["value"],
        user_id=BOB,
        channel_id=CHANNEL,
        message=post,
        response_url=forged,
    )
    assert bot.interact(payload)[0] == 200
    (call,) = fake.wait_for("chat.postEphemeral", where=lambda call: call.body.get("user") == BOB)
    assert call.body["channel"] == CHANNEL and "Right" in str(call.body["blocks"])


def test_reveal_in_thread_after_the_delay(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    press(bot, fake, post, "A", ALICE)
    clock.advance(timedelta(hours=4))
    reveal = wait_until(
        lambda: [
            m
            for m in fake.messages(CHANNEL)
            if (m.get("metadata") or {}).get("event_type") == ids.QUIZ_REVEAL_EVENT
        ]
    )[0]
    assert reveal["thread_ts"] == post["ts"]
    assert_message_within_limits(reveal)
    # Only in the thread: the channel sees the edited post with the answer, not the reveal a second time.
    (call,) = fake.calls_to("chat.postMessage")[1:]
    assert not call.body.get("reply_broadcast")
    assert reveal.get("subtype") != "thread_broadcast"
    assert "got it right" in reveal["text"]
    original = wait_until(lambda: [m for m in quiz_posts(fake) if not answer_buttons(m)])
    assert original
    late = press(bot, fake, quiz_posts(fake)[0] | {"blocks": post["blocks"]}, "B", BOB)
    assert "isn't counted" in str(late["blocks"])


def test_restart_does_not_post_twice(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    first = start_bot()
    wait_until(lambda: quiz_posts(fake))
    first.stop()
    start_bot()
    time.sleep(0.5)
    assert len(quiz_posts(fake)) == 1


def test_two_processes_on_one_database_post_once(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    start_bot()
    start_bot()
    clock.set(MONDAY.replace(hour=9, minute=30))
    wait_until(lambda: quiz_posts(fake))
    time.sleep(0.5)
    assert len(quiz_posts(fake)) == 1


def command(
    bot: RunningBot, fake: FakeSlack, text: str, user: str = ALICE, channel: str = CHANNEL
) -> dict[str, Any]:
    """Run `/quiz <text>`; returns the ack body, or the response_url reply when the ack was empty."""
    url = fake.response_url(f"cmd-{time.monotonic_ns()}")
    status, body = bot.command(
        slash_command("/quiz", text, user_id=user, channel_id=channel, response_url=url)
    )
    assert status == 200
    if isinstance(body, dict) and body.get("blocks"):
        assert_message_within_limits(body)
        return body
    (reply,) = fake.wait_for("response_url", where=lambda call: call.name == url.rsplit("/", 1)[1])
    assert_message_within_limits(reply.body)
    return reply.body


def test_quiz_commands(start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock) -> None:
    bot = start_bot()
    assert "/quiz stats" in str(command(bot, fake, "help"))
    practice = command(bot, fake, "")
    assert practice["response_type"] == "ephemeral"
    assert any(ids.PRACTICE_ANSWER in str(b) for b in practice["blocks"])
    assert "isn't" in str(command(bot, fake, "schedule 10:00", user=BOB)) or "Only" in str(
        command(bot, fake, "schedule 10:00", user=BOB)
    )
    saved = command(bot, fake, "schedule 10:15 Europe/Berlin mon,wed", user=ADMIN)
    assert "10:15" in str(saved)
    assert "10:15" in str(command(bot, fake, "status"))
    assert "stop" in str(command(bot, fake, "stop", user=ADMIN)).lower()
    assert "no" in str(command(bot, fake, "status")).lower()
    assert "don't know" in str(command(bot, fake, "dance"))  # neither a subcommand nor a topic
    practice = command(bot, fake, "monitoring")
    question_id = practice["blocks"][-2]["elements"][0]["value"].split(":")[0]
    assert content.question(question_id).topic == "monitoring"
    assert "&lt;!channel&gt;" in str(command(bot, fake, "<!channel>")) or "channel" in str(
        command(bot, fake, "<!channel>")
    )


def test_quiz_now_needs_permission_and_posts(start_bot: Callable[..., RunningBot], fake: FakeSlack) -> None:
    bot = start_bot(QUIZ_CHANNEL="")
    assert "Only" in str(command(bot, fake, "now", user=BOB))
    assert quiz_posts(fake) == []
    command(bot, fake, "now", user=ADMIN)
    wait_until(lambda: quiz_posts(fake))
    command(bot, fake, "now", user=ADMIN)
    assert len(wait_until(lambda: len(quiz_posts(fake)) == 2 and quiz_posts(fake))) == 2


def test_reveal_now_then_stats_and_leaderboard(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    press(bot, fake, post, question_of(post).answer, ALICE)
    assert "Only" in str(command(bot, fake, "reveal", user=BOB))
    command(bot, fake, "reveal", user=ADMIN)
    wait_until(lambda: [m for m in fake.messages(CHANNEL) if m.get("thread_ts") == post["ts"]])
    stats = str(command(bot, fake, "stats", user=ALICE))
    assert "100%" in stats and "1 in a row" in stats
    board = command(bot, fake, "leaderboard")
    assert f"<@{ALICE}>" in str(board)


def test_stopping_the_default_quiz_sticks_across_restarts(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    bot = start_bot()  # QUIZ_CHANNEL from the settings: no stored schedule
    assert "Stopped" in str(command(bot, fake, "stop", user=ADMIN))
    assert "no daily quiz" in str(command(bot, fake, "status")).lower()
    bot.stop()
    restarted = start_bot()
    clock.set(MONDAY.replace(hour=9, minute=31))
    time.sleep(0.4)  # many ticks
    assert quiz_posts(fake) == []
    assert "no daily quiz" in str(command(restarted, fake, "status")).lower()
    assert "no daily quiz" in str(command(restarted, fake, "stop", user=ADMIN)).lower()  # nothing to stop
    command(restarted, fake, "schedule 09:35", user=ADMIN)
    time.sleep(0.4)
    assert quiz_posts(fake) == []  # saving never posts
    clock.set(MONDAY.replace(hour=9, minute=35))
    wait_until(lambda: quiz_posts(fake))


def test_status_reports_the_channel_it_names(start_bot: Callable[..., RunningBot], fake: FakeSlack) -> None:
    bot = start_bot()
    command(bot, fake, "schedule <#COTHER|other> 11:45", user=ADMIN, channel=CHANNEL)
    other = str(command(bot, fake, "status <#COTHER|other>", channel=CHANNEL))
    assert "11:45" in other and "<#COTHER>" in other
    assert "09:30" in str(command(bot, fake, "status", channel=CHANNEL))


def test_channel_commands_typed_in_a_dm_say_where_quizzes_live(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    bot = start_bot()
    for text in ("leaderboard", "status"):
        reply = str(command(bot, fake, text, channel="D0ALICE"))
        assert "live in channels" in reply and "<#D0ALICE>" not in reply, text


def test_a_forged_or_foreign_answer_is_not_here(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    button = answer_buttons(post)["A"]
    post_id = button["value"].split(":")[0]
    for value, channel in ((f"{post_id}:A", "COTHER"), ("9" * 30 + ":A", CHANNEL), ("-1:A", CHANNEL)):
        url = fake.response_url(f"forged-{time.monotonic_ns()}")
        payload = block_action(
            button["action_id"], value, user_id=ALICE, channel_id=channel, message=post, response_url=url
        )
        status, _ = bot.interact(payload)
        assert status == 200
        (reply,) = fake.wait_for(
            "response_url", where=lambda call, url=url: call.name == url.rsplit("/", 1)[1]
        )
        assert "not here" in str(reply.body), value
    assert "haven't answered" in str(command(bot, fake, "stats", user=ALICE))


def test_channel_creators_and_named_managers_may_manage(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    fake.add_user("ULEAD", name="lead")
    fake.add_user("UGROUPIE", name="groupie")
    fake.add_usergroup("SLEADS", "leads", ["UGROUPIE"])
    fake.add_channel("CTEAM", name="team", creator="UCREATOR")
    fake.add_user("UCREATOR", name="creator")
    bot = start_bot(QUIZ_MANAGERS="ULEAD,SLEADS")
    for user in ("ULEAD", "UGROUPIE", "UCREATOR"):
        assert "Saved" in str(command(bot, fake, "schedule 10:00", user=user, channel="CTEAM")), user
    assert "Only" in str(command(bot, fake, "schedule 10:00", user=BOB, channel="CTEAM"))


def test_a_time_without_a_zone_is_in_the_persons_own_zone(
    start_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    fake.add_user("UTOKYO", name="kenji", tz="Asia/Tokyo", is_admin=True)
    bot = start_bot()
    saved = str(command(bot, fake, "schedule 9am", user="UTOKYO"))
    assert "09:00" in saved and "Asia/Tokyo" in saved
    assert "Europe/Paris" in str(command(bot, fake, "schedule 9am europe/paris", user="UTOKYO"))


def test_the_hint_is_private_and_noted_with_the_answer(
    start_bot: Callable[..., RunningBot], fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=9, minute=31))
    bot = start_bot()
    (post,) = wait_until(lambda: quiz_posts(fake))
    hint = next(
        e
        for b in post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.QUIZ_HINT
    )
    question = question_of(post)
    assert question.hint[:20] not in str(post["blocks"])  # not shown to everyone
    url = fake.response_url(f"hint-{time.monotonic_ns()}")
    payload = block_action(
        hint["action_id"], hint["value"], user_id=ALICE, channel_id=CHANNEL, message=post, response_url=url
    )
    assert bot.interact(payload)[0] == 200
    (reply,) = fake.wait_for("response_url", where=lambda call: call.name == url.rsplit("/", 1)[1])
    assert "Hint" in reply.body["text"] and reply.body["response_type"] == "ephemeral"
    assert "You used the hint." in str(press(bot, fake, post, question.answer, ALICE))
    assert "You used the hint." not in str(press(bot, fake, post, question.answer, BOB))
