"""Slack Web API calls with every failure sorted into "permanent" or "transient"."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
"""Slack errors worth another try, besides any HTTP 5xx.

Any other error Slack answers with means it rejected the request itself (``channel_not_found``,
``token_revoked``, ``invalid_blocks``, ``msg_too_long``, ...): the same request would fail the same way, so
it counts as permanent.
"""

log = logging.getLogger(__name__)


EXPECTED_ERRORS: tuple[type[BaseException], ...] = (SlackClientError, aiohttp.ClientError, TimeoutError)
"""What a call to Slack raises when Slack says no or cannot be reached: worth a log line, not a traceback."""

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
SAFE_MAX = 40


class SlackFailure(Exception):
    """A Web API call failed; ``reason`` (``not_in_channel``, ``http_503``, ...) is short and safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentFailure(SlackFailure):
    """Trying again will not help."""


class Transient(SlackFailure):
    """Trying again later may work. A 5xx or a timeout may also hide a call Slack carried out.

    ``retry_now`` is False for a rate limit: slack_sdk has already waited out ``Retry-After`` several
    times, so more tries right away would only add to the load.
    """

    def __init__(self, reason: str, *, retry_now: bool = True) -> None:
        super().__init__(reason)
        self.retry_now = retry_now


async def slack_call(method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
    """``await method(**kwargs)`` with a failure raised as ``PermanentFailure`` or ``Transient``."""
    try:
        return await method(**kwargs)
    except EXPECTED_ERRORS as error:
        if not isinstance(error, SlackApiError):  # no answer at all: connection trouble or a timeout
            raise Transient(type(error).__name__) from error
        status, code = _status_and_code(error)
        reason = safe(code) if code else f"http_{status}"
        if status >= 500 or status == 429 or code in TRANSIENT_ERRORS:
            raise Transient(reason, retry_now=status != 429) from error
        raise PermanentFailure(reason) from error


def surely_not_done(failure: SlackFailure) -> bool:
    """True when Slack certainly did not carry the call out: it said no, or asked us to slow down. False
    for a 5xx, a timeout or a lost connection, which may hide a call that went through."""
    return isinstance(failure, PermanentFailure) or (isinstance(failure, Transient) and not failure.retry_now)


def is_expected(error: BaseException) -> bool:
    """True for a failure of Slack's (or of the way to it), False for what would be a bug of ours."""
    return isinstance(error, (*EXPECTED_ERRORS, SlackFailure))


def describe(error: BaseException) -> str:
    """A short, log-safe account of a failed Slack call: "chat.postMessage: internal_error (HTTP 500)",
    "not_in_channel", "TimeoutError". Never the request, the token or a URL."""
    if isinstance(error, SlackFailure):
        return safe(error.reason)
    if isinstance(error, SlackApiError):
        status, code = _status_and_code(error)
        method = urlsplit(str(getattr(error.response, "api_url", "") or "")).path.rsplit("/", 1)[-1]
        said = safe(code) if code else "no error code"
        http = f" (HTTP {status})" if status and status != 200 else ""
        return f"{safe(method)}: {said}{http}" if method else f"{said}{http}"
    return type(error).__name__


def safe(text: str) -> str:
    """`text` (which Slack, or whoever answers in its place, chose) cut short and reduced to a code's
    characters, so it cannot forge or break a log line."""
    return _SAFE.sub("?", text[:SAFE_MAX]) or "?"


def _status_and_code(error: SlackApiError) -> tuple[int, str | None]:
    response: Any = error.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
    try:
        code = response.get("error")
    except AttributeError:  # the body was not JSON
        code = None
    return int(status), str(code) if code else None


async def permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """chat.getPermalink of one message; None when Slack does not give one."""
    if not channel or not ts:
        return None
    try:
        reply = await slack_call(client.chat_getPermalink, channel=channel, message_ts=ts)
    except SlackFailure as error:
        log.warning("chat.getPermalink failed: %s", error.reason)
        return None
    return str(reply.get("permalink") or "") or None
