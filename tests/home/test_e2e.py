"""The App Home end to end, over HTTP and Socket Mode: people open the tab, click and pick in the fake
Slack, and the bot publishes views, opens modals and sends DMs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import content
from bot.compare import ids as compare_ids
from bot.home import ids as home_ids
from bot.quiz import ids as quiz_ids
from bot.quiz.blocks.post import mrkdwn_section
from content.model import Question
from slackfake import BOT_USER_ID, FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import assert_message_within_limits, iter_texts
from slackfake.requests import block_action
from tests.fixtures.driver import ADMIN, CHANNEL, MONDAY, TRANSPORTS, Driver, open_home
from tests.fixtures.harness import RunningBot, bot_settings
from tests.fixtures.quiz import quiz_posts

ALICE, BOB = "U123", "U456"
SECRET = "GSECRET"


@pytest.fixture(params=TRANSPORTS)
def bot(
    request: pytest.FixtureRequest, fake: FakeSlack, clock: FakeClock, tmp_path: Path, database_url: str
) -> Iterator[Driver]:
    """The bot over HTTP or Socket Mode on the test database, its default daily quiz in CHANNEL (created by
    the admin) at 09:30 UTC, and the clock just past it: the day's question is posted at once."""
    fake.add_channel(CHANNEL, name="new-hires", creator=ADMIN)
    clock.set(MONDAY.replace(hour=9, minute=31))
    socket = request.param == "socket"
    env = {
        "DATABASE_URL": database_url,
        "QUIZ_CHANNEL": CHANNEL,
        "QUIZ_TIME": "09:30",
        "QUIZ_REVEAL_AFTER": "4h",
    }
    with RunningBot(bot_settings(fake, tmp_path, socket=socket, **env), clock=clock) as running:
        if socket:
            fake.wait_for_socket()
        else:
            fake.set_request_url(running.events_url)
        yield Driver(request.param, running, fake)


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element of some blocks: actions elements and section accessories."""
    found = []
    for block in blocks:
        found += block.get("elements", []) if block["type"] == "actions" else []
        if isinstance(block.get("accessory"), dict):
            found.append(block["accessory"])
    return found


def element(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    (found,) = [e for e in elements(blocks) if e.get("action_id") == action_id]
    return found


def text_of(blocks: list[dict[str, Any]]) -> str:
    """Every text in some blocks, one per line."""
    return "\n".join(text for _, text in iter_texts({"blocks": blocks}))


def command(fake: FakeSlack, user: str, text: str, command: str = "/quiz") -> dict[str, Any]:
    """Run a command in the quiz channel; returns what reached the person (the ack, or the later answer)."""
    before = len(fake.calls_to("response_url"))
    ack = fake.command(user, CHANNEL, command, text)
    if ack.get("blocks"):
        return ack
    return fake.wait_for("response_url", count=before + 1)[-1].body


def todays_post(fake: FakeSlack) -> dict[str, Any]:
    fake.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == CHANNEL and c.ok)
    (post,) = quiz_posts(fake, CHANNEL)
    return post


def question_of(post: dict[str, Any]) -> Question:
    """The question a quiz post shows: the one whose prompt section is the post's."""
    prompt = post["blocks"][1]["text"]["text"]
    (question,) = [q for q in content.questions() if mrkdwn_section("", q.prompt).text.text == prompt]
    return question


def answer(fake: FakeSlack, user: str, post: dict[str, Any], *, right: bool) -> None:
    """The person presses an answer on the post; again, as the bot asks, if it could not confirm the answer
    was recorded (a slow database under a loaded machine)."""
    question = question_of(post)
    letter = (
        question.answer if right else next(c.letter for c in question.choices if c.letter != question.answer)
    )
    for _ in range(5):
        before = len(fake.calls_to("response_url"))
        fake.click(user, CHANNEL, post["ts"], f"{quiz_ids.QUIZ_ANSWER}:{letter}")
        feedback = fake.wait_for("response_url", count=before + 1)[-1].body
        if "couldn't confirm" not in str(feedback):
            assert ("Right" if right else "Not quite") in str(feedback) or "already answered" in str(feedback)
            return
    raise AssertionError("the answer was never recorded")


