"""Answering through a response_url: only one of Slack's, and another way when it cannot be used.

A response_url comes in the request body, and the bot POSTs the answer there. A signed body is Slack's,
but the bot still follows only URLs on Slack's hooks host (``https://hooks.slack.com``) or on the
origin of ``SLACK_API_URL`` (so a local fake Slack that serves both keeps working): anything else, a
loopback port, an internal service, a look-alike host, is refused with a warning that never shows the
URL, and the person gets the answer privately through the Web API instead (``chat.postEphemeral`` in the
channel; a direct message where there is no channel and the answer was for that person alone). Each
POST is bounded like a Web API call (10 s). Slack being away or slow is logged, not raised, and throttled
(`LogThrottle`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from yarl import URL

from bot.core.clock import Clock
from bot.core.log_throttle import LogThrottle
from bot.core.message import Message
from bot.core.slack.calls import EXPECTED_ERRORS, PermanentFailure, SlackFailure, describe, safe, slack_call
from bot.core.slack.client import CALL_TIMEOUT_SECONDS

log = logging.getLogger(__name__)

HOOKS_ORIGIN = "https://hooks.slack.com/"
"""Where Slack's response_urls live."""
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,31}")


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int | None


def origin_of(url: object) -> Origin | None:
    """The origin an HTTP client would connect to for `url` (parsed as aiohttp parses it), or None for
    anything that is not a plain absolute http(s) URL: no credentials, no backslashes, no whitespace."""
    if not isinstance(url, str) or any(c <= " " or c in "\\\x7f" for c in url):
        return None
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return None
    host = parsed.raw_host
    if parsed.scheme not in ("http", "https") or not host or parsed.user is not None:
        return None
    if parsed.password is not None:
        return None
    return Origin(parsed.scheme, host.lower(), parsed.port)


class Responder:
    """Sends a listener's answer to the response_url of the request, when that URL is Slack's."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        allowed: Iterable[str],
        timeout: float = CALL_TIMEOUT_SECONDS,
        clock: Clock | None = None,
    ) -> None:
        """`allowed`: URLs whose origins may receive answers (`HOOKS_ORIGIN`, `SLACK_API_URL`).
        `timeout`: how long one POST to a response_url may take (Bolt's `respond` would wait 30 s)."""
        self._client = client
        self._timeout = timeout
        self._allowed = frozenset(origin for origin in map(origin_of, allowed) if origin is not None)
        self._log = LogThrottle(log, clock=clock)

    def allows(self, url: object) -> bool:
        origin = origin_of(url)
        return origin is not None and origin in self._allowed

    async def respond_with(
        self,
        respond: AsyncRespond,
        body: dict[str, Any],
        message: Message,
        *,
        response_type: str = "ephemeral",
        replace_original: bool = False,
    ) -> bool:
        """Send `message` to the request's response_url; if it has none, or one that is not Slack's,
        tell the person privately through the Web API instead. True only when the response_url took it."""
        url = getattr(respond, "response_url", None)
        if not self.allows(url):
            if url:
                self._log.warning(
                    "refused url",
                    "refused a response_url outside Slack's hooks host and SLACK_API_URL's origin; "
                    "answering through the Web API instead",
                )
            await self._answer_privately(body, message, dm=response_type != "in_channel")
            return False
        try:
            async with asyncio.timeout(self._timeout):
                sent = await respond(
                    response_type=response_type, replace_original=replace_original, **message.as_kwargs()
                )
        except EXPECTED_ERRORS as error:
            reason = describe(error)
            self._log.warning(
                f"response_url {reason}", "could not answer through the response_url: %s", reason
            )
            return False
        if sent.status_code != 200:
            said = safe(str(sent.body or ""))
            self._log.warning(
                f"response_url {sent.status_code} {said}",
                "the response_url refused the answer (HTTP %d, %s)",
                sent.status_code,
                said,
            )
            return False
        return True

    async def _answer_privately(self, body: dict[str, Any], message: Message, *, dm: bool) -> None:
        """`chat.postEphemeral` to the person in the request's channel, else (with `dm`) a direct message.
        A message meant for the channel is shown to the person there, never sent to a DM."""
        user, channel = _user_of(body), _channel_of(body)
        if user is None:
            self._log.warning("nobody", "a request without a user id got no answer")
            return
        if channel is not None:
            try:
                await slack_call(
                    self._client.chat_postEphemeral, channel=channel, user=user, **message.as_kwargs()
                )
                return
            except PermanentFailure as failure:  # not in that channel, or it is gone: try the DM
                self._note("chat.postEphemeral", failure)
            except SlackFailure as failure:
                self._note("chat.postEphemeral", failure)
                return
        if not dm:
            return
        try:
            await slack_call(self._client.chat_postMessage, channel=user, **message.as_kwargs())
        except SlackFailure as failure:
            self._note("chat.postMessage", failure)

    def _note(self, method: str, failure: SlackFailure) -> None:
        reason = describe(failure)
        self._log.warning(f"{method} {reason}", "could not answer privately (%s: %s)", method, reason)


def _user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    found = user.get("id") if isinstance(user, dict) else body.get("user_id")
    return found if isinstance(found, str) and _USER_ID.fullmatch(found) else None


def _channel_of(body: dict[str, Any]) -> str | None:
    channel, container = body.get("channel"), body.get("container")
    for found in (
        channel.get("id") if isinstance(channel, dict) else None,
        container.get("channel_id") if isinstance(container, dict) else None,
        body.get("channel_id"),
    ):
        if isinstance(found, str) and _CHANNEL_ID.fullmatch(found):
            return found
    return None
