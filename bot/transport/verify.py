"""What a request must be before Bolt sees it: signed by Slack (HTTP), and shaped as Slack sends it (both
transports).

The signature (v0): Slack signs `v0:{timestamp}:{body}` with the signing secret (HMAC-SHA256) and sends
`X-Slack-Request-Timestamp` (Unix seconds, digits only) and `X-Slack-Signature` (`v0=` and 64 hex digits).
Anything else in those headers is not a signature, whatever it holds: a timestamp with a fraction, letters
or thousands of digits, a signature with non-ASCII characters, a body that is not UTF-8. Each of those is
simply "not signed", a 401; none of them raises (slack_sdk's `SignatureVerifier` raises on all of them).

The shape: Bolt reads fields out of a payload before any listener (or error handler) runs: `actions[0]`,
the event's type, `event.get(...)`. A body that is valid JSON but not Slack's shape would make it raise, so
such a body is refused up front: a 400 over HTTP, an empty ack over Socket Mode, and one warning in the
log. The rules are what Slack really sends (its payload reference, and the samples in Bolt's own tests):
every interaction carries `user`, `team` (null for an org-wide app), `channel` (interactions in a channel)
and `enterprise` (often null) as objects, and `view`, `message`, `container` where they apply. `state` is
an object of input values in `block_actions`, but a string in the legacy dialogs (`dialog_submission`,
`dialog_cancellation`, `dialog_suggestion`: whatever the app put in the dialog's `state`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
MAX_AGE_S = 5 * 60
"""Slack's advice: refuse requests more than five minutes away from our clock, so a captured request
cannot be replayed later."""
_MAX_TIMESTAMP_DIGITS = 12  # Unix seconds have 10 digits until the year 2286
_SIGNATURE_LENGTH = len("v0=") + 64
_HASHED_HOLDING_THE_GIL = 2047
"""hashlib lets other threads run while it hashes 2 KiB or more in one call, and the event loop then
waits for a database thread to give the interpreter back (bench/results.json, `click_burst.signature`);
a click's body, the whole message included, is hashed in pieces below that instead."""


class SlackSignature:
    def __init__(self, signing_secret: str) -> None:
        self._key = signing_secret.encode()

    def is_signed(self, body: bytes, headers: Mapping[str, str], now: float) -> bool:
        """Whether `body` with these headers was signed with our secret, within MAX_AGE_S of `now`."""
        timestamp = headers.get(TIMESTAMP_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not timestamp or not signature:
            return False
        if len(timestamp) > _MAX_TIMESTAMP_DIGITS or not (timestamp.isascii() and timestamp.isdigit()):
            return False
        if abs(now - int(timestamp)) > MAX_AGE_S:
            return False
        if len(signature) != _SIGNATURE_LENGTH or not signature.isascii():
            return False
        mac = hmac.new(self._key, b"v0:" + timestamp.encode() + b":", hashlib.sha256)
        for start in range(0, len(body), _HASHED_HOLDING_THE_GIL):
            mac.update(body[start : start + _HASHED_HOLDING_THE_GIL])
        return hmac.compare_digest(f"v0={mac.hexdigest()}".encode(), signature.encode())


OBJECT_FIELDS = ("event", "container", "message", "view", "user", "channel", "team", "enterprise")
OBJECT_LIST_FIELDS = ("actions", "authorizations")
RATE_LIMITED = "app_rate_limited"
"""What Slack sends, instead of events, to an app whose Events API deliveries it is holding back:
`{"token", "type": "app_rate_limited", "team_id", "minute_rate_limited", "api_app_id"}`."""


def is_well_formed(body: Any) -> bool:
    if not isinstance(body, dict) or not body:
        return False
    if not all(isinstance(body.get(name), dict | None) for name in OBJECT_FIELDS):
        return False
    if not isinstance(body.get("state"), dict | str | None):
        return False
    if not all(_objects_or_none(body.get(name)) for name in OBJECT_LIST_FIELDS):
        return False
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        return bool(actions) and all(isinstance(action.get("action_id"), str) for action in actions)
    if kind == "event_callback":
        return isinstance(body.get("event"), dict) and isinstance(body["event"].get("type"), str)
    if kind in ("view_submission", "view_closed"):
        return isinstance(body.get("view"), dict)
    return True


def is_rate_limit_notice(body: dict[str, Any]) -> bool:
    """An `app_rate_limited` notice: acknowledged (a 200), logged once, and not passed to Bolt, which has
    no listener for it and would answer 404 (Slack may disable the event subscriptions of an app that does
    not answer 200 to enough of its deliveries)."""
    if body.get("type") != RATE_LIMITED:
        return False
    log.warning(
        "Slack is holding back this app's events from team %s (app_rate_limited since minute %s): "
        "more than 30,000 events in an hour from one workspace",
        str(body.get("team_id"))[:32],
        str(body.get("minute_rate_limited"))[:32],
    )
    return True


def _objects_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(item, dict) for item in value))
