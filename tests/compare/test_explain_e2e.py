"""The message shortcut "Explain MLOps vs DevOps" end to end, over HTTP and Socket Mode: someone picks it on
a message and gets that message's topics as cards in a modal."""

from __future__ import annotations

from typing import Any

import pytest

import content
from bot.compare import ids
from slackfake import FakeSlack
from slackfake.limits import view_problems
from tests.fixtures.driver import Driver

ALICE, BOB = "U123", "U456"
CHANNEL = "CGEN"


def explain(fake: FakeSlack, text: str, **fields: Any) -> dict[str, Any]:
    """Bob picks the shortcut on a message Alice wrote; returns the modal he sees."""
    said = fake.add_message(CHANNEL, text, user=ALICE, **fields)
    fake.message_shortcut(BOB, CHANNEL, said["ts"], ids.EXPLAIN_MESSAGE)
    fake.wait_for("views.open", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    assert view_problems(modal, kind="modal") == [] and len(modal["title"]["text"]) <= 24
    assert modal["callback_id"] == ids.CARD_MODAL
    return modal


def headers(view: dict[str, Any]) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if block["type"] == "header"]


def menu(view: dict[str, Any]) -> dict[str, Any] | None:
    found = [
        block["accessory"]
        for block in view["blocks"]
        if block.get("accessory", {}).get("action_id") == ids.MODAL_PICK_TOPIC
    ]
    return found[0] if found else None


def names(*keys: str) -> list[str]:
    return [content.topic(key).name for key in keys]


@pytest.fixture
def fake(driver: Driver) -> FakeSlack:
    return driver.fake


def test_a_message_naming_no_topic_gets_a_menu_and_picking_shows_the_card(fake: FakeSlack) -> None:
    modal = explain(fake, "Lunch at noon? I'll bring the <!here> snacks & drinks")

    assert headers(modal) == []
    assert "doesn't name a topic I know" in str(modal["blocks"])
    picker = menu(modal)
    assert picker is not None and len(picker["options"]) == len(content.topics())

    fake.click_in_view(BOB, modal["id"], ids.MODAL_PICK_TOPIC, "monitoring")
    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    assert headers(modal) == names("monitoring")
    assert menu(modal)["initial_option"]["value"] == "monitoring"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Our dashboards look fine", ("monitoring",)),
        ("Is this data drift, or should we just retrain the model?", ("drift", "retraining")),
        (
            "Feature store, model registry and MLflow experiments: where do we start?",
            ("feature_store", "model_registry", "experiment_tracking"),
        ),
    ],
)
def test_one_to_three_topics_are_shown_as_cards(fake: FakeSlack, text: str, keys: tuple[str, ...]) -> None:
    modal = explain(fake, text)

    assert sorted(headers(modal)) == sorted(names(*keys))  # the surest first
    assert menu(modal) is None
    assert ids.SHARE_COMPARISON not in str(modal["blocks"])  # no channel to share in from a modal


def test_a_message_naming_more_than_three_topics_counts_them_all_and_offers_them_in_a_menu(
    fake: FakeSlack,
) -> None:
    text = "Monitoring, drift, retraining, the feature store and the model registry all need attention."
    modal = explain(fake, text)

    named = names("monitoring", "drift", "retraining", "feature_store", "model_registry")
    offered = menu(modal)
    assert offered is not None
    assert set(named) <= {option["text"]["text"] for option in offered["options"]}
    assert f"That message mentions {len(offered['options'])} topics. Pick one:" in str(modal["blocks"])
    (shown,) = headers(modal)
    assert shown in named


def test_the_example_stays_behind_a_button_until_asked_for(fake: FakeSlack) -> None:
    modal = explain(fake, "How do we version this?")
    assert "*Example:*" not in str(modal["blocks"])

    fake.click_in_view(BOB, modal["id"], ids.MODAL_SHOW_EXAMPLE)
    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    assert headers(modal) == names("versioning") and "*Example:*" in str(modal["blocks"])
    assert ids.MODAL_SHOW_EXAMPLE not in str(modal["blocks"])


