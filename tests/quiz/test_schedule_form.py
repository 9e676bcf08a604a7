"""The schedule form end to end: `/quiz schedule` alone opens it, errors show on their field, a good
submission saves the schedule, announces the quiz in its channel and confirms privately."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.quiz import ids
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from slackfake.limits import view_problems
from tests.fixtures.driver import ADMIN, CHANNEL, MONDAY, TRANSPORTS, wait_until
from tests.fixtures.harness import RunningBot, bot_settings
from tests.fixtures.quiz import quiz_posts

LEAD = "ULEAD"


@pytest.fixture(params=TRANSPORTS)
def bot(
    request: pytest.FixtureRequest, fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> Iterator[RunningBot]:
    socket = request.param == "socket"
    fake.add_user(LEAD, name="lead", tz="Europe/Berlin")
    fake.add_channel("CTEAM", name="team", creator=LEAD)
    with RunningBot(bot_settings(fake, tmp_path, socket=socket), clock=clock) as running:
        if socket:
            fake.wait_for_socket()
        else:
            fake.set_request_url(running.events_url)
        yield running


def open_form(fake: FakeSlack, user: str, channel: str, nth: int = 1) -> dict:
    fake.command(user, channel, "/quiz", "schedule")
    call = fake.wait_for("views.open", count=nth)[nth - 1]
    view = call.body["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert view["callback_id"] == ids.QUIZ_SCHEDULE_FORM
    return view


def test_the_form_opens_filled_in_and_checks_each_field(bot: RunningBot, fake: FakeSlack) -> None:
    view = open_form(fake, LEAD, "CTEAM")
    assert view_problems(view, kind="modal") == []
    blocks = {block["block_id"]: block for block in view["blocks"]}
    zone = blocks["zone"]["element"]
    assert zone["type"] == "static_select"
    assert zone["initial_option"]["value"] == "Europe/Berlin"  # the lead's own zone
    assert sum(len(group["options"]) for group in zone["option_groups"]) <= 100  # Slack's limit
    assert blocks["channel"]["element"]["initial_conversation"] == "CTEAM"
    assert blocks["reveal"]["element"]["initial_option"]["value"] == "4h"
    assert blocks["options"]["optional"] and "initial_options" not in blocks["options"]["element"]
    assert blocks["first"]["optional"] and "initial_options" not in blocks["first"]["element"]

    ack = fake.submit_view(LEAD, {"time": "09:30", "zone": "Mars/Olympus", "days": []})
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"zone", "days"}
    [modal] = fake.modal_stack(LEAD)  # the form stays open, with the errors shown on the fields
    assert set(fake.view_errors(modal["id"])) == {"zone", "days"}

    ack = fake.submit_view(LEAD, {"time": "09:30", "zone": "America/Los_Angeles", "days": ["0", "2", "4"]})
    assert ack.get("response_action") in (None, "clear")
    intro = fake.wait_for("chat.postMessage", where=lambda call: call.body.get("channel") == "CTEAM")[0]
    assert "started a daily MLOps vs DevOps quiz" in str(intro.body)
    assert "<!date^" in str(intro.body)  # each reader sees the time in their own zone
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "Saved" in str(confirmation.body) and "09:30 in America/Los_Angeles" in str(confirmation.body)
    assert "on Mon, Wed and Fri" in str(confirmation.body)


def test_a_reveal_after_working_hours_is_refused_on_its_field_with_what_fits(
    bot: RunningBot, fake: FakeSlack
) -> None:
    view = open_form(fake, LEAD, "CTEAM")
    reveal = {block["block_id"]: block for block in view["blocks"]}["reveal"]
    assert "between 8 AM and 7 PM" in reveal["hint"]["text"]
    end_of_day = next(o for o in reveal["element"]["options"] if o["value"] == "end-of-day")
    assert end_of_day["text"]["text"] == "At the end of the working day"
    assert "5 PM in the quiz's time zone" in end_of_day["description"]["text"]

    values = {"time": "16:00", "zone": "Europe/Berlin", "days": ["0"], "reveal": "8h"}
    ack = fake.submit_view(LEAD, values)
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {"reveal"}
    assert ack["errors"]["reveal"] == (
        "With the quiz at 16:00, the answer would come at 00:00, when hardly anyone reads it. "
        "Pick 1 hour, 2 hours or the end of the working day, or an earlier time."
    )
    assert not fake.calls_to("chat.postMessage")  # nothing saved, nothing announced

    ack = fake.submit_view(LEAD, values | {"reveal": "2h"})
    assert ack.get("response_action") in (None, "clear")
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "Saved" in str(confirmation.body)


def test_saving_after_todays_time_posts_nothing_until_the_next_quiz_day(
    bot: RunningBot, fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=15, minute=49))
    open_form(fake, LEAD, "CTEAM")
    fake.submit_view(LEAD, {"time": "09:30", "zone": "UTC", "days": [str(d) for d in range(5)]})
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    tuesday = MONDAY.replace(hour=9, minute=30) + timedelta(days=1)
    assert f"Next question: <!date^{int(tuesday.timestamp())}^" in str(confirmation.body)
    assert "Nothing is posted before then" in str(confirmation.body)
    time.sleep(0.5)  # many of the scheduler's ticks
    assert quiz_posts(fake, "CTEAM") == []

    clock.set(tuesday)
    wait_until(lambda: quiz_posts(fake, "CTEAM"))


def test_post_the_first_question_now_posts_one_and_says_so(
    bot: RunningBot, fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=15, minute=49))
    open_form(fake, LEAD, "CTEAM")
    fake.submit_view(LEAD, {"time": "09:30", "zone": "UTC", "days": ["0"], "first": ["post_now"]})
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "Posted the first question just now" in str(confirmation.body)
    assert len(quiz_posts(fake, "CTEAM")) == 1


def test_the_first_question_now_before_the_days_time_is_the_days_question(
    bot: RunningBot, fake: FakeSlack, clock: FakeClock
) -> None:
    clock.set(MONDAY.replace(hour=8))
    open_form(fake, LEAD, "CTEAM")
    fake.submit_view(
        LEAD, {"time": "09:30", "zone": "UTC", "days": [str(d) for d in range(5)], "first": ["post_now"]}
    )
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "it is today's question, so answers count" in str(confirmation.body)
    tuesday = MONDAY.replace(hour=9, minute=30) + timedelta(days=1)  # today's 09:30 has nothing left to post
    assert f"Next question: <!date^{int(tuesday.timestamp())}^" in str(confirmation.body)
    intro = fake.wait_for("chat.postMessage", where=lambda call: call.body.get("channel") == "CTEAM")[0]
    assert ", starting now." in str(intro.body)
    (post,) = wait_until(lambda: quiz_posts(fake, "CTEAM"))
    assert "Bonus" not in str(post["blocks"])

    clock.set(MONDAY.replace(hour=9, minute=31))
    time.sleep(0.5)  # many of the scheduler's ticks
    assert len(quiz_posts(fake, "CTEAM")) == 1


def test_the_options_are_saved_and_shown_again_when_the_form_reopens(
    bot: RunningBot, fake: FakeSlack, clock: FakeClock
) -> None:
    open_form(fake, LEAD, "CTEAM")
    fake.submit_view(
        LEAD,
        {
            "time": "10:00",
            "zone": "Asia/Kolkata",
            "days": ["1"],
            "reveal": "1h",
            "options": ["answer_at_reveal", "weekly_leaderboard"],
        },
    )
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "revealed 1 hour later" in str(confirmation.body)

    view = open_form(fake, LEAD, "CTEAM", nth=2)
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert blocks["zone"]["initial_option"]["value"] == "Asia/Kolkata"
    assert blocks["reveal"]["initial_option"]["value"] == "1h"
    chosen = {o["value"] for o in blocks["options"]["initial_options"]}
    assert chosen == {"answer_at_reveal", "weekly_leaderboard"}
    assert "initial_options" not in blocks["first"]


def test_someone_who_may_not_change_it_is_told_whom_to_ask(bot: RunningBot, fake: FakeSlack) -> None:
    fake.add_user("UNEW", name="new")
    fake.command("UNEW", "CTEAM", "/quiz", "schedule")
    (reply,) = fake.wait_for("response_url")
    assert f"<@{LEAD}>" in str(reply.body)  # the channel's creator
    assert fake.calls_to("views.open") == []


def test_a_form_for_a_channel_the_person_may_not_change_is_refused_on_the_field(
    bot: RunningBot, fake: FakeSlack
) -> None:
    open_form(fake, LEAD, "CTEAM")
    ack = fake.submit_view(LEAD, {"channel": CHANNEL, "time": "10:00", "zone": "UTC", "days": ["0"]})
    assert ack["response_action"] == "errors" and "channel" in ack["errors"]
    assert ADMIN  # an admin could; the lead only created #team
