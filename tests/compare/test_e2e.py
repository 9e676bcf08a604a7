"""/compare, its buttons, mentions and DMs — over HTTP and over Socket Mode, against the fake Slack."""

from __future__ import annotations

from typing import Any

import pytest

import content
from bot.compare import ids
from slackfake import FakeSlack
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions
from slackfake.requests import app_mention_event, block_action, dm_message_event, slash_command
from tests.fixtures.driver import Driver


def texts(message: dict[str, Any]) -> str:
    """Every piece of text in a message, joined, for 'does it say X' checks."""
    found: list[str] = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks", []))
    return "\n".join(found)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def check(message: dict[str, Any], *, mentions: tuple[str, ...] = ()) -> dict[str, Any]:
    """Within Block Kit limits, with a fallback text, and no mention but the ones the bot means to make."""
    assert_message_within_limits(message)
    assert [found for found in find_unescaped_mentions(message) if found not in mentions] == []
    assert message.get("text"), "every message carries a plain-text fallback"
    return message


def test_compare_topic_answers_privately_with_both_sides(driver: Driver) -> None:
    reply = check(driver.command(slash_command(text="monitoring")))
    monitoring = content.topic("monitoring")
    assert reply["response_type"] == "ephemeral"
    header = reply["blocks"][0]
    assert header["type"] == "header" and header["text"]["text"] == "Monitoring"
    fields = [field["text"] for block in reply["blocks"] for field in block.get("fields", [])]
    assert any(monitoring.mlops in field and "MLOps" in field for field in fields)
    assert any(monitoring.devops in field and "DevOps" in field for field in fields)
    assert "Why they differ" in texts(reply)
    related = {content.topic(key).name for key in monitoring.see_also}
    assert all(name in texts(reply) for name in related)
    assert ids.SHARE_COMPARISON in [button["action_id"] for button in buttons(reply)]


@pytest.mark.parametrize(
    "typed", ["MONITOR", "  observability ", "montoring", "ci/cd", "versions", "pipelines"]
)
def test_compare_understands_aliases_and_typos(driver: Driver, typed: str) -> None:
    expected = {"MONITOR": "Monitoring", "  observability ": "Monitoring", "montoring": "Monitoring"}
    reply = check(driver.command(slash_command(text=typed)))
    name = expected.get(typed) or content.find(typed).topic.name  # type: ignore[union-attr]
    assert reply["blocks"][0]["text"]["text"] == name


@pytest.mark.parametrize("typed", ["", "help", "  HELP  "])
def test_compare_help_lists_every_topic_as_a_button(driver: Driver, typed: str) -> None:
    reply = check(driver.command(slash_command(text=typed)))
    values = {button["value"] for button in buttons(reply)}
    assert values == {topic.key for topic in content.topics()}
    assert "/compare" in texts(reply)


def test_compare_all_is_compact_and_its_menu_opens_a_card(driver: Driver, fake_slack: FakeSlack) -> None:
    reply = check(driver.command(slash_command(text="all")))
    body = texts(reply)
    for topic in content.topics():
        assert topic.name in body
    assert len(reply["blocks"]) <= 4 and len(body) < 3000  # names and a menu, not every side of every topic

    fake_slack.command("U123", "CGEN", "/compare", "all")
    (listing,) = fake_slack.ephemerals("CGEN", "U123")
    (menu,) = [b["accessory"] for b in listing["blocks"] if "accessory" in b]
    assert menu["action_id"] == ids.PICK_TOPIC and menu["placeholder"]["text"] == "Open a topic…"
    fake_slack.click("U123", "CGEN", listing["ts"], ids.PICK_TOPIC, "drift")
    fake_slack.wait_for("response_url")
    (card,) = fake_slack.ephemerals("CGEN", "U123")  # the card replaced the list
    assert card["blocks"][0]["text"]["text"] == content.topic("drift").name
    assert ids.SHARE_COMPARISON in str(card["blocks"])


def test_unknown_text_gets_suggestions_not_an_error(driver: Driver) -> None:
    reply = check(driver.command(slash_command(text="monitorng dashbord")))
    assert reply["response_type"] == "ephemeral"
    assert "monitorng dashbord" in texts(reply)
    assert "Closest topic to" in texts(reply) and "Monitoring" in texts(reply)


def test_banana_is_not_a_topic(driver: Driver) -> None:
    reply = check(driver.command(slash_command(text="banana")))
    assert "banana" in texts(reply)
    assert reply["blocks"][0]["type"] != "header"


