"""Modals and the Home tab in the fake: views.* with Slack's checks, trigger_ids, and submission acks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from slackfake import BOT_TOKEN, FakeSlack
from slackfake.limits import view_problems
from slackfake.requests import block_action, slash_command
from slackfake.views import state_values
from tests.fakeslack_selftest.modal_app import HOME, ModalApp, note_modal, second_view


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    with FakeSlack(now=clock) as running:
        yield running


def web(fake: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.api_url)


def error_of(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    return dict(raised.value.response.data)


def test_views_open_stores_a_modal_for_the_person_the_trigger_was_issued_to(fake: FakeSlack) -> None:
    trigger = fake.issue_trigger("U456")
    opened = web(fake).views_open(trigger_id=trigger, view=note_modal("draft"))["view"]
    assert opened["id"].startswith("V") and opened["hash"]
    assert opened["state"]["values"]["note"]["text"] == {"type": "plain_text_input", "value": "draft"}
    assert opened["state"]["values"]["when"]["time"] == {"type": "timepicker", "selected_time": "09:30"}
    assert opened["root_view_id"] == opened["id"] and opened["previous_view_id"] is None
    assert [v["id"] for v in fake.modal_stack("U456")] == [opened["id"]]
    assert fake.modal_stack("U123") == []


def test_trigger_ids_expire_and_are_exchanged_once(fake: FakeSlack, clock: Clock) -> None:
    client = web(fake)
    stale = fake.issue_trigger("U123")
    clock.t += 3.5
    assert error_of(client.views_open, trigger_id=stale, view=note_modal())["error"] == "expired_trigger_id"
    fresh = fake.issue_trigger("U123")
    client.views_open(trigger_id=fresh, view=note_modal())
    assert error_of(client.views_open, trigger_id=fresh, view=note_modal())["error"] == "exchanged_trigger_id"
    assert (
        error_of(client.views_open, trigger_id="1.2.nope", view=note_modal())["error"] == "invalid_trigger_id"
    )

    fake.trigger_ttl = 10
    slow = fake.issue_trigger("U123")
    clock.t += 9
    assert client.views_open(trigger_id=slow, view=note_modal())["ok"]


def test_builders_issue_trigger_ids_the_fake_knows(fake: FakeSlack) -> None:
    command = slash_command("/note", user_id="U456")
    click = block_action("open_note", "x", user_id="U123")
    client = web(fake)
    client.views_open(trigger_id=command["trigger_id"], view=note_modal())
    client.views_open(trigger_id=click["trigger_id"], view=note_modal())
    assert len(fake.modal_stack("U456")) == 1 and len(fake.modal_stack("U123")) == 1


def test_view_limits_are_refused_with_slacks_messages(fake: FakeSlack) -> None:
    client = web(fake)
    long_title = {**note_modal(), "title": {"type": "plain_text", "text": "x" * 25}}
    refused = error_of(client.views_open, trigger_id=fake.issue_trigger("U123"), view=long_title)
    assert refused["error"] == "invalid_arguments"
    assert any("view.title.text" in m and "limit 24" in m for m in refused["response_metadata"]["messages"])

    too_many = {**second_view("Big"), "blocks": [{"type": "divider"}] * 101}
    assert view_problems(too_many) == ["blocks: 101 blocks, limit 100"]
    no_submit = {k: v for k, v in note_modal().items() if k != "submit"}
    assert "view.submit: a modal with input blocks needs a submit button" in view_problems(no_submit)
    metadata = {**note_modal(), "private_metadata": "m" * 3001, "callback_id": "c" * 256}
    assert len(view_problems(metadata)) == 2
    bad_input = {
        **note_modal(),
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "When"},
                "element": {"type": "timepicker", "action_id": "t", "initial_time": "25:00"},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Pick"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "c",
                    "options": [
                        {"text": {"type": "mrkdwn", "text": f"*{n}*"}, "value": str(n)} for n in range(11)
                    ],
                },
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Button?"},
                "element": {"type": "button"},
            },
        ],
    }
    problems = view_problems(bad_input)
    assert any("initial_time" in p for p in problems)
    assert any("11 items, limit 10" in p for p in problems)
    assert any("'button' is not an input element" in p for p in problems)
    assert error_of(client.views_publish, user_id="U123", view=note_modal())["error"] == "invalid_arguments"


def test_push_update_publish_and_hashes(fake: FakeSlack) -> None:
    client = web(fake)
    root = client.views_open(trigger_id=fake.issue_trigger("U123"), view=note_modal())["view"]
    pushed = client.views_push(trigger_id=fake.issue_trigger("U123"), view=second_view("Two"))["view"]
    assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == root["id"]
    client.views_push(trigger_id=fake.issue_trigger("U123"), view=second_view("Three"))
    full = error_of(client.views_push, trigger_id=fake.issue_trigger("U123"), view=second_view("Four"))
    assert full["error"] == "push_limit_reached"

    updated = client.views_update(view_id=root["id"], hash=root["hash"], view=note_modal("edited"))["view"]
    assert updated["id"] == root["id"] and updated["hash"] != root["hash"]
    stale = error_of(client.views_update, view_id=root["id"], hash=root["hash"], view=note_modal())
    assert stale["error"] == "hash_conflict"
    assert error_of(client.views_update, view_id="VNOPE", view=note_modal())["error"] == "not_found"
    assert (
        error_of(client.api_call, "views.update", json={"view": note_modal()})["error"] == "invalid_arguments"
    )

    client.views_update(view_id=pushed["id"], view={**second_view("Named"), "external_id": "ext-1"})
    by_external = client.views_update(
        external_id="ext-1", view={**second_view("Again"), "external_id": "ext-1"}
    )
    assert by_external["view"]["id"] == pushed["id"]
    duplicate = error_of(
        client.views_update, view_id=root["id"], view={**note_modal(), "external_id": "ext-1"}
    )
    assert duplicate["error"] == "duplicate_external_id"

    home = client.views_publish(user_id="U456", view=HOME)["view"]
    again = client.views_publish(user_id="U456", view=HOME, hash=home["hash"])["view"]
    assert again["id"] == home["id"] and fake.home_view("U456")["hash"] == again["hash"]
    assert (
        error_of(client.views_publish, user_id="U456", view=HOME, hash=home["hash"])["error"]
        == "hash_conflict"
    )
    assert error_of(client.views_publish, user_id="UNOBODY", view=HOME)["error"] == "user_not_found"


def test_state_values_have_slacks_shapes() -> None:
    blocks = [
        {
            "type": "input",
            "block_id": "b",
            "label": {"type": "plain_text", "text": "x"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": [{"text": {"type": "plain_text", "text": "One"}, "value": "1"}],
            },
        },
        {
            "type": "actions",
            "block_id": "a",
            "elements": [
                {"type": "users_select", "action_id": "who"},
                {"type": "multi_users_select", "action_id": "many"},
                {"type": "conversations_select", "action_id": "where"},
                {
                    "type": "checkboxes",
                    "action_id": "boxes",
                    "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}],
                },
                {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}},
            ],
        },
    ]
    values = state_values(
        blocks, {"pick": "1", "who": "U1", "many": ["U1", "U2"], "a.where": "C1", "boxes": ["a"]}
    )
    assert values["b"]["pick"]["selected_option"]["text"]["text"] == "One"
    assert values["a"]["who"] == {"type": "users_select", "selected_user": "U1"}
    assert values["a"]["many"]["selected_users"] == ["U1", "U2"]
    assert values["a"]["where"] == {"type": "conversations_select", "selected_conversation": "C1"}
    assert values["a"]["boxes"]["selected_options"][0]["value"] == "a"
    assert "go" not in values["a"]


@pytest.mark.parametrize("transport", ["socket", "http"])
def test_submission_acks_act_on_the_stack(fake: FakeSlack, transport: str) -> None:
    with ModalApp(fake, transport) as app:
        fake.command("U123", "C1", "/note", "hello")
        (root,) = fake.modal_stack("U123")
        assert root["state"]["values"]["note"]["text"]["value"] == "hello"

        assert fake.submit_view("U123", {"text": "bad"}) == {
            "response_action": "errors",
            "errors": {"note": "Say something useful"},
        }
        assert fake.view_outcomes[-1] == (root["id"], "errors")
        assert fake.view_errors(root["id"]) == {"note": "Say something useful"}
        submitted = app.submissions[-1]
        assert submitted["view"]["state"]["values"]["note"]["text"]["value"] == "bad"
        assert submitted["view"]["state"]["values"]["when"]["time"]["selected_time"] == "09:30"
        assert submitted["view"]["private_metadata"] == "from-test"

        fake.submit_view("U123", {"text": "more"})
        assert [v["title"]["text"] for v in fake.modal_stack("U123")] == ["New note", "Pushed"]
        fake.close_view("U123")
        fake.submit_view("U123", {"text": "swap"})
        assert [v["title"]["text"] for v in fake.modal_stack("U123")] == ["Updated"]
        assert fake.modal_stack("U123")[0]["id"] == root["id"]

        fake.command("U123", "C1", "/note")
        fake.submit_view("U123", {"text": "fine"})
        assert fake.modal_stack("U123") == [] and fake.view_outcomes[-1][1] == "closed"
        fake.command("U123", "C1", "/note")
        fake.submit_view("U123", {"text": "all"})
        assert fake.modal_stack("U123") == []


def test_closing_a_modal_tells_the_app_when_it_asked(fake: FakeSlack) -> None:
    with ModalApp(fake) as app:
        fake.command("U456", "C1", "/note")
        assert fake.close_view("U456") == {}
        assert app.closed[0]["type"] == "view_closed" and app.closed[0]["is_cleared"] is False
        assert app.closed[0]["user"]["id"] == "U456"
        assert fake.modal_stack("U456") == []


def test_a_button_on_a_message_opens_a_modal_with_its_trigger(fake: FakeSlack) -> None:
    posted = web(fake).chat_postMessage(channel="C1", text="notes", blocks=HOME["blocks"])
    with ModalApp(fake):
        fake.click("U123", "C1", posted["ts"], "open_note")
        assert len(fake.modal_stack("U123")) == 1


def test_a_slow_app_gets_expired_trigger_id(fake: FakeSlack, clock: Clock) -> None:
    command = slash_command("/note", user_id="U123")
    with fake.workspace.lock:
        fake.workspace.register_trigger_of(command)  # Slack issued it when the command was run
    clock.t += 4
    assert error_of(web(fake).views_open, trigger_id=command["trigger_id"], view=note_modal())["error"] == (
        "expired_trigger_id"
    )


def test_home_tab_opened_and_published(fake: FakeSlack) -> None:
    with ModalApp(fake) as app:
        fake.open_home("U123")
        fake.wait_for("views.publish")
        assert app.homes[0]["tab"] == "home" and app.homes[0]["channel"] == "D123"
        assert fake.home_view("U123")["blocks"][0]["text"]["text"] == "Welcome home"
        fake.open_home("U123")
        assert app.homes[1]["view"]["id"] == fake.home_view("U123")["id"]
        view_id = fake.home_view("U123")["id"]
        fake.click_in_view("U123", view_id, "open_note")
        assert len(fake.modal_stack("U123")) == 1


def test_shortcuts_reach_the_app(fake: FakeSlack) -> None:
    fake.add_channel("C1", name="general")
    said = web(fake).chat_postMessage(channel="C1", text="drift happens")
    with ModalApp(fake) as app:
        fake.message_shortcut("U456", "C1", said["ts"], "explain_message")
        shortcut = app.shortcuts[0]
        assert shortcut["type"] == "message_action" and shortcut["callback_id"] == "explain_message"
        assert shortcut["message"]["text"] == "drift happens" and shortcut["channel"]["name"] == "general"
        assert shortcut["trigger_id"] and shortcut["response_url"].startswith(fake.url)
        fake.wait_for("response_url")
        (answer,) = fake.ephemerals("C1", "U456")
        assert answer["text"] == "You asked about: drift happens"

        fake.global_shortcut("U123", "new_note")
        assert app.shortcuts[1]["type"] == "shortcut"
        assert len(fake.modal_stack("U123")) == 1
