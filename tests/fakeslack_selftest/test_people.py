"""People acting through the fake (typing, commands, clicks, joining) and the request builders' shapes."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from slackfake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack, NoApp
from slackfake import requests as build
from slackfake.requests import sign


class Recorder:
    """A bare Socket Mode client on its own loop: records every request, acks with `answer(request)`."""

    def __init__(self, fake: FakeSlack, answer: Callable[[SocketModeRequest], Any] = lambda r: None) -> None:
        self.requests: list[SocketModeRequest] = []
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

        async def listener(client: SocketModeClient, request: SocketModeRequest) -> None:
            with self.lock:
                self.requests.append(request)
            response = SocketModeResponse(request.envelope_id, payload=answer(request))
            await client.send_socket_mode_response(response)

        async def connect() -> SocketModeClient:
            client = SocketModeClient(app_token=APP_TOKEN, web_client=AsyncWebClient(base_url=fake.api_url))
            client.socket_mode_request_listeners.append(listener)
            await client.connect()
            return client

        self.client = asyncio.run_coroutine_threadsafe(connect(), self.loop).result(10)
        fake.wait_for_socket()

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.payload["event"] for r in self.requests if r.type == "events_api"]

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.client.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        running.add_channel("CGEN", name="general")
        yield running


def test_typing_sends_the_events_slack_would(fake: FakeSlack) -> None:
    recorder = Recorder(fake)
    try:
        fake.say("U123", "D123", "monitoring")
        said = fake.say("U456", "CGEN", "<@UBOT> compare testing")
        fake.say("U456", "CGEN", "thanks", thread_ts=said["ts"])
        kinds = [(e["type"], e.get("channel_type")) for e in recorder.events()]
        assert kinds == [
            ("message", "im"),
            ("message", "channel"),
            ("app_mention", None),
            ("message", "channel"),
        ]
        mention = recorder.events()[2]
        assert mention["ts"] == said["ts"] and mention["text"] == "<@UBOT> compare testing"
        assert recorder.events()[3]["thread_ts"] == said["ts"]
        assert [m["text"] for m in fake.messages("CGEN")] == ["<@UBOT> compare testing", "thanks"]
        assert fake.messages("CGEN")[0]["reply_count"] == 1
    finally:
        recorder.close()


def test_only_subscribed_events_are_sent() -> None:
    with FakeSlack(event_subscriptions={"app_mention", "message.im"}) as fake:
        recorder = Recorder(fake)
        try:
            fake.say("U123", "C1", "no mention here")
            fake.say("U123", "C1", "<@UBOT> hi")
            assert [e["type"] for e in recorder.events()] == ["app_mention"]
        finally:
            recorder.close()


def test_command_acks_are_shown_like_slack_shows_them(fake: FakeSlack) -> None:
    def answer(request: SocketModeRequest) -> Any:
        text = request.payload.get("text")
        if text == "loud":
            return {"response_type": "in_channel", "text": "for everyone"}
        if text == "quiet":
            return {"text": "just for you"}
        return None

    recorder = Recorder(fake, answer)
    try:
        assert fake.command("U123", "CGEN", "/compare", "quiet") == {"text": "just for you"}
        assert [m["text"] for m in fake.ephemerals("CGEN", "U123")] == ["just for you"]
        fake.command("U456", "CGEN", "/compare", "loud")
        assert [m["text"] for m in fake.messages("CGEN")] == ["/compare loud", "for everyone"]
        assert fake.command("U456", "CGEN", "/compare", "silent") == {}
        command = recorder.requests[0].payload
        assert command["channel_name"] == "general" and command["user_name"] == "alice"
        assert command["response_url"].startswith(fake.url + "/response/")
    finally:
        recorder.close()


def test_response_url_answers_replace_the_ephemeral_message_clicked(fake: FakeSlack) -> None:
    recorder = Recorder(fake)
    try:
        web = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
        button = {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "go",
                    "text": {"type": "plain_text", "text": "Go"},
                    "value": "1",
                }
            ],
        }
        sent = web.chat_postEphemeral(channel="CGEN", user="U123", text="pick", blocks=[button])
        fake.click("U123", "CGEN", sent["message_ts"], "go")
        click = recorder.requests[-1].payload
        assert click["container"]["is_ephemeral"] is True and click["actions"][0]["value"] == "1"
        WebhookClient(click["response_url"]).send(replace_original=True, text="picked")
        assert [m["text"] for m in fake.ephemerals("CGEN", "U123")] == ["picked"]
        WebhookClient(click["response_url"]).send(text="and one more")
        assert [m["text"] for m in fake.ephemerals("CGEN", "U123")] == ["picked", "and one more"]
        WebhookClient(click["response_url"]).send(delete_original=True)
        assert [m["text"] for m in fake.ephemerals("CGEN", "U123")] == ["and one more"]
    finally:
        recorder.close()


def test_menus_report_the_choice(fake: FakeSlack) -> None:
    recorder = Recorder(fake)
    try:
        menu = {
            "type": "section",
            "block_id": "s",
            "text": {"type": "mrkdwn", "text": "Who?"},
            "accessory": {"type": "users_select", "action_id": "who"},
        }
        ts = fake.add_message("CGEN", "pick someone", bot=True, blocks=[menu])["ts"]
        fake.click("U123", "CGEN", ts, "who", "U456")
        payload = recorder.requests[-1].payload
        assert payload["actions"][0] == {
            "action_id": "who",
            "block_id": "s",
            "type": "users_select",
            "selected_user": "U456",
            "action_ts": payload["actions"][0]["action_ts"],
        }
        assert payload["state"]["values"]["s"]["who"]["selected_user"] == "U456"
    finally:
        recorder.close()


def test_joining_a_channel(fake: FakeSlack) -> None:
    recorder = Recorder(fake)
    try:
        fake.join("U456", "CGEN", inviter="U123")
        (event,) = recorder.events()
        assert event["type"] == "member_joined_channel" and event["inviter"] == "U123"
        assert event["channel_type"] == "C" and event["user"] == "U456"
        assert fake.messages("CGEN")[0]["subtype"] == "channel_join"
    finally:
        recorder.close()


def test_no_app_connected_is_said_plainly(fake: FakeSlack) -> None:
    with pytest.raises(NoApp):
        fake.command("U123", "CGEN", "/compare")


async def dispatch(app: AsyncApp, body: str) -> int:
    request = AsyncBoltRequest(
        body=body, headers={k.lower(): [v] for k, v in sign(body, SIGNING_SECRET).items()}
    )
    return (await app.async_dispatch(request)).status


async def test_bolt_routes_every_built_payload_to_its_listener(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    app = AsyncApp(signing_secret=SIGNING_SECRET, client=client)
    seen: list[str] = []

    def record(name: str) -> Callable[..., Any]:
        async def listener(ack: Any = None, **_: Any) -> None:
            seen.append(name)
            if ack is not None:
                await ack()

        return listener

    app.view_submission("note")(record("view_submission"))
    app.view_closed("note")(record("view_closed"))
    app.global_shortcut("new_note")(record("shortcut"))
    app.message_shortcut("explain_message")(record("message_action"))
    app.options("topic")(record("block_suggestion"))
    app.event("app_home_opened")(record("app_home_opened"))
    app.event("member_joined_channel")(record("member_joined_channel"))
    app.event("message")(record("message"))

    message = {"type": "message", "ts": build.new_ts(), "text": "hi", "user": "U456"}
    bodies = [
        build.interactive_body(
            build.view_submission(values={"note": {"text": {"type": "plain_text_input"}}})
        ),
        build.interactive_body(build.view_closed()),
        build.interactive_body(build.global_shortcut("new_note")),
        build.interactive_body(build.message_action("explain_message", message)),
        build.interactive_body(build.block_suggestion("topic", "mon")),
        build.event_body(build.app_home_opened_event("U123", tab="messages")),
        build.event_body(build.member_joined_channel_event("U123")),
        build.event_body(build.message_event("hello", channel_type="channel")),
    ]
    for body in bodies:
        assert await dispatch(app, body) == 200, body[:80]
    deadline = time.monotonic() + 2
    while len(seen) < len(bodies) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert sorted(seen) == sorted(
        [
            "view_submission",
            "view_closed",
            "shortcut",
            "message_action",
            "block_suggestion",
            "app_home_opened",
            "member_joined_channel",
            "message",
        ]
    )
    shortcut = json.loads(parse_qs(bodies[3])["payload"][0])
    assert shortcut["message_ts"] == message["ts"] and shortcut["channel"]["id"] == "C123"
