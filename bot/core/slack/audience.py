"""Who can see a channel: anyone in the workspace, for a public one; its members, for a private one.

Slack says, through conversations.info and, for a private channel, conversations.members (the scopes
`channels:read` and `groups:read` the manifest asks for). Answers are kept for a minute, shared by every
person and request: a Home tab opened by a hundred people costs one look-up per channel, and someone who
leaves a private channel stops seeing it within a minute. Look-ups run a few at a time, and one request
looks at a bounded number of channels; a channel Slack would not describe, or one beyond the bound, is
"unknown" and each caller decides what that means (the Home hides it, practice holds its question back).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.calls import SlackFailure, slack_call

log = logging.getLogger(__name__)

KEEP_SECONDS = 60.0
CHANNELS_KEPT = 1_000
LOOKUPS_AT_ONCE = 4
CHANNELS_PER_REQUEST = 50
"""Channels one request may ask about; beyond these, a channel is unknown."""
MEMBERS_PAGE = 1_000
MEMBERS_PAGES = 10
"""A private channel's member list is read up to 10,000 members; someone beyond that is not found."""


@dataclass(frozen=True, slots=True)
class _Audience:
    members: frozenset[str] | None
    """None for a public channel: everyone sees it."""
    until: float
    name: str | None = None


class ChannelAudience:
    def __init__(self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, _Audience] = {}
        self._asking: dict[str, asyncio.Task[_Audience | None]] = {}
        self._lookups = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def sees(self, user: str, channel: str) -> bool | None:
        """Whether `user` can see `channel`; None when Slack would not say."""
        audience = await self._audience(channel)
        if audience is None:
            return None
        return audience.members is None or user in audience.members

    async def name(self, channel: str) -> str | None:
        """The channel's name without its #, as Slack gives it; None when Slack would not say."""
        audience = await self._audience(channel)
        return audience.name if audience is not None else None

    async def visible(self, user: str, channels: Sequence[str], *, unknown: bool) -> set[str]:
        """Those of `channels` that `user` can see; an unknown one counts as `unknown` says."""
        asked = list(dict.fromkeys(channels))
        answers = await asyncio.gather(*(self.sees(user, c) for c in asked[:CHANNELS_PER_REQUEST]))
        answers += [None] * (len(asked) - len(answers))
        return {channel for channel, sees in zip(asked, answers, strict=True) if _or(sees, unknown)}

    async def _audience(self, channel: str) -> _Audience | None:
        known = self._known.get(channel)
        if known is not None and known.until > self._clock():
            return known
        asking = self._asking.get(channel)
        if asking is None:  # one look-up per channel, however many people ask at once
            asking = self._asking[channel] = asyncio.ensure_future(self._look_up(channel))
            asking.add_done_callback(lambda _: self._asking.pop(channel, None))
        return await asyncio.shield(asking)

    async def _look_up(self, channel: str) -> _Audience | None:
        async with self._lookups:
            try:
                reply = await slack_call(self._client.conversations_info, channel=channel)
                info = reply.get("channel") or {}
                private = bool(info.get("is_private") or info.get("is_group") or info.get("is_im"))
                members = await self._members(channel) if private else None
            except SlackFailure as failure:
                log.warning("could not tell who sees a channel: %s", failure.reason)
                return None
        now = self._clock()
        if len(self._known) >= CHANNELS_KEPT:
            self._known = {key: value for key, value in self._known.items() if value.until > now}
            if len(self._known) >= CHANNELS_KEPT:
                self._known.pop(next(iter(self._known)))
        name = info.get("name") if isinstance(info.get("name"), str) else None
        audience = self._known[channel] = _Audience(members, now + KEEP_SECONDS, name)
        return audience

    async def _members(self, channel: str) -> frozenset[str]:
        members: list[str] = []
        cursor = None
        for _ in range(MEMBERS_PAGES):
            reply = await slack_call(
                self._client.conversations_members, channel=channel, limit=MEMBERS_PAGE, cursor=cursor
            )
            members += [str(member) for member in reply.get("members") or []]
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return frozenset(members)


def _or(answer: bool | None, unknown: bool) -> bool:
    return unknown if answer is None else answer
