"""The fake Slack itself, exercised through slack_sdk's real clients."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from slackfake import FakeSlack
from slackfake import requests as slack_requests

BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Monitoring"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*MLOps*: data drift"}},
]


def client(fake: FakeSlack, token: str = "xoxb-test", **kwargs: object) -> AsyncWebClient:
    return AsyncWebClient(base_url=fake.api_url, token=token, retry_handlers=[], **kwargs)


async def test_post_message_is_recorded_with_parsed_body_and_stored(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    metadata = {"event_type": "quiz_posted", "event_payload": {"question": "main-difference"}}
    first = await web.chat_postMessage(channel="C1", text="hello", blocks=BLOCKS, metadata=metadata)
    # A form body with JSON-string fields, as older callers and some SDK methods send.
    second = await web.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "reply", "blocks": json.dumps(BLOCKS)}
    )

    calls = await fake_slack.wait_for_async("chat.postMessage", count=2)
    assert calls[0].body["blocks"] == BLOCKS
    assert calls[0].body["metadata"] == metadata
    assert calls[1].body["blocks"] == BLOCKS
    assert calls[0].headers["authorization"] == "Bearer xoxb-test"
    assert float(first["ts"]) < float(second["ts"])
    assert first["message"]["user"] == "UBOT"
    assert [m["text"] for m in fake_slack.messages("C1")] == ["hello", "reply"]


async def test_429_carries_retry_after_and_the_rate_limit_handler_retries(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    with pytest.raises(SlackApiError) as raised:
        await client(fake_slack).chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "0"

    fake_slack.fail_next("chat.postMessage", retry_after=0)
    retrying = client(fake_slack)
    retrying.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    assert (await retrying.chat_postMessage(channel="C1", text="y"))["ok"]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 429, 200]
    assert [m["text"] for m in fake_slack.messages("C1")] == ["y"]


async def test_error_codes(fake_slack: FakeSlack) -> None:
    async def error_of(call: object) -> str:
        with pytest.raises(SlackApiError) as raised:
            await call  # type: ignore[misc]
        return raised.value.response["error"]

    web = client(fake_slack)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    assert await error_of(web.chat_postMessage(channel="C1", text="x")) == "channel_not_found"
    assert await error_of(web.chat_update(channel="C1", ts="1.000001", text="x")) == "message_not_found"
    assert await error_of(web.users_info(user="UNOBODY")) == "user_not_found"
    assert await error_of(web.api_call("nonsense.method")) == "unknown_method"
    assert await error_of(client(fake_slack, token="").auth_test()) == "not_authed"
    assert await error_of(client(fake_slack, token="bogus").auth_test()) == "invalid_auth"
    fake_slack.revoke("xoxb-old")
    assert await error_of(client(fake_slack, token="xoxb-old").auth_test()) == "token_revoked"
    assert await error_of(web.apps_connections_open(app_token="xoxb-test")) == "not_allowed_token_type"
    too_long = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    assert await error_of(web.chat_postMessage(channel="C1", text="x", blocks=too_long)) == "invalid_blocks"
    fake_slack.add_channel("CARCH", is_archived=True)
    assert await error_of(web.chat_postMessage(channel="CARCH", text="x")) == "is_archived"
    fake_slack.fail_next("conversations.info", status=503)
    assert await error_of(web.conversations_info(channel="C1")) == "service_unavailable"

    fake_slack.fail_forever("users.info", error="ratelimited")
    for _ in range(2):
        assert await error_of(web.users_info(user="U123")) == "ratelimited"
    fake_slack.heal("users.info")
    assert (await web.users_info(user="U123"))["user"]["tz"] == "UTC"
    assert fake_slack.calls_to("nonsense.method")[0].status == 200


async def test_a_committed_5xx_still_posts(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", status=500, commit=True)
    with pytest.raises(SlackApiError):
        await client(fake_slack).chat_postMessage(channel="C1", text="posted anyway")
    assert [m["text"] for m in fake_slack.messages("C1")] == ["posted anyway"]


async def test_history_honours_metadata_limit_bounds_and_threads(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    posted = []
    for n in range(3):
        metadata = {"event_type": "quiz_posted", "event_payload": {"n": n}}
        posted.append((await web.chat_postMessage(channel="C1", text=f"m{n}", metadata=metadata))["ts"])
    await web.chat_postMessage(channel="C1", text="in thread", thread_ts=posted[0])

    plain = await web.conversations_history(channel="C1")
    assert [m["text"] for m in plain["messages"]] == ["m2", "m1", "m0"]
    assert all("metadata" not in m for m in plain["messages"])
    assert plain["messages"][2]["reply_count"] == 1

    full = await web.conversations_history(channel="C1", include_all_metadata=True, limit=2)
    assert [m["metadata"]["event_payload"]["n"] for m in full["messages"]] == [2, 1]
    assert full["has_more"] is True
    rest = await web.conversations_history(
        channel="C1", limit=2, cursor=full["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["m0"]

    bounded = await web.conversations_history(channel="C1", oldest=posted[0], latest=posted[2])
    assert [m["text"] for m in bounded["messages"]] == ["m1"]
    thread = await web.conversations_replies(channel="C1", ts=posted[0])
    assert [m["text"] for m in thread["messages"]] == ["m0", "in thread"]


async def test_response_url_updates_the_original_message(fake_slack: FakeSlack) -> None:
    ts = (await client(fake_slack).chat_postMessage(channel="C1", text="question"))["ts"]
    url = fake_slack.response_url("click", channel="C1", message_ts=ts)
    response = await AsyncWebhookClient(url).send(replace_original=True, text="answered")
    assert response.status_code == 200
    assert response.body == "ok"
    [call] = fake_slack.calls_to("response_url")
    assert call.name == "click"
    assert call.body["replace_original"] is True
    assert fake_slack.message("C1", ts)["text"] == "answered"


async def test_concurrency_is_measured(fake_slack: FakeSlack) -> None:
    fake_slack.set_latency(0.2)
    web = client(fake_slack)
    await asyncio.gather(*(web.auth_test() for _ in range(5)))
    assert fake_slack.peak_in_flight == 5
    assert fake_slack.in_flight == 0


async def test_socket_mode_envelope_ack_and_reconnect(fake_slack: FakeSlack) -> None:
    socket = SocketModeClient(
        app_token="xapp-test", web_client=AsyncWebClient(base_url=fake_slack.api_url), ping_interval=1
    )

    async def ack(client: SocketModeClient, request: SocketModeRequest) -> None:
        answer = {
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": request.payload["text"]}}]
        }
        await client.send_socket_mode_response(SocketModeResponse(request.envelope_id, payload=answer))

    socket.socket_mode_request_listeners.append(ack)
    try:
        await socket.connect()
        await fake_slack.wait_for_socket_async()
        command = slack_requests.slash_command("/compare", "monitoring")
        envelope_id = fake_slack.send_envelope("slash_commands", command)
        acked = await fake_slack.wait_ack_async(envelope_id)
        assert acked["payload"]["blocks"][0]["text"]["text"] == "monitoring"

        fake_slack.disconnect_sockets()
        await fake_slack.wait_for_async("ws.connect", count=2)
        await fake_slack.wait_for_socket_async()
        assert len(fake_slack.calls_to("apps.connections.open")) == 2
        envelope_id = fake_slack.send_envelope("slash_commands", slack_requests.slash_command(text="again"))
        assert (await fake_slack.wait_ack_async(envelope_id))["payload"]["blocks"][0]["text"][
            "text"
        ] == "again"
    finally:
        await socket.close()


def test_stop_refuses_connections_and_start_reuses_the_port(fake_slack: FakeSlack) -> None:
    web = WebClient(base_url=fake_slack.api_url, token="xoxb-test")
    api_url = fake_slack.api_url
    assert web.auth_test()["ok"]
    fake_slack.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(api_url + "auth.test", timeout=2)
    fake_slack.start()
    assert fake_slack.api_url == api_url
    assert web.auth_test()["ok"]


def test_signed_requests_verify_and_post(fake_slack: FakeSlack) -> None:
    body = slack_requests.interactive_body(slack_requests.block_action("answer", "B", message_ts="1.000002"))
    headers = slack_requests.sign(body, "secret")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier("secret").is_valid_request(body, headers)

    event = slack_requests.app_mention_event("monitoring", event_id="Ev1")
    assert event["event"]["text"] == "<@UBOT> monitoring"
    status, text = slack_requests.post_signed(
        fake_slack.response_url("r1"), json.dumps({"text": "hi"}), "secret", content_type="application/json"
    )
    assert (status, text) == (200, "ok")
    assert fake_slack.wait_for("response_url")[0].headers["x-slack-signature"].startswith("v0=")