def test_home_shows_progress_todays_question_and_the_topic_menu(bot: Driver, fake: FakeSlack) -> None:
    post = todays_post(fake)
    answer(fake, ALICE, post, right=False)

    home = open_home(fake, ALICE)
    blocks = home["blocks"]
    assert home["type"] == "home" and len(blocks) <= 100
    assert "*Your quiz*" in text_of(blocks) and "*Answered*\n1" in text_of(blocks)
    practice = element(blocks, quiz_ids.HOME_PRACTICE_TOPIC)
    assert practice["value"] == question_of(post).topic and practice["text"]["text"] == "Practice this"
    permalink = fake.calls_to("chat.getPermalink")[-1].response["permalink"]
    assert f"<{permalink}|the question that counts>" in text_of(blocks) and f"<#{CHANNEL}>" in text_of(blocks)
    assert "✓ you answered" in text_of(blocks)
    assert quiz_ids.HOME_OPEN_QUESTION not in str(blocks)  # answered: nothing to send them to
    menu = element(blocks, home_ids.HOME_PICK_TOPIC)
    assert {o["value"] for o in menu["options"]} == {c.key for c in content.topics()}
    assert "Daily quizzes you manage" not in text_of(blocks)  # alice manages nothing
    assert quiz_ids.QUIZ_SCHEDULE_STOP not in str(blocks)


def test_todays_quiz_links_the_question_that_counts_not_a_later_bonus(bot: Driver, fake: FakeSlack) -> None:
    day = todays_post(fake)
    command(fake, ADMIN, "now")
    fake.wait_for("chat.postMessage", where=lambda c: c.ok and len(quiz_posts(fake, CHANNEL)) == 2)

    blocks = open_home(fake, ALICE)["blocks"]
    (asked,) = [c for c in fake.calls_to("chat.getPermalink") if c.body.get("channel") == CHANNEL]
    assert asked.body["message_ts"] == day["ts"]
    assert "|the question that counts> (posted <!date^" in text_of(blocks)
    assert "open until <!date^" in text_of(blocks) and "you haven't answered yet" in text_of(blocks)
    main = element(blocks, quiz_ids.HOME_OPEN_QUESTION)  # the person's next step is the main button
    assert main["url"] == asked.response["permalink"] and main["style"] == "primary"
    assert main["text"]["text"] == "Answer today's question"


def test_someone_new_gets_a_practice_button_and_the_quiz_channel(bot: Driver, fake: FakeSlack) -> None:
    blocks = open_home(fake, BOB)["blocks"]

    assert "haven't answered a daily quiz question yet" in text_of(blocks)
    assert element(blocks, quiz_ids.HOME_PRACTICE_TOPIC)["text"]["text"] == "Practice a question"
    assert f"*Today's quiz*\n• <#{CHANNEL}>" in text_of(blocks)


def test_todays_quiz_in_a_private_channel_is_listed_only_to_its_members(bot: Driver, fake: FakeSlack) -> None:
    todays_post(fake)
    fake.add_channel(SECRET, name="leads", is_private=True, creator=ADMIN, members=[ADMIN, BOT_USER_ID])
    fake.command(ADMIN, SECRET, "/quiz", "schedule 09:00 UTC daily post-now")
    fake.wait_for("chat.postMessage", where=lambda c: c.ok and bool(quiz_posts(fake, SECRET)))

    outsider = text_of(open_home(fake, BOB)["blocks"])
    assert f"<#{CHANNEL}>" in outsider  # a public channel's quiz: anyone may join it
    assert SECRET not in outsider and "GSECRET" not in str(fake.home_view(BOB))
    member = text_of(open_home(fake, ADMIN)["blocks"])
    assert f"*Today's quiz*\n• <#{CHANNEL}>" in member and f"• <#{SECRET}>: <" in member
    assert len(fake.calls_to("conversations.members")) == 1  # who is in the channel: asked once, kept


