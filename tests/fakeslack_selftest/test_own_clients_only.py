"""Only the app and the tests can drive the fake Slack: not a web page elsewhere, not a rebound host name.

Raw HTTP and WebSocket requests, shaped like what a browser sends for another site's page: its Origin, a
token in a link or a form, a guessed response_url or socket ticket, a Host naming another site.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
import pytest
from slack_sdk.web import WebClient

from slackfake import APP_TOKEN, BOT_TOKEN, FakeSlack

ELSEWHERE = "http://elsewhere.example"
REBOUND_HOST = "rebound.example"
"""A site whose name its owner pointed at 127.0.0.1 (DNS rebinding): the browser sends it as the Host."""
JSON = {"Content-Type": "application/json"}


def request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, str]:
    """(status, body) of one HTTP request, whatever the status."""
    sent = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(sent, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def bearer(token: str = BOT_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def posted(fake: FakeSlack, channel: str = "C1") -> list[str]:
    return [str(m.get("text")) for m in fake.messages(channel)]


def connection_url(fake: FakeSlack) -> str:
    return str(WebClient(base_url=fake.api_url).apps_connections_open(app_token=APP_TOKEN)["url"])


async def handshake(url: str, **options: Any) -> int:
    """The HTTP status the fake answers a WebSocket handshake with (101: connected, then closed)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, **options) as ws:
                assert (await ws.receive_json(timeout=5))["type"] == "hello"
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


# ---- Socket Mode ---------------------------------------------------------------------------------------


async def test_the_socket_needs_a_ticket_from_apps_connections_open(fake_slack: FakeSlack) -> None:
    assert await handshake(fake_slack.ws_url) == 401
    assert await handshake(f"{fake_slack.ws_url}?ticket=fake-1&app_id=A0TEST") == 401
    assert fake_slack.socket_clients == 0
    assert [call.status for call in fake_slack.calls_to("ws.connect")] == [401, 401]


async def test_a_ticket_is_good_once(fake_slack: FakeSlack) -> None:
    url = connection_url(fake_slack)
    assert "ticket=fake-" in url
    assert await handshake(url) == 101
    assert await handshake(url) == 401


async def test_a_ticket_is_good_for_a_short_while(fake_slack: FakeSlack) -> None:
    fake_slack.ticket_ttl = 0  # every ticket is already too old when it is used
    assert await handshake(connection_url(fake_slack)) == 401


async def test_a_web_page_cannot_open_the_socket_even_with_a_ticket(fake_slack: FakeSlack) -> None:
    assert await handshake(connection_url(fake_slack), origin=ELSEWHERE) == 403
    assert await handshake(connection_url(fake_slack), origin="null") == 403
    assert fake_slack.socket_clients == 0


async def test_what_people_do_goes_to_the_app_and_no_other_socket(fake_slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(connection_url(fake_slack)) as app:
        await app.receive_json(timeout=5)  # hello
        assert await handshake(fake_slack.ws_url) == 401  # the newest connection would get every envelope
        envelope_id = fake_slack.send_envelope("slash_commands", {"command": "/compare", "text": "x"})
        assert (await app.receive_json(timeout=5))["envelope_id"] == envelope_id


# ---- the Web API ---------------------------------------------------------------------------------------


def test_a_token_in_the_query_string_is_not_taken(fake_slack: FakeSlack) -> None:
    query = urllib.parse.urlencode({"token": BOT_TOKEN, "channel": "C1", "text": "<!channel> from a link"})
    status, body = request(f"{fake_slack.api_url}chat.postMessage?{query}")
    assert (status, json.loads(body)["error"]) == (200, "not_authed")
    assert posted(fake_slack) == []


def test_a_token_in_a_form_is_not_taken(fake_slack: FakeSlack) -> None:
    form = urllib.parse.urlencode({"token": BOT_TOKEN, "channel": "C1", "text": "from a form"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, body = request(f"{fake_slack.api_url}chat.postMessage", data=form, headers=headers)
    assert (status, json.loads(body)["error"]) == (200, "not_authed")
    assert posted(fake_slack) == []


@pytest.mark.parametrize("origin", [ELSEWHERE, "null", "http://127.0.0.1:9"])
def test_a_call_from_another_page_is_refused_even_with_the_token(fake_slack: FakeSlack, origin: str) -> None:
    form = urllib.parse.urlencode({"channel": "C1", "text": "from elsewhere"}).encode()
    headers = {**bearer(), "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"}
    status, _ = request(f"{fake_slack.api_url}chat.postMessage", data=form, headers=headers)
    assert status == 403
    assert posted(fake_slack) == []


def test_the_fakes_own_origin_and_clients_without_one_are_served(fake_slack: FakeSlack) -> None:
    own = {**bearer(), "Origin": fake_slack.url, "Content-Type": "application/json"}
    body = json.dumps({"channel": "C1", "text": "from the page's own origin"}).encode()
    assert request(f"{fake_slack.api_url}chat.postMessage", data=body, headers=own)[0] == 200
    assert WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url).chat_postMessage(channel="C1", text="sdk")[
        "ok"
    ]
    assert posted(fake_slack) == ["from the page's own origin", "sdk"]


# ---- response_urls -------------------------------------------------------------------------------------


def test_response_urls_handed_out_cannot_be_guessed(fake_slack: FakeSlack) -> None:
    urls = [fake_slack.response_urls.issue("C1", "U123") for _ in range(2)]
    names = [url.rsplit("/", 1)[1] for url in urls]
    assert all(len(name) >= 22 and not re.fullmatch(r"auto-\d+", name) for name in names)  # >= 128 bits
    assert names[0] != names[1]
    status, text = request(f"{fake_slack.url}/response/auto-1", data=b"{}", headers=JSON)
    assert (status, text) == (404, "no_service")


def test_a_response_url_takes_json_only(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_urls.issue("C1", "U123")
    answer = json.dumps({"response_type": "in_channel", "text": "<!channel> pwned"}).encode()
    assert request(url, data=answer, headers={"Content-Type": "text/plain"}) == (415, "json_only")
    assert posted(fake_slack) == []
    assert request(url, data=answer, headers=JSON) == (200, "ok")
    assert posted(fake_slack) == ["<!channel> pwned"]


def test_a_response_url_refuses_another_page(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_urls.issue("C1", "U123")
    answer = json.dumps({"response_type": "in_channel", "text": "from elsewhere"}).encode()
    assert request(url, data=answer, headers={**JSON, "Origin": ELSEWHERE})[0] == 403
    assert posted(fake_slack) == []


# ---- the Host ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/auth.test"), ("POST", "/response/r1"), ("GET", "/ws")]
)
def test_a_request_for_another_host_is_misdirected(fake_slack: FakeSlack, method: str, path: str) -> None:
    fake_slack.response_url("r1", channel="C1")
    headers = {**bearer(), **JSON, "Host": f"{REBOUND_HOST}:{fake_slack.port}"}
    data = b"{}" if method == "POST" else None
    status, _ = request(f"{fake_slack.url}{path}", data=data, headers=headers, method=method)
    assert status == 421
    assert not fake_slack.calls  # nothing reached the Web API, the response_url or the socket


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_the_fake_answers_for_its_own_names(fake_slack: FakeSlack, host: str) -> None:
    headers = {**bearer(), "Host": f"{host}:{fake_slack.port}"}
    status, body = request(f"{fake_slack.api_url}auth.test", headers=headers, method="POST")
    assert (status, json.loads(body)["ok"]) == (200, True)
