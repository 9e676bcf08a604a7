"""The in-memory workspace behind the fake Web API: channels, messages, users, views.

Its parts hold the Web API methods by family: messages (chat.py), conversations (conversations.py),
people (people.py), modals and the Home tab (views.py); this module holds the state they share, the
channels and the messages in them, and auth.test. `Workspace.call(method, args)` answers one Web API
method the way Slack does (same field names, same error codes) and is plain synchronous code; the HTTP
layer in `webapi.py` handles transport, auth and faults. Every public method must be called with
`Workspace.lock` held — its callers do that.
"""

from __future__ import annotations

import copy
import threading
from bisect import insort
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from slackfake.chat import ChatMixin
from slackfake.constants import BOT_ID, BOT_USER_ID, TEAM_ID, TEAM_NAME, TEAM_URL
from slackfake.conversations import ConversationsMixin
from slackfake.methods import METHODS, ApiError, Args, Reply, method, ts_key
from slackfake.people import PeopleMixin
from slackfake.triggers import DEFAULT_TTL
from slackfake.views import ViewsMixin

READ_ONLY = frozenset(
    {
        "auth.test",
        "apps.connections.open",
        "chat.getPermalink",
        "conversations.history",
        "conversations.replies",
        "conversations.info",
        "conversations.members",
        "users.info",
        "users.list",
        "usergroups.list",
        "usergroups.users.list",
    }
)
"""Methods that change nothing: the rest bump `Workspace.version`."""