def test_a_manager_sees_each_schedule_with_edit_and_stop_and_stop_works(bot: Driver, fake: FakeSlack) -> None:
    todays_post(fake)

    home = open_home(fake, ADMIN)
    assert "Daily quizzes you manage" in text_of(home["blocks"])
    edit = element(home["blocks"], quiz_ids.QUIZ_SCHEDULE_EDIT)
    stop = element(home["blocks"], quiz_ids.QUIZ_SCHEDULE_STOP)
    assert edit["value"] == stop["value"] == CHANNEL
    assert stop["style"] == "danger" and stop["confirm"]["confirm"]["text"] == "Stop it"
    assert edit["accessibility_label"] == "Edit the daily quiz in #new-hires"
    assert stop["accessibility_label"] == "Stop the daily quiz in #new-hires"
    confirm = stop["confirm"]["text"]
    assert confirm["type"] == "plain_text" and "No more questions are posted in #new-hires" in confirm["text"]
    assert "on weekdays at *<!date^" in text_of(home["blocks"])
    assert "your time\nNext question" in text_of(home["blocks"])  # the admin's own zone: said once

    fake.click_in_view(ADMIN, home["id"], quiz_ids.QUIZ_SCHEDULE_STOP)
    fake.wait_for("views.publish", count=2, where=lambda c: c.body.get("user_id") == ADMIN and c.ok)
    after = fake.home_view(ADMIN)
    assert after is not None
    assert f"Stopped the daily quiz in <#{CHANNEL}>" in text_of(after["blocks"])
    assert quiz_ids.QUIZ_SCHEDULE_STOP not in str(after["blocks"])
    assert "no daily quiz" in str(command(fake, BOB, "status")).lower()

    undo = element(after["blocks"], quiz_ids.QUIZ_SCHEDULE_RESUME)
    assert (
        undo["text"]["text"] == "Undo"
        and undo["accessibility_label"] == "Start the daily quiz again in #new-hires"
    )
    fake.click_in_view(ADMIN, after["id"], quiz_ids.QUIZ_SCHEDULE_RESUME)
    fake.wait_for("views.publish", count=3, where=lambda c: c.body.get("user_id") == ADMIN and c.ok)
    resumed = fake.home_view(ADMIN)
    assert resumed is not None and f"The daily quiz in <#{CHANNEL}> is back on" in text_of(resumed["blocks"])
    assert element(resumed["blocks"], quiz_ids.QUIZ_SCHEDULE_STOP)["value"] == CHANNEL
    assert "09:30" in str(command(fake, BOB, "status"))

    fake.add_user(ADMIN, name="admin", is_admin=True, tz="Europe/Berlin")
    elsewhere = open_home(fake, ADMIN, publishes=4)
    assert "your time (09:30 in UTC)" in text_of(elsewhere["blocks"])  # a reader in another zone


def test_stop_from_someone_who_may_not_is_refused(bot: Driver, fake: FakeSlack) -> None:
    todays_post(fake)
    home = open_home(fake, ALICE)

    forged = block_action(quiz_ids.QUIZ_SCHEDULE_STOP, CHANNEL, user_id=ALICE, container="view", view=home)
    bot.interact(forged)
    fake.wait_for("views.publish", count=2, where=lambda c: c.body.get("user_id") == ALICE and c.ok)
    refusal = f"Only <@{ADMIN}> can change <#{CHANNEL}>'s quiz (they created the channel)."
    assert refusal in text_of(fake.home_view(ALICE)["blocks"])  # type: ignore[index]
    assert "09:30" in str(command(fake, BOB, "status"))


