"""The schedule form end to end: `/quiz schedule` alone opens it, errors show on their field, a good
submission saves the schedule, announces the quiz in its channel and confirms privately."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.quiz import ids
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.driver import ADMIN, CHANNEL, TRANSPORTS
from tests.fixtures.harness import RunningBot, bot_settings

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


def open_form(fake: FakeSlack, user: str, channel: str) -> dict:
    fake.command(user, channel, "/quiz", "schedule")
    (call,) = fake.wait_for("views.open")
    view = call.body["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert view["callback_id"] == ids.QUIZ_SCHEDULE_FORM
    return view


def test_the_form_opens_filled_in_and_checks_each_field(bot: RunningBot, fake: FakeSlack) -> None:
    view = open_form(fake, LEAD, "CTEAM")
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert blocks["zone"]["initial_value"] == "Europe/Berlin"  # the lead's own zone
    assert blocks["channel"]["initial_conversation"] == "CTEAM"

    ack = fake.submit_view(LEAD, {"time": "09:30", "zone": "Mars/Olympus", "days": []})
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"zone", "days"}
    [modal] = fake.modal_stack(LEAD)  # the form stays open, with the errors shown on the fields
    assert set(fake.view_errors(modal["id"])) == {"zone", "days"}

    ack = fake.submit_view(LEAD, {"time": "09:30", "zone": "cet", "days": ["0", "2", "4"]})
    assert ack.get("response_action") in (None, "clear")
    intro = fake.wait_for("chat.postMessage", where=lambda call: call.body.get("channel") == "CTEAM")[0]
    assert "started a daily MLOps vs DevOps quiz" in str(intro.body)
    (confirmation,) = fake.wait_for("chat.postEphemeral")
    assert "Saved" in str(confirmation.body) and "CET" in str(confirmation.body)
    assert "on Mon, Wed and Fri" in str(confirmation.body)


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