@pytest.mark.parametrize(
    "typed",
    [
        "<!channel>",
        "<!here> & <@U999>",
        "<!everyone|everyone>",
        "x" * 10_000,
        "\U0001f469\u200d\U0001f4bb \uff4d\uff4f\uff4e <b>",
    ],
)
def test_what_users_type_is_escaped_and_shortened(driver: Driver, typed: str) -> None:
    reply = check(driver.command(slash_command(text=typed)))
    assert len(texts(reply)) < 5_000


def test_share_button_posts_the_card_to_the_channel_naming_who_shared(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    url = fake_slack.response_url("share")
    driver.interact(
        block_action(
            ids.SHARE_COMPARISON, "monitoring", user_id="U456", container="ephemeral", response_url=url
        )
    )
    call, note = fake_slack.wait_for("response_url", count=2)  # the card, then the private copy replaced
    posted = check(call.body, mentions=("<@U456>",))
    assert posted["response_type"] == "in_channel"
    assert posted["replace_original"] is False
    assert posted["blocks"][0]["text"]["text"] == "Monitoring"
    assert "<@U456>" in texts(posted)
    assert buttons(posted) == []
    assert note.body["replace_original"] is True and "shared in" in texts(note.body)


def test_topic_button_opens_that_card_privately(driver: Driver, fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url("open")
    driver.interact(
        block_action(ids.open_topic("testing"), "testing", container="ephemeral", response_url=url)
    )
    (call,) = fake_slack.wait_for("response_url")
    opened = check(call.body)
    assert opened["response_type"] == "ephemeral"
    assert opened["replace_original"] is True
    assert opened["blocks"][0]["text"]["text"] == content.topic("testing").name


@pytest.mark.parametrize("text", ["compare monitoring", "monitoring", "Compare: versions"])
def test_mention_answers_in_a_thread(driver: Driver, fake_slack: FakeSlack, text: str) -> None:
    event = app_mention_event(text, channel="C777", ts="1700000000.000100")
    driver.event(event)
    (call,) = fake_slack.wait_for("chat.postMessage")
    posted = check(call.body)
    assert posted["channel"] == "C777"
    assert posted["thread_ts"] == "1700000000.000100"
    assert posted["blocks"][0]["type"] == "header"
    assert ids.SHARE_COMPARISON not in [button["action_id"] for button in buttons(posted)]


def test_mention_help(driver: Driver, fake_slack: FakeSlack) -> None:
    driver.event(app_mention_event("help", channel="C777"))
    (call,) = fake_slack.wait_for("chat.postMessage")
    assert "/compare" in texts(check(call.body))


def test_direct_message_answers_in_the_dm(driver: Driver, fake_slack: FakeSlack) -> None:
    driver.event(dm_message_event("monitoring", channel="D555"))
    (call,) = fake_slack.wait_for("chat.postMessage")
    posted = check(call.body)
    assert posted["channel"] == "D555"
    assert "thread_ts" not in posted
    assert posted["blocks"][0]["text"]["text"] == "Monitoring"


def test_redelivered_event_is_answered_once(driver: Driver, fake_slack: FakeSlack) -> None:
    event = app_mention_event("monitoring", channel="C777")
    driver.event(event)
    fake_slack.wait_for("chat.postMessage")
    driver.event(event, retry_attempt=1)
    driver.event(event, retry_attempt=2)
    dm = dm_message_event("testing")
    driver.event(dm)
    fake_slack.wait_for("chat.postMessage", count=2)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_bot_ignores_its_own_and_other_bots_messages(driver: Driver, fake_slack: FakeSlack) -> None:
    other_bot = dm_message_event("monitoring")
    other_bot["event"]["bot_id"] = "B0OTHER"
    edited = dm_message_event("monitoring")
    edited["event"]["subtype"] = "message_changed"
    driver.event(other_bot)
    driver.event(edited)
    driver.event(dm_message_event("testing"))
    (call,) = fake_slack.wait_for("chat.postMessage")
    assert call.body["blocks"][0]["text"]["text"] == content.topic("testing").name


def mention_by_a_bot(text: str, *, shape: str, channel: str = "C777") -> dict[str, Any]:
    """An app_mention written by another app, as Slack delivers it: the bot's ids and profile on the event
    (a bot user posting through chat.postMessage), or the legacy bot_message subtype (no user at all)."""
    body = app_mention_event(text, channel=channel)
    event = body["event"]
    event.pop("client_msg_id")  # only messages typed by people carry one
    profile = {
        "id": "B0OTHER",
        "deleted": False,
        "name": "autoresponder",
        "updated": 1700000000,
        "app_id": "A0OTHER",
        "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
        "team_id": "T0TEST",
    }
    if shape == "bot-user":
        event.update(user="U0OTHERBOT", bot_id="B0OTHER", app_id="A0OTHER", bot_profile=profile)
    elif shape == "bot-message":
        event.pop("user")
        event.update(subtype="bot_message", bot_id="B0OTHER", username="autoresponder")
    elif shape == "profile-only":
        event.update(user="U0OTHERBOT", bot_profile=profile)
    return body


@pytest.mark.parametrize("shape", ["bot-user", "bot-message", "profile-only"])
def test_mention_written_by_another_bot_is_not_answered(
    driver: Driver, fake_slack: FakeSlack, shape: str
) -> None:
    """Two auto-responders that answer each other's mentions would talk forever."""
    driver.event(mention_by_a_bot("compare monitoring", shape=shape))  # acknowledged (200 / ack) ...
    driver.event(app_mention_event("testing", channel="C777", ts="1700000000.000300"))
    (call,) = fake_slack.wait_for("chat.postMessage")  # ... but only the person gets an answer
    assert call.body["thread_ts"] == "1700000000.000300"
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


HIDDEN_CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # bidi embeddings and overrides
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",  # bidi isolates
    "\u200b",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2060",
    "\ufeff",
    "\u00ad",  # zero-width, marks, soft hyphen
    "\U000e0041",
    "\x1b",  # a stray tag character, an escape control
]


def test_mention_echo_drops_bidi_overrides_and_invisible_controls(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    """An unknown topic is echoed in the thread: what the person typed must read as typed, not reordered
    ("gnp.exe" shown as "exe.png") or hiding characters, while emoji sequences stay whole."""
    typed = (
        "inv\u202eoice\u2066gnp.exe\u2069 \u200bdra\u00adgon\u200f \U0001f469\u200d\U0001f4bb \U000e0041x\x1b"
    )
    driver.event(app_mention_event(f"compare {typed}", channel="C777"))
    (call,) = fake_slack.wait_for("chat.postMessage")
    shown = texts(check(call.body))
    assert [c for c in HIDDEN_CONTROLS if c in shown] == []
    assert "invoicegnp.exe dragon \U0001f469\u200d\U0001f4bb x" in shown


def test_unknown_topic_offers_buttons_and_says_what_to_do_next(driver: Driver, fake_slack: FakeSlack) -> None:
    fake_slack.command("U123", "CGEN", "/compare", "banana")
    (reply,) = fake_slack.ephemerals("CGEN", "U123")
    check(reply)
    assert "I don't have a topic 'banana'" in texts(reply) and "category" not in texts(reply).lower()
    assert "/compare all" in texts(reply)
    offered = [b["value"] for b in buttons(reply)]
    assert offered and all(content.topic(key) for key in offered)

    fake_slack.click("U123", "CGEN", reply["ts"], ids.open_topic(offered[0]))
    fake_slack.wait_for("response_url")
    (card,) = fake_slack.ephemerals("CGEN", "U123")
    assert card["blocks"][0]["text"]["text"] == content.topic(offered[0]).name


def test_share_posts_the_card_and_the_private_copy_says_where_it_went(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    fake_slack.command("U123", "CGEN", "/compare", "monitoring")
    (private,) = fake_slack.ephemerals("CGEN", "U123")

    fake_slack.click("U123", "CGEN", private["ts"], ids.SHARE_COMPARISON)
    fake_slack.wait_for("response_url", count=2)
    (shared,) = [m for m in fake_slack.messages("CGEN") if m.get("bot_id")]
    assert shared["blocks"][0]["text"]["text"] == "Monitoring" and "<@U123>" in texts(shared)
    (note,) = fake_slack.ephemerals("CGEN", "U123")
    check(note, mentions=("<#CGEN>",) * 2)
    assert "shared in <#CGEN> ✓" in texts(note)
    assert buttons(note) == []  # nothing left to share twice


def test_cards_in_dms_and_threads_offer_related_topics_not_share(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    monitoring = content.topic("monitoring")
    fake_slack.say("U123", "D123", "monitoring")
    said = fake_slack.say("U123", "CGEN", "<@UBOT> compare monitoring")
    calls = fake_slack.wait_for("chat.postMessage", count=2)
    for call in calls:
        posted = check(call.body)
        values = [b["value"] for b in buttons(posted)]
        assert ids.SHARE_COMPARISON not in str(posted["blocks"])
        assert values == list(monitoring.see_also)
    (thread,) = [c for c in calls if c.body["channel"] == "CGEN"]
    assert thread.body["thread_ts"] == said["ts"]
