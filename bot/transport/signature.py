"""Slack's request signature (v0), checked on the raw body bytes.

Slack signs `v0:{timestamp}:{body}` with the signing secret (HMAC-SHA256) and sends
`X-Slack-Request-Timestamp` (Unix seconds, digits only) and `X-Slack-Signature` (`v0=` and 64 hex digits).
Anything else in those headers is not a signature, whatever it holds: a timestamp with a fraction, letters
or thousands of digits, a signature with non-ASCII characters, a body that is not UTF-8. Each of those is
simply "not signed", a 401; none of them raises (slack_sdk's `SignatureVerifier` raises on all of them).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
MAX_AGE_S = 5 * 60
"""Slack's advice: refuse requests more than five minutes away from our clock, so a captured request
cannot be replayed later."""
_MAX_TIMESTAMP_DIGITS = 12  # Unix seconds have 10 digits until the year 2286
_SIGNATURE_LENGTH = len("v0=") + 64


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
        digest = hmac.new(self._key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}".encode(), signature.encode())