def test_a_related_topic_button_in_the_modal_shows_that_topic(fake: FakeSlack) -> None:
    modal = explain(fake, "How do we version this?")
    assert headers(modal) == names("versioning")
    related = content.topic("versioning").see_also[0]

    fake.click_in_view(BOB, modal["id"], ids.modal_open_topic(related))
    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    assert headers(modal) == names(related)
    assert menu(modal) is not None  # a menu to go on from there


def test_a_bot_card_is_read_from_its_blocks(fake: FakeSlack) -> None:
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Why *canary releases* matter for serving"}}
    ]
    modal = explain(fake, "A card", blocks=blocks)

    assert headers(modal) == names("deployment", "serving")


def buttons_of(view: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    return [
        element
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]


def footer(view: dict[str, Any]) -> str:
    return str(view["blocks"][-1]["elements"][0]["text"])


def test_the_modal_is_titled_and_footed_with_the_topic_it_shows(fake: FakeSlack) -> None:
    modal = explain(fake, "Is this data drift?")

    assert headers(modal) == names("drift")
    assert modal["title"]["text"] == "Data drift vs concept…"  # Slack allows 24 characters
    assert "`/compare data drift vs concept drift`" in footer(modal)
    assert "/compare monitoring" not in footer(modal)


def test_reply_in_thread_posts_the_card_under_the_message_and_says_so(fake: FakeSlack) -> None:
    modal = explain(fake, "Our dashboards look fine")
    (reply,) = buttons_of(modal, ids.MODAL_REPLY_IN_THREAD)
    assert reply["accessibility_label"] == "Reply in the thread with the Monitoring card"
    (said,) = fake.messages(CHANNEL)

    fake.click_in_view(BOB, modal["id"], ids.MODAL_REPLY_IN_THREAD, "monitoring")
    (post,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert (post.body["channel"], post.body["thread_ts"]) == (CHANNEL, said["ts"])
    (card,) = [
        m for m in fake.messages(CHANNEL) if m.get("thread_ts") == said["ts"] and m["ts"] != said["ts"]
    ]
    assert card["blocks"][0]["text"]["text"] == "Monitoring" and f"Shared by <@{BOB}>" in str(card["blocks"])

    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    assert "*Monitoring* is in the thread now" in str(modal["blocks"])
    assert buttons_of(modal, ids.MODAL_REPLY_IN_THREAD) == []  # posted once from here


def test_reply_in_thread_on_a_reply_posts_in_that_thread(fake: FakeSlack) -> None:
    parent = fake.add_message(CHANNEL, "Standup notes", user=ALICE)
    modal = explain(fake, "How do we version this?", thread_ts=parent["ts"])

    fake.click_in_view(BOB, modal["id"], ids.MODAL_REPLY_IN_THREAD, "versioning")
    (post,) = fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert post.body["thread_ts"] == parent["ts"]


def test_reply_in_a_channel_the_bot_is_not_in_explains_privately(fake: FakeSlack) -> None:
    fake.add_channel("CSECRET", name="secret", is_member=False)
    said = fake.add_message("CSECRET", "Our dashboards look fine", user=ALICE)
    fake.message_shortcut(BOB, "CSECRET", said["ts"], ids.EXPLAIN_MESSAGE)
    fake.wait_for("views.open", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)

    fake.click_in_view(BOB, modal["id"], ids.MODAL_REPLY_IN_THREAD, "monitoring")
    fake.wait_for("views.update", where=lambda c: c.ok)
    (modal,) = fake.modal_stack(BOB)
    note = modal["blocks"][1]["elements"][0]["text"]
    assert "I'm not a member" in note and "<#CSECRET>" in note and "/invite" in note
    assert len(fake.messages("CSECRET")) == 1  # nothing was posted
    assert buttons_of(modal, ids.MODAL_REPLY_IN_THREAD)  # invite the bot, then press it again