def test_edit_opens_a_modal_for_that_channel(bot: Driver, fake: FakeSlack) -> None:
    todays_post(fake)
    home = open_home(fake, ADMIN)

    fake.click_in_view(ADMIN, home["id"], quiz_ids.QUIZ_SCHEDULE_EDIT)
    fake.wait_for("views.open", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(ADMIN)
    assert modal["type"] == "modal" and len(modal["title"]["text"]) <= 24


def test_anyone_can_start_a_daily_quiz_in_their_own_channel_from_home(bot: Driver, fake: FakeSlack) -> None:
    fake.add_channel("CBOBS", name="bobs-team", creator=BOB)
    home = open_home(fake, BOB)
    start = element(home["blocks"], quiz_ids.QUIZ_SCHEDULE_START)
    assert start["text"]["text"] == "Start a daily quiz in a channel"

    fake.click_in_view(BOB, home["id"], quiz_ids.QUIZ_SCHEDULE_START)
    fake.wait_for("views.open", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    channel = next(block["element"] for block in modal["blocks"] if block["block_id"] == "channel")
    assert modal["callback_id"] == quiz_ids.QUIZ_SCHEDULE_FORM and "initial_conversation" not in channel

    ack = fake.submit_view(BOB, {"channel": CHANNEL, "days": ["0"]})  # not his channel
    assert ack["response_action"] == "errors" and "channel" in ack["errors"]
    ack = fake.submit_view(BOB, {"channel": "CBOBS", "days": ["0"]})
    assert ack.get("response_action") in (None, "clear")
    fake.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == "CBOBS" and c.ok)  # the intro
    assert "Daily quiz in <#CBOBS>" in str(command(fake, BOB, "status <#CBOBS|bobs-team>"))


def test_practice_this_sends_a_question_to_the_dm_that_can_be_answered(bot: Driver, fake: FakeSlack) -> None:
    post = todays_post(fake)
    answer(fake, ALICE, post, right=False)
    home = open_home(fake, ALICE)
    topic = element(home["blocks"], quiz_ids.HOME_PRACTICE_TOPIC)["value"]

    fake.click_in_view(ALICE, home["id"], quiz_ids.HOME_PRACTICE_TOPIC)
    (sent,) = fake.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == ALICE and c.ok)
    assert_message_within_limits(sent.body)
    dm, ts = sent.response["channel"], sent.response["ts"]
    buttons = next(b for b in sent.body["blocks"] if b["type"] == "actions")["elements"]
    assert content.question(buttons[0]["value"].split(":")[0]).topic == topic  # shown only after the answer
    fake.wait_for("views.publish", count=2, where=lambda c: c.body.get("user_id") == ALICE and c.ok)
    notice = text_of(fake.home_view(ALICE)["blocks"])  # type: ignore[index]
    assert "Sent you a practice question on" in notice and "open it in Messages" in notice

    before = len(fake.calls_to("response_url"))
    fake.click(ALICE, dm, ts, f"{quiz_ids.PRACTICE_ANSWER}:A")
    fake.wait_for("response_url", count=before + 1)
    answered = fake.message(dm, ts)
    assert answered is not None and quiz_ids.PRACTICE_NEXT in str(answered["blocks"])  # feedback replaced it


def test_practice_a_question_works_for_someone_new(bot: Driver, fake: FakeSlack) -> None:
    home = open_home(fake, BOB)

    fake.click_in_view(BOB, home["id"], quiz_ids.HOME_PRACTICE_TOPIC)
    (sent,) = fake.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == BOB and c.ok)
    assert any(quiz_ids.PRACTICE_ANSWER in str(b) for b in sent.body["blocks"])


def test_the_topic_menu_opens_a_card_modal_and_picking_updates_it(bot: Driver, fake: FakeSlack) -> None:
    home = open_home(fake, ALICE)

    fake.click_in_view(ALICE, home["id"], home_ids.HOME_PICK_TOPIC, "drift")
    fake.wait_for("views.open", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(ALICE)
    assert len(modal["title"]["text"]) <= 24 and len(modal["blocks"]) <= 100
    headers = [b["text"]["text"] for b in modal["blocks"] if b["type"] == "header"]
    assert headers == [content.topic("drift").name]
    menu = element(modal["blocks"], compare_ids.MODAL_PICK_TOPIC)
    assert menu["initial_option"]["value"] == "drift" and len(menu["options"]) == len(content.topics())
    assert compare_ids.SHARE_COMPARISON not in str(modal["blocks"])

    fake.click_in_view(ALICE, modal["id"], compare_ids.MODAL_PICK_TOPIC, "testing")
    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(ALICE)
    assert [b["text"]["text"] for b in modal["blocks"] if b["type"] == "header"] == ["Testing"]

    related = next(
        e for e in elements(modal["blocks"]) if compare_ids.MODAL_OPEN_TOPIC_PATTERN.match(e["action_id"])
    )
    fake.click_in_view(ALICE, modal["id"], related["action_id"])
    fake.wait_for("views.update", count=2, where=lambda c: c.ok)
    (modal,) = fake.modal_stack(ALICE)
    headers = [b["text"]["text"] for b in modal["blocks"] if b["type"] == "header"]
    assert headers == [content.topic(related["value"]).name]