class Workspace(ChatMixin, ConversationsMixin, PeopleMixin, ViewsMixin):
    """One fake Slack team with a bot user `UBOT`, default users U123 (alice) and U456 (bob).

    `strict_channels`: a channel nobody declared (`add_channel`) answers channel_not_found, as in Slack;
    by default it comes into existence on first use, so tests need not declare channels.
    """

    def __init__(
        self,
        now: Callable[[], float],
        *,
        strict_channels: bool = False,
        trigger_ttl: float = DEFAULT_TTL,
        default_users: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.now = now
        self.strict_channels = strict_channels
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}
        self.removed_channels: set[str] = set()
        self.history: dict[str, list[tuple[Decimal, dict[str, Any]]]] = {}
        self.ephemerals: dict[str, list[dict[str, Any]]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}
        self.response_targets: dict[str, dict[str, Any]] = {}
        self.response_uses: dict[str, int] = {}
        self.version = 0
        """Goes up with every change (a message, a view, ...): watchers compare it to see news."""
        self._last_us = 0
        self._init_views(trigger_ttl)
        if default_users:
            self.add_user("U123", name="alice")
            self.add_user("U456", name="bob")
        self.add_user(BOT_USER_ID, name="bot", is_bot=True)

    @staticmethod
    def knows(method: str) -> bool:
        return method in METHODS

    def call(self, method: str, args: Args) -> Reply:
        handler = METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method", "req_method": method}
        try:
            reply = handler(self, args)
        except ApiError as error:
            return error.body
        if method not in READ_ONLY:
            self.changed()
        return reply

    def changed(self) -> None:
        self.version += 1

    # ---- configuration -------------------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_archived: bool = False,
        is_member: bool = True,
        is_private: bool = False,
        creator: str = "U123",
        user: str | None = None,
        members: list[str] | None = None,
        topic: str = "",
        purpose: str = "",
        is_general: bool = False,
    ) -> dict[str, Any]:
        """A channel (C…, private G…/is_private) or, for an ID starting with D, the bot's DM with `user`."""
        self.removed_channels.discard(channel_id)
        is_im = channel_id.startswith("D")
        info: dict[str, Any] = {
            "id": channel_id,
            "created": 1700000000,
            "is_archived": is_archived,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_private or is_im,
            "is_org_shared": False,
            "context_team_id": TEAM_ID,
        }
        if is_im:
            info.update(user=user or "U" + channel_id[1:], is_open=True, is_user_deleted=False, priority=0)
        else:
            info.update(
                name=name or channel_id.lower(),
                name_normalized=name or channel_id.lower(),
                is_channel=not is_private,
                is_group=is_private,
                is_general=is_general,
                is_member=is_member,
                is_ext_shared=False,
                is_shared=False,
                creator=creator,
                topic={"value": topic, "creator": creator if topic else "", "last_set": 0},
                purpose={"value": purpose, "creator": creator if purpose else "", "last_set": 0},
            )
        self.channels[channel_id] = info
        self.history.setdefault(channel_id, [])
        if members is not None:
            self.members[channel_id] = list(dict.fromkeys(members))
        elif is_im:
            self.members[channel_id] = [info["user"], BOT_USER_ID]
        self.changed()
        return info

    def next_ts(self) -> str:
        micros = max(int(self.now() * 1_000_000), self._last_us + 1)
        self._last_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def add_message(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        """Store `message` (its `ts` is assigned when missing) and keep the thread's parent up to date."""
        self.channel(channel)
        message = {"type": "message", "team": TEAM_ID, **message}
        message.setdefault("ts", self.next_ts())
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            self._count_reply(channel, thread_ts, message)
        insort(self.history[channel], (ts_key(message["ts"]), message), key=lambda pair: pair[0])
        self.changed()
        return message

    def add_ephemeral(self, channel: str, user: str, content: dict[str, Any]) -> dict[str, Any]:
        """An ephemeral bot message only `user` sees in `channel` (not in history, as in Slack)."""
        message = {
            **self._bot_message(content),
            "type": "message",
            "subtype": "bot_message",
            "ts": self.next_ts(),
            "is_ephemeral": True,
            "visible_to": user,
        }
        self.ephemerals.setdefault(channel, []).append(message)
        self.changed()
        return message

    def messages(self, channel: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(message) for _, message in self.history.get(channel, [])]

    def ephemeral_messages(self, channel: str, user: str | None = None) -> list[dict[str, Any]]:
        return [
            copy.deepcopy(m)
            for m in self.ephemerals.get(channel, [])
            if user is None or m["visible_to"] == user
        ]

    # ---- lookups -------------------------------------------------------------------------------

    def channel(self, channel_id: Any) -> dict[str, Any]:
        """The channel; unknown ones are created on first use unless `strict_channels` (or removed).

        A user ID stands for the bot's DM with that user, as in chat.postMessage.
        """
        if not channel_id or channel_id in self.removed_channels:
            raise ApiError("channel_not_found")
        channel_id = str(channel_id)
        if channel_id[0] in "UW":
            if channel_id in self.users:
                return self.dm_channel(channel_id)
            if self.strict_channels:
                raise ApiError("channel_not_found")
            channel_id = "D" + channel_id[1:]
        known = self.channels.get(channel_id)
        if known is not None:
            return known
        if self.strict_channels:
            raise ApiError("channel_not_found")
        return self.add_channel(channel_id)

    def dm_channel(self, user_id: str) -> dict[str, Any]:
        """The bot's DM with a user (opened on first use); Slack's errors for users it cannot DM."""
        user = self.users.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user.get("is_bot"):
            raise ApiError("cannot_dm_bot")
        if user.get("deleted"):
            raise ApiError("user_disabled")
        channel_id = "D" + user_id[1:]
        return self.channels.get(channel_id) or self.add_channel(channel_id, user=user_id)

    def find(self, channel: str, ts: Any) -> dict[str, Any]:
        key = ts_key(ts)
        for stored_key, message in self.history.get(channel, []):
            if stored_key == key:
                return message
        raise ApiError("message_not_found")

    def find_ephemeral(self, channel: str, ts: Any) -> dict[str, Any] | None:
        return next((m for m in self.ephemerals.get(channel, []) if m["ts"] == str(ts)), None)

    def _count_reply(self, channel: str, thread_ts: str, reply: dict[str, Any]) -> None:
        try:
            parent = self.find(channel, thread_ts)
        except ApiError:
            return
        parent["thread_ts"] = parent["ts"]
        parent["reply_count"] = parent.get("reply_count", 0) + 1
        users = parent.setdefault("reply_users", [])
        if reply.get("user") and reply["user"] not in users:
            users.append(reply["user"])
        parent["reply_users_count"] = len(users)
        parent["latest_reply"] = reply["ts"]

    # ---- auth / apps -----------------------------------------------------------------------------

    @method("auth.test")
    def _auth_test(self, args: Args) -> Reply:
        return {
            "ok": True,
            "url": TEAM_URL,
            "team": TEAM_NAME,
            "user": "bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    @method("apps.connections.open")
    def _connections_open(self, args: Args) -> Reply:
        # The URL itself is filled in by the server, which knows its port.
        return {"ok": True}
