"""What Slack sends to an app: realistic request bodies, Slack's signature, and a small signed poster.

Builders start from the captured-shape samples in `payloads/` and fill in the caller's values, so a test
exercises the same fields (and field types: slash command fields are all strings) as production.
Over HTTP: `form_body(slash_command(...))`, `interactive_body(block_action(...))`,
`event_body(app_mention_event(...))`. Over Socket Mode: pass the dicts to `FakeSlack.send_envelope`.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import time
import urllib.error
import urllib.request
import uuid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from slackfake.workspace import BOT_USER_ID

PAYLOADS = Path(__file__).parent / "payloads"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Where response_url points unless a test passes `fake.response_url(...)`: a local port that refuses
# connections, so a forgotten response_url fails fast instead of reaching hooks.slack.com.
UNSET_RESPONSE_URL = "http://127.0.0.1:9/response/unset"
_MENTION = re.compile(r"(<@[UW][A-Z0-9]+>)")
_sequence = itertools.count(1)


@cache
def _template(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a sample in payloads/ (slash_command, block_actions, app_mention, ...)."""
    return copy.deepcopy(_template(name))


def new_ts() -> str:
    """A unique message timestamp near now, in Slack's "seconds.micros" form."""
    micros = int(time.time() * 1_000_000) + next(_sequence)
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def new_trigger_id() -> str:
    return f"{int(time.time() * 1000)}.6115322735.{secrets.token_hex(16)}"


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


# ---- payloads ------------------------------------------------------------------------------------


def slash_command(
    command: str = "/compare",
    text: str = "monitoring",
    *,
    user_id: str = "U123",
    user_name: str = "alice",
    channel_id: str = "C123",
    channel_name: str = "general",
    response_url: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, str]:
    """The form fields of a slash command invocation (every value a string, as Slack posts them)."""
    fields = payload("slash_command")
    fields.update(
        command=command,
        text=text,
        user_id=user_id,
        user_name=user_name,
        channel_id=channel_id,
        channel_name=channel_name,
        trigger_id=trigger_id or new_trigger_id(),
        response_url=response_url or UNSET_RESPONSE_URL,
    )
    return fields


