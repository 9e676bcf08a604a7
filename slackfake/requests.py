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

from slackfake import triggers
from slackfake.constants import BOT_USER_ID, TEAM_DOMAIN, TEAM_ID

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


def new_trigger_id(user_id: str = "U123") -> str:
    """A trigger_id the fake Slack will accept for views.open within its `trigger_ttl` (see triggers.py)."""
    return triggers.new_trigger_id(user_id)


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
        trigger_id=trigger_id or new_trigger_id(user_id),
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
    action: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    trigger_id: str | None = None,
    user_name: str | None = None,
) -> dict[str, Any]:
    """A `block_actions` payload for one click.

    `container`: "message" (a button in a channel message; pass the stored `message`, e.g. from
    `fake.messages(...)`, so handlers see its real blocks and metadata), "ephemeral", or "view" (App
    Home / modal; pass `view`, e.g. `fake.home_view(user)`). `element_type` "static_select" (or another
    menu) reports `value` as the selected option instead of a button value. `action` replaces the
    whole action object (e.g. one `FakeSlack.click` built from the element), `state` the `state.values`.
    """
    body = payload("block_actions")
    body["user"] = _user(user_id, user_name)
    body["trigger_id"] = trigger_id or new_trigger_id(user_id)
    if action is None:
        label = {"type": "plain_text", "text": text if text is not None else value, "emoji": True}
        action = {"action_id": action_id, "block_id": block_id, "type": element_type}
        if element_type == "button":
            action.update(text=label, value=value)
        else:
            action["selected_option"] = {"text": label, "value": value}
    action = {**action, "action_ts": new_ts()}
    body["actions"] = [action]
    if state is not None:
        body["state"] = {"values": copy.deepcopy(state)}

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


def _user(user_id: str, name: str | None = None) -> dict[str, str]:
    name = name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def _team() -> dict[str, Any]:
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def _submitted_view(view: dict[str, Any] | None, values: dict[str, Any] | None) -> dict[str, Any]:
    """The view as a view_submission / view_closed carries it: the stored view with `state.values`."""
    view = copy.deepcopy(view) if view else copy.deepcopy(_template("view_submission")["view"])
    if values is not None:
        view["state"] = {"values": copy.deepcopy(values)}
    view.setdefault("state", {"values": {}})
    return view


def view_submission(
    view: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    *,
    user_id: str = "U123",
    user_name: str | None = None,
    trigger_id: str | None = None,
    response_urls: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A `view_submission` payload: the person pressed Submit on `view` (e.g. `fake.modal_stack(user)[-1]`)
    with `values` in `view.state.values` (build them with `slackfake.views.state_values`)."""
    body = payload("view_submission")
    body["user"] = _user(user_id, user_name)
    body["team"] = _team()
    body["trigger_id"] = trigger_id or new_trigger_id(user_id)
    body["view"] = _submitted_view(view, values)
    body["response_urls"] = copy.deepcopy(response_urls or [])
    return body


def view_closed(
    view: dict[str, Any] | None = None, *, user_id: str = "U123", is_cleared: bool = False
) -> dict[str, Any]:
    """A `view_closed` payload (sent only for views opened with `notify_on_close: true`)."""
    body = payload("view_closed")
    body["user"] = _user(user_id)
    body["team"] = _team()
    body["view"] = _submitted_view(view, None)
    body["is_cleared"] = is_cleared
    return body


def global_shortcut(
    callback_id: str, *, user_id: str = "U123", trigger_id: str | None = None
) -> dict[str, Any]:
    """A global `shortcut` payload (from the shortcuts menu or search): no channel, no response_url."""
    body = payload("shortcut")
    body["user"] = {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID}
    body["team"] = _team()
    body["callback_id"] = callback_id
    body["trigger_id"] = trigger_id or new_trigger_id(user_id)
    body["action_ts"] = new_ts()
    return body


def message_action(
    callback_id: str,
    message: dict[str, Any],
    *,
    user_id: str = "U123",
    channel_id: str = "C123",
    channel_name: str | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A message shortcut (`message_action`) on `message` (a stored message, e.g. from `fake.messages`)."""
    body = payload("message_action")
    body["user"] = {"id": user_id, "name": user_id.lower()}
    body["team"] = _team()
    body["channel"] = {"id": channel_id, "name": channel_name or channel_id.lower()}
    body["callback_id"] = callback_id
    body["trigger_id"] = trigger_id or new_trigger_id(user_id)
    body["message_ts"] = message["ts"]
    body["message"] = copy.deepcopy(message)
    body["response_url"] = response_url or UNSET_RESPONSE_URL
    body["action_ts"] = new_ts()
    return body


def block_suggestion(
    action_id: str,
    value: str,
    *,
    block_id: str = "b1",
    user_id: str = "U123",
    view: dict[str, Any] | None = None,
    channel_id: str = "C123",
    message_ts: str | None = None,
) -> dict[str, Any]:
    """A `block_suggestion` (an external_select asks for options for what was typed so far)."""
    body = payload("block_suggestion")
    body["user"] = _user(user_id)
    body["team"] = _team()
    body["action_id"], body["block_id"], body["value"] = action_id, block_id, value
    if view is not None:
        body["container"] = {"type": "view", "view_id": view["id"]}
        body["view"] = copy.deepcopy(view)
    else:
        ts = message_ts or new_ts()
        body["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        body["channel"] = {"id": channel_id, "name": channel_id.lower()}
        body.pop("view", None)
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


def message_event(
    text: str,
    *,
    user: str = "U123",
    channel: str = "C123",
    channel_type: str = "channel",
    ts: str | None = None,
    thread_ts: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A `message` event from a person: channel_type "channel" (message.channels), "group", "im", "mpim"."""
    fields: dict[str, Any] = {"text": text, "user": user, "channel": channel, "channel_type": channel_type}
    if thread_ts:
        fields["thread_ts"] = thread_ts
    return _event_callback("message_im", fields, ts=ts, event_id=event_id)


def app_home_opened_event(
    user: str = "U123",
    *,
    channel: str = "D123",
    tab: str = "home",
    event_id: str | None = None,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`app_home_opened`: tab "home" or "messages"; `view` is the Home view last published, if any."""
    body = payload("app_home_opened")
    body["event"].update(user=user, channel=channel, tab=tab, event_ts=new_ts())
    if view is not None:
        body["event"]["view"] = copy.deepcopy(view)
    body["event_id"] = event_id or new_event_id()
    body["event_time"] = int(time.time())
    return body


def member_joined_channel_event(
    user: str = "U123",
    *,
    channel: str = "C123",
    channel_type: str = "C",
    inviter: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """`member_joined_channel`: channel_type "C" (public) or "G" (private); `inviter` when invited."""
    body = payload("member_joined_channel")
    body["event"].update(user=user, channel=channel, channel_type=channel_type, event_ts=new_ts())
    if inviter:
        body["event"]["inviter"] = inviter
    else:
        body["event"].pop("inviter", None)
    body["event_id"] = event_id or new_event_id()
    body["event_time"] = int(time.time())
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
