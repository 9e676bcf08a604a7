"""Pure builders of the card modal (the message shortcut, the Home's topic menu): its state, structure,
Slack's limits and escaping."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.compare import ids
from bot.compare.modal import CardModal, message_text, render_card_modal
from bot.compare.thread_reply import not_posted
from slackfake.limits import find_unescaped_mentions, iter_texts, view_problems
from tests.fixtures.samples import (
    FAILURE_MODE,
    FEEDBACK_LOOP,
    HUGE,
    MONITORING,
    NASTY,
    NAUGHTY,
    RAW_AMPERSAND,
    real_topics,
    synthetic,
)


def modal_problems(view: dict[str, Any]) -> list[str]:
    return view_problems(view, kind="modal")


def assert_escaped(value: Any, allowed: tuple[str, ...] = ()) -> None:
    """No mention or special parsing Slack would act on but *allowed*, and every & starts an entity."""
    mentions = [m for m in find_unescaped_mentions({"blocks": value}) if not m.startswith(allowed or ("\0",))]
    assert mentions == []
    for path, text in iter_texts({"blocks": value}):
        assert not RAW_AMPERSAND.search(text), path


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if isinstance(element, dict) and "action_id" in element:
                found.append(element["action_id"])
    return found


# --- the card modal ------------------------------------------------------------------------------------


EVERY = ("a", "b", "c", "d", "e", "f")


@pytest.mark.parametrize(
    ("found", "shown", "offered", "intro"),
    [
        ((), (), EVERY, "none"),
        (("b",), ("b",), (), "found"),
        (("b", "c", "a"), ("b", "c", "a"), (), "found"),
        (("b", "c", "a", "d"), ("b",), ("b", "c", "a", "d"), "many"),
    ],
)
def test_card_modal_for_a_message(found: tuple[str, ...], shown: Any, offered: Any, intro: str) -> None:
    assert CardModal.for_message(found, EVERY) == CardModal(shown, offered, intro)  # type: ignore[arg-type]


def test_picking_keeps_the_menu_when_it_offers_the_topic_and_else_offers_every_topic() -> None:
    many = CardModal.for_message(("b", "c", "a", "d"), EVERY)
    assert many.showing("a", EVERY) == CardModal(("a",), ("b", "c", "a", "d"), "many")
    assert many.showing("f", EVERY) == CardModal(("f",), EVERY, "pick")
    found = CardModal.for_message(("b",), EVERY)
    assert found.showing("c", EVERY) == CardModal(("c",), EVERY, "pick")


def test_card_modal_state_round_trips_and_survives_garbage() -> None:
    state = CardModal(("b",), EVERY, "many")
    assert CardModal.from_metadata(state.metadata()) == state
    for junk in (None, "", "{", "[]", json.dumps({"shown": [1, None], "offered": "x", "intro": "evil"})):
        assert CardModal.from_metadata(junk) == CardModal()


def test_card_modal_metadata_stays_within_3000_characters() -> None:
    state = CardModal(("k" * 100,), tuple(f"{'k' * 100}{n}" for n in range(100)), "many")
    text = state.metadata()
    assert len(text) <= 3000
    restored = CardModal.from_metadata(text)
    assert restored.shown == state.shown and 0 < len(restored.offered) < 100


def test_card_modal_shows_cards_with_related_buttons_and_no_share() -> None:
    view = render_card_modal(
        [(MONITORING, [FEEDBACK_LOOP, FAILURE_MODE, MONITORING])], [MONITORING, FEEDBACK_LOOP], intro="pick"
    )

    assert modal_problems(view) == []
    assert view["title"]["text"] == "Monitoring" and view["callback_id"] == ids.CARD_MODAL
    assert "submit" not in view
    menu = view["blocks"][0]["accessory"]
    assert menu["action_id"] == ids.MODAL_PICK_TOPIC and menu["initial_option"]["value"] == "monitoring"
    assert action_ids(view["blocks"]) == [
        ids.MODAL_PICK_TOPIC,
        ids.MODAL_SHOW_EXAMPLE,  # the example stays behind a button, as on the card everywhere else
        ids.modal_open_topic("feedback_loop"),
        ids.modal_open_topic("failure_mode"),
    ]
    assert "*Example:*" not in str(view["blocks"])
    assert view["blocks"][-1]["elements"][0]["text"] == (
        "To show your team, type `/compare monitoring` in any channel and press *Share in channel*."
    )
    shown = render_card_modal([(MONITORING, [])], intro="found", examples=["monitoring"])
    assert "*Example:*" in str(shown["blocks"]) and ids.MODAL_SHOW_EXAMPLE not in str(shown["blocks"])
    assert ids.MODAL_REPLY_IN_THREAD not in str(view)  # opened from no message: no thread to reply in


def test_card_modal_opened_on_a_message_offers_each_card_for_its_thread() -> None:
    cards = [(MONITORING, [FEEDBACK_LOOP]), (FAILURE_MODE, [])]
    view = render_card_modal(
        cards, intro="found", reply_in_thread=True, posted=["failure_mode"], notice="Done"
    )

    assert modal_problems(view) == []
    assert view["title"]["text"] == "MLOps vs DevOps"  # two cards: no one topic to name
    assert view["blocks"][1]["elements"][0]["text"] == "Done"
    assert action_ids(view["blocks"]) == [
        ids.MODAL_REPLY_IN_THREAD,
        ids.MODAL_SHOW_EXAMPLE,
        ids.modal_open_topic("feedback_loop"),
        ids.MODAL_SHOW_EXAMPLE,
    ]
    types = [block["type"] for block in view["blocks"]]
    assert types[2:6] == ["divider", "header", "section", "actions"]  # reply right under the summary
    reply = next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]
    assert (reply["text"]["text"], reply["value"], reply.get("style")) == (
        "Reply in thread with this card",
        "monitoring",
        None,  # one green button per card would be two main actions
    )
    assert reply["accessibility_label"] == "Reply in the thread with the Monitoring card"
    footer = view["blocks"][-1]["elements"][0]["text"]
    assert "posts it under that message" in footer
    assert "`/compare monitoring` or `/compare failure mode`" in footer


def test_card_modal_title_is_the_topic_within_24_characters() -> None:
    long = replace(MONITORING, name="Data drift vs concept drift & more")
    view = render_card_modal([(long, [])], intro="found")
    assert view["title"]["text"] == "Data drift vs concept…" and len(view["title"]["text"]) <= 24
    assert modal_problems(view) == []


def test_card_modal_keeps_the_thread_it_came_from() -> None:
    state = CardModal.for_message(("b", "c", "a", "d"), EVERY, "C1", "1.5")
    assert state.in_thread and not CardModal.for_message(("b",), EVERY).in_thread
    moved = state.showing("f", EVERY).posting("f").posting("f")
    assert (moved.channel, moved.thread_ts, moved.posted, moved.shown) == ("C1", "1.5", ("f",), ("f",))
    assert CardModal.from_metadata(moved.metadata()) == moved


def test_card_modal_intros() -> None:
    none = render_card_modal([], synthetic(5), intro="none")
    assert "doesn't name a topic" in none["blocks"][0]["text"]["text"] and len(none["blocks"]) == 1
    found = render_card_modal([(MONITORING, []), (FEEDBACK_LOOP, [])], intro="found")
    assert found["blocks"][0]["elements"][0]["text"] == "That message mentions 2 topics:"
    many = render_card_modal([(MONITORING, [])], synthetic(7), intro="many")
    assert many["blocks"][0]["text"]["text"] == "That message mentions 7 topics. Pick one:"
    empty = render_card_modal([], [], intro="none")
    assert "/compare all" in str(empty["blocks"])
    for view in (none, found, many, empty):
        assert modal_problems(view) == []


def test_card_modal_escapes_and_stays_within_100_blocks() -> None:
    related = [replace(c, name=NASTY) for c in synthetic(30)]
    cards = [(replace(HUGE, key=f"huge_{n}"), related) for n in range(20)]
    view = render_card_modal(cards, [NAUGHTY, HUGE, *synthetic(200)], intro="many")

    assert modal_problems(view) == []
    assert len(view["blocks"]) <= 100
    assert_escaped(view["blocks"])


@given(text=st.text(alphabet="<>&!@#^|;:amplgtUW019 \n*_`~abc", max_size=200))
def test_card_modal_for_any_names_is_valid(text: str) -> None:
    topic = replace(MONITORING, name=text, mlops=text, devops=text, why=text, example=text)
    view = render_card_modal([(topic, [replace(FEEDBACK_LOOP, name=text)])], [topic], intro="pick")
    assert modal_problems(view) == []
    assert_escaped(view["blocks"], allowed=("<https://",))


def test_card_modal_on_the_real_content() -> None:
    topics = real_topics()
    by_key = {c.key: c for c in topics}
    for topic in topics:
        related = [by_key[key] for key in topic.see_also if key in by_key]
        view = render_card_modal([(topic, related)], topics, intro="pick")
        assert modal_problems(view) == [], topic.key


def test_message_text_reads_text_blocks_and_attachments_once() -> None:
    message = {
        "text": "drift?",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "drift?"}},
            {
                "type": "rich_text",
                "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "canary"}]}],
            },
        ],
        "attachments": [{"fallback": "feature store", "title": "the registry"}],
        "user": "U1",
    }
    assert message_text(message).split("\n") == ["drift?", "canary", "feature store", "the registry"]
    assert message_text(None) == "" and len(message_text({"text": "x" * 10_000})) == 4000


@pytest.mark.parametrize(
    ("reason", "channel", "says"),
    [
        ("not_in_channel", "C0123", "I can't post in <#C0123>: I'm not a member. Add me"),
        ("channel_not_found", "D0123", "only post in channels I'm in"),
        ("is_archived", "C0123", "archived"),
        ("internal_error", "C0123", "press the button again"),
    ],
)
def test_a_card_that_could_not_be_posted_says_why(reason: str, channel: str, says: str) -> None:
    assert says in not_posted(reason, channel)