def block_action(
    action_id: str,
    value: str,
    *,
    user_id: str = "U123",
    channel_id: str = "C123",
    message_ts: str | None = None,
    message: dict[str, Any] | None = None,
    container: str = "message",
    response_url: str | None = None,
    block_id: str = "b1",
    view: dict[str, Any] | None = None,
    element_type: str = "button",
    text: str | None = None,
) -> dict[str, Any]:
    """A `block_actions` payload for one click.

    `container`: "message" (a button in a channel message; pass the stored `message`, e.g. from
    `fake.messages(...)`, so handlers see its real blocks and metadata), "ephemeral", or "view" (App
    Home / modal; pass `view`, e.g. `fake.home_view(user)`). `element_type` "static_select" (or another
    menu) reports `value` as the selected option instead of a button value.
    """
    body = payload("block_actions")
    body["user"] = {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": "T0TEST"}
    body["trigger_id"] = new_trigger_id()
    label = {"type": "plain_text", "text": text if text is not None else value, "emoji": True}
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": element_type}
    if element_type == "button":
        action.update(text=label, value=value)
    else:
        action["selected_option"] = {"text": label, "value": value}
    action["action_ts"] = new_ts()
    body["actions"] = [action]

    if container == "view":
        view = copy.deepcopy(view) if view else {"id": "V00000001", "type": "home", "blocks": []}
        body["container"] = {"type": "view", "view_id": view["id"]}
        body["view"] = view
        for key in ("channel", "message", "response_url"):
            body.pop(key)
        return body
    if container not in ("message", "ephemeral"):
        raise ValueError(f"unknown container {container!r}")
    ts = message_ts or (message or {}).get("ts") or new_ts()
    body["container"] = {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel_id,
        "is_ephemeral": container == "ephemeral",
    }
    body["channel"] = {"id": channel_id, "name": channel_id.lower()}
    if container == "ephemeral":
        body.pop("message")
    elif message is not None:
        body["message"] = copy.deepcopy(message)
    else:
        body["message"]["ts"] = ts
    body["response_url"] = response_url or UNSET_RESPONSE_URL
    return body


def _rich_text(text: str) -> list[dict[str, Any]]:
    """The rich_text block Slack attaches to a typed message, mentions as user elements."""
    elements: list[dict[str, Any]] = []
    for part in _MENTION.split(text):
        if _MENTION.fullmatch(part):
            elements.append({"type": "user", "user_id": part[2:-1]})
        elif part:
            elements.append({"type": "text", "text": part})
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": secrets.token_hex(3), "elements": [section]}]


def _event_callback(
    sample: str, event_fields: dict[str, Any], *, ts: str | None, event_id: str | None
) -> dict[str, Any]:
    body = payload(sample)
    ts = ts or new_ts()
    body["event"].update(event_fields, ts=ts, event_ts=ts, client_msg_id=str(uuid.uuid4()))
    if "text" in event_fields:
        body["event"]["blocks"] = _rich_text(event_fields["text"])
    body["event_id"] = event_id or new_event_id()
    body["event_time"] = int(float(ts))
    return body


def app_mention_event(
    text: str,
    *,
    user: str = "U123",
    channel: str = "C123",
    ts: str | None = None,
    event_id: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """An `app_mention` event_callback body. `<@UBOT> ` is prepended unless `text` mentions the bot."""
    mention = f"<@{BOT_USER_ID}>"
    if mention not in text:
        text = f"{mention} {text}"
    fields: dict[str, Any] = {"text": text, "user": user, "channel": channel}
    if thread_ts:
        fields["thread_ts"] = thread_ts
    return _event_callback("app_mention", fields, ts=ts, event_id=event_id)


def dm_message_event(
    text: str,
    *,
    user: str = "U123",
    channel: str = "D123",
    ts: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A `message` event (channel_type "im") event_callback body: a user wrote to the bot directly."""
    return _event_callback(
        "message_im", {"text": text, "user": user, "channel": channel}, ts=ts, event_id=event_id
    )


def app_home_opened_event(
    user: str = "U123", *, channel: str = "D123", tab: str = "home", event_id: str | None = None
) -> dict[str, Any]:
    body = payload("app_home_opened")
    body["event"].update(user=user, channel=channel, tab=tab, event_ts=new_ts())
    body["event_id"] = event_id or new_event_id()
    body["event_time"] = int(time.time())
    return body


def view_submission(
    callback_id: str, *, user_id: str = "U123", values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A modal's `view_submission` payload (`values`: the view's `state.values`, by block and action)."""
    body = payload("view_submission")
    body["user"].update(id=user_id, username=user_id.lower(), name=user_id.lower())
    body["trigger_id"] = new_trigger_id()
    body["view"]["callback_id"] = callback_id
    if values is not None:
        body["view"]["state"] = {"values": values}
    return body


def global_shortcut(callback_id: str, *, user_id: str = "U123") -> dict[str, Any]:
    """A global shortcut (from the shortcuts menu or search): no channel, no response_url."""
    body = payload("shortcut")
    body["user"].update(id=user_id, username=user_id.lower())
    body.update(callback_id=callback_id, trigger_id=new_trigger_id(), action_ts=new_ts())
    return body


def message_shortcut(
    callback_id: str,
    *,
    user_id: str = "U123",
    channel_id: str = "C123",
    response_url: str | None = None,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message shortcut (a message's "more actions" menu), with the message it was used on."""
    body = payload("message_action")
    body["user"].update(id=user_id, username=user_id.lower(), name=user_id.lower())
    body["channel"] = {"id": channel_id, "name": channel_id.lower()}
    body.update(callback_id=callback_id, trigger_id=new_trigger_id(), action_ts=new_ts())
    body["response_url"] = response_url or UNSET_RESPONSE_URL
    if message is not None:
        body["message"] = copy.deepcopy(message)
        body["message_ts"] = message.get("ts", body["message_ts"])
    return body


# ---- bodies and signatures -----------------------------------------------------------------------


def form_body(fields: dict[str, Any]) -> str:
    return urlencode(fields)


def interactive_body(payload: dict[str, Any]) -> str:
    """How Slack posts interactions: a form with one `payload` field holding the JSON."""
    return urlencode({"payload": json.dumps(payload)})


def event_body(body: dict[str, Any]) -> str:
    return json.dumps(body)


def sign(
    body: str, secret: str, timestamp: int | None = None, *, content_type: str | None = None
) -> dict[str, str]:
    """Slack's request headers for `body`: timestamp, v0 signature, and content type (guessed from
    the body unless given: JSON for `{...}`, form otherwise)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
        "Content-Type": content_type or (JSON if body.lstrip().startswith("{") else FORM),
    }


def _decode(text: str, content_type: str) -> Any:
    if content_type.startswith(JSON):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def post_signed(
    url: str,
    body: str,
    secret: str,
    *,
    content_type: str | None = None,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, Any]:
    """POST a signed body (blocking); returns (status, JSON or text). Never raises for HTTP errors.

    Blocks the calling thread: from an asyncio test whose loop runs the server, use `post_signed_async`.
    """
    all_headers = {**sign(body, secret, timestamp, content_type=content_type), **(headers or {})}
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _decode(
                response.read().decode(), response.headers.get("Content-Type", "")
            )
    except urllib.error.HTTPError as error:
        return error.code, _decode(error.read().decode(), error.headers.get("Content-Type", ""))


async def post_signed_async(
    url: str,
    body: str,
    secret: str,
    *,
    content_type: str | None = None,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, Any]:
    """`post_signed` for asyncio tests."""
    all_headers = {**sign(body, secret, timestamp, content_type=content_type), **(headers or {})}
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.post(url, data=body.encode(), headers=all_headers) as response,
    ):
        return response.status, _decode(await response.text(), response.headers.get("Content-Type", ""))
