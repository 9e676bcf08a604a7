"""The in-memory workspace behind the fake Web API: channels, messages, users, views.

`Workspace.call(method, args)` answers one Web API method the way Slack does (same field names, same
error codes) and is plain synchronous code; the HTTP layer in `webapi.py` handles transport, auth and
faults. Every public method must be called with `Workspace.lock` held — its callers do that.
"""

from __future__ import annotations

import base64
import copy
import threading
from bisect import insort
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slackfake.constants import (
    APP_ID,
    APP_TOKEN,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    TEAM_DOMAIN,
    TEAM_ID,
    TEAM_NAME,
    TEAM_URL,
)
from slackfake.limits import VIEW_BLOCKS_MAX, block_problems
from slackfake.methods import METHODS, ApiError, Args, Reply, method, truthy, ts_key
from slackfake.methods import required as _required
from slackfake.triggers import DEFAULT_TTL
from slackfake.views import ViewsMixin

__all__ = [
    "APP_ID",
    "APP_TOKEN",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "SIGNING_SECRET",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "TEAM_NAME",
    "TEAM_URL",
    "ApiError",
    "Workspace",
    "truthy",
    "ts_key",
]

MAX_TEXT = 40000
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
VIEW_MAX_BLOCKS = VIEW_BLOCKS_MAX
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


def _limit(args: Args) -> int:
    try:
        limit = int(args.get("limit") or HISTORY_DEFAULT_LIMIT)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    return max(1, min(limit, HISTORY_MAX_LIMIT))


_method = method
_METHODS = METHODS


class Workspace(ViewsMixin):
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
        return method in _METHODS

    def call(self, method: str, args: Args) -> Reply:
        handler = _METHODS.get(method)
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

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "UTC",
        tz_label: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        real_name = real_name or name.title()
        local = datetime.fromtimestamp(self.now(), ZoneInfo(tz))
        offset = local.utcoffset()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz_label or _tz_label(local, tz),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": is_admin or is_owner,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": real_name,
                "display_name": name,
                "real_name_normalized": real_name,
                "display_name_normalized": name,
                "team": TEAM_ID,
            },
            **extra,
        }
        if is_bot and user_id == BOT_USER_ID:
            user["profile"]["bot_id"] = BOT_ID
            user["profile"]["api_app_id"] = APP_ID
        self.users[user_id] = user
        self.changed()
        return user

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

    def add_usergroup(
        self, group_id: str, handle: str, users: list[str], *, name: str | None = None, disabled: bool = False
    ) -> dict[str, Any]:
        group = {
            "id": group_id,
            "team_id": TEAM_ID,
            "is_usergroup": True,
            "name": name or handle.title(),
            "handle": handle,
            "date_delete": 1700000000 if disabled else 0,
            "users": list(users),
            "user_count": len(users),
        }
        self.usergroups[group_id] = group
        return group

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

    # ---- content checks ------------------------------------------------------------------------

    def _content(self, args: Args, *, require: bool = True) -> dict[str, Any]:
        """text / blocks / attachments / metadata of a chat.* call, validated like Slack does."""
        text, blocks = args.get("text"), args.get("blocks")
        if require and not text and not blocks and not args.get("attachments"):
            raise ApiError("no_text")
        if text is not None and len(str(text)) > MAX_TEXT:
            raise ApiError("msg_too_long")
        content: dict[str, Any] = {}
        if text is not None:
            content["text"] = str(text)
        if blocks is not None:
            errors = block_problems(blocks)
            if errors:
                raise ApiError(
                    "invalid_blocks",
                    errors=errors,
                    response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
                )
            content["blocks"] = blocks
        if args.get("attachments") is not None:
            content["attachments"] = args["attachments"]
        metadata = args.get("metadata")
        if metadata is not None:
            if not (
                isinstance(metadata, dict)
                and isinstance(metadata.get("event_type"), str)
                and isinstance(metadata.get("event_payload", {}), dict)
            ):
                raise ApiError("invalid_metadata_format")
            content["metadata"] = metadata
        return content

    def _writable(self, channel_id: Any) -> dict[str, Any]:
        info = self.channel(channel_id)
        if info["is_archived"]:
            raise ApiError("is_archived")
        if info["is_im"]:
            other = self.users.get(info["user"])
            if other is not None and other.get("is_bot"):
                raise ApiError("cannot_dm_bot")
            if other is not None and other.get("deleted"):
                raise ApiError("user_disabled")
        elif not info["is_member"]:
            raise ApiError("not_in_channel")
        return info

    def _bot_message(self, content: dict[str, Any]) -> dict[str, Any]:
        return {
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            **content,
            "bot_profile": {"id": BOT_ID, "app_id": APP_ID, "name": "bot", "team_id": TEAM_ID},
        }

    # ---- auth / apps -----------------------------------------------------------------------------

    @_method("auth.test")
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

    @_method("apps.connections.open")
    def _connections_open(self, args: Args) -> Reply:
        # The URL itself is filled in by the server, which knows its port.
        return {"ok": True}

    # ---- chat --------------------------------------------------------------------------------------

    @_method("chat.postMessage")
    def _post_message(self, args: Args) -> Reply:
        info = self._writable(args.get("channel"))
        content = self._content(args)
        thread_ts = args.get("thread_ts")
        if thread_ts:
            content["thread_ts"] = str(thread_ts)
            if truthy(args.get("reply_broadcast")):
                content["subtype"] = "thread_broadcast"
        message = self.add_message(info["id"], self._bot_message(content))
        return {"ok": True, "channel": info["id"], "ts": message["ts"], "message": copy.deepcopy(message)}

    @_method("chat.postEphemeral")
    def _post_ephemeral(self, args: Args) -> Reply:
        info = self._writable(args.get("channel"))
        user = self.users.get(str(_required(args, "user")))
        if user is None or user.get("deleted"):
            raise ApiError("user_not_found")
        members = self.members.get(info["id"])
        if members is not None and user["id"] not in members:
            raise ApiError("user_not_in_channel")
        content = self._content(args)
        if args.get("thread_ts"):
            content["thread_ts"] = str(args["thread_ts"])
        message = self.add_ephemeral(info["id"], user["id"], content)
        return {"ok": True, "message_ts": message["ts"], "channel": info["id"]}

    @_method("chat.update")
    def _update(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], _required(args, "ts"))
        if message.get("user") != BOT_USER_ID:
            raise ApiError("cant_update_message")
        content = self._content(args, require=False)
        message.update(content)
        message["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}
        return {
            "ok": True,
            "channel": info["id"],
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    @_method("chat.delete")
    def _delete(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], _required(args, "ts"))
        self.history[info["id"]] = [pair for pair in self.history[info["id"]] if pair[1] is not message]
        return {"ok": True, "channel": info["id"], "ts": message["ts"]}

    @_method("chat.getPermalink")
    def _permalink(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], _required(args, "message_ts"))
        link = f"{TEAM_URL}archives/{info['id']}/p{message['ts'].replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            link += f"?thread_ts={thread_ts}&cid={info['id']}"
        return {"ok": True, "channel": info["id"], "permalink": link}

    # ---- conversations -----------------------------------------------------------------------------

    @_method("conversations.history")
    def _history(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        top_level = [
            message
            for _, message in self.history[info["id"]]
            if message.get("thread_ts") in (None, message["ts"])
            or message.get("subtype") == "thread_broadcast"
        ]
        return self._page(top_level, args, newest_first=True)

    @_method("conversations.replies")
    def _replies(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        parent = self.find(info["id"], _required(args, "ts"))
        thread = [parent] + [
            message
            for _, message in self.history[info["id"]]
            if message.get("thread_ts") == parent["ts"] and message is not parent
        ]
        return self._page(thread, args, newest_first=False)

    def _page(self, messages: list[dict[str, Any]], args: Args, *, newest_first: bool) -> Reply:
        """Apply oldest / latest / inclusive / limit / cursor / include_all_metadata like Slack."""
        inclusive = truthy(args.get("inclusive"))
        oldest = ts_key(args.get("oldest") or 0)
        latest = ts_key(args["latest"]) if args.get("latest") else None
        cursor = args.get("cursor")
        after = ts_key(base64.b64decode(cursor).decode().split(":", 1)[1]) if cursor else None

        def wanted(message: dict[str, Any]) -> bool:
            key = ts_key(message["ts"])
            above = key >= oldest if inclusive else key > oldest
            below = latest is None or (key <= latest if inclusive else key < latest)
            past_cursor = after is None or (key < after if newest_first else key > after)
            return above and below and past_cursor

        selected = [m for m in messages if wanted(m)]
        if newest_first:
            selected.reverse()
        limit = _limit(args)
        page, has_more = selected[:limit], len(selected) > limit
        with_metadata = truthy(args.get("include_all_metadata"))
        reply: Reply = {
            "ok": True,
            "messages": [self._shown(m, with_metadata) for m in page],
            "has_more": has_more,
        }
        if has_more:
            next_cursor = base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode()
            reply["response_metadata"] = {"next_cursor": next_cursor}
        return reply

    @staticmethod
    def _shown(message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        shown = copy.deepcopy(message)
        if not with_metadata:
            shown.pop("metadata", None)
        return shown

    @_method("conversations.info")
    def _info(self, args: Args) -> Reply:
        info = copy.deepcopy(self.channel(args.get("channel")))
        if truthy(args.get("include_num_members")) and info["id"] in self.members:
            info["num_members"] = len(self.members[info["id"]])
        return {"ok": True, "channel": info}

    @_method("conversations.members")
    def _members(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        members = self.members.get(info["id"], [])
        return {"ok": True, "members": list(members), "response_metadata": {"next_cursor": ""}}

    @_method("conversations.join")
    def _join(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        if info["is_archived"]:
            raise ApiError("is_archived")
        if info["is_im"] or info["is_private"]:
            raise ApiError("method_not_supported_for_channel_type")
        reply: Reply = {"ok": True, "channel": None}
        if info["is_member"]:
            reply["warning"] = "already_in_channel"
            reply["response_metadata"] = {"warnings": ["already_in_channel"]}
        info["is_member"] = True
        if info["id"] in self.members and BOT_USER_ID not in self.members[info["id"]]:
            self.members[info["id"]].append(BOT_USER_ID)
        reply["channel"] = copy.deepcopy(info)
        return reply

    @_method("conversations.open")
    def _open(self, args: Args) -> Reply:
        if args.get("channel"):
            info = self.channel(args["channel"])
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": info["id"]}}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise ApiError("users_list_not_supplied")
        if len(users) > 1:
            raise ApiError("not_implemented")  # group DMs are not part of the fake
        existed = ("D" + users[0][1:]) in self.channels
        info = self.dm_channel(users[0])
        channel = copy.deepcopy(info) if truthy(args.get("return_im")) else {"id": info["id"]}
        reply: Reply = {"ok": True, "channel": channel}
        if existed:
            reply.update(no_op=True, already_open=True)
        return reply

    # ---- users -------------------------------------------------------------------------------------

    @_method("users.info")
    def _user_info(self, args: Args) -> Reply:
        """Deactivated users are still found, with `deleted: true`, as in Slack."""
        user = self.users.get(str(_required(args, "user")))
        if user is None:
            raise ApiError("user_not_found")
        return {"ok": True, "user": copy.deepcopy(user)}

    @_method("users.list")
    def _users_list(self, args: Args) -> Reply:
        members = [copy.deepcopy(u) for u in self.users.values()]
        return {"ok": True, "members": members, "cache_ts": int(self.now()), "response_metadata": {}}

    @_method("usergroups.list")
    def _usergroups_list(self, args: Args) -> Reply:
        groups = [
            copy.deepcopy(g)
            for g in self.usergroups.values()
            if truthy(args.get("include_disabled")) or not g["date_delete"]
        ]
        if not truthy(args.get("include_users")):
            for group in groups:
                group.pop("users")
        return {"ok": True, "usergroups": groups}

    @_method("usergroups.users.list")
    def _usergroup_users(self, args: Args) -> Reply:
        group = self.usergroups.get(str(_required(args, "usergroup")))
        if group is None:
            raise ApiError("no_such_subteam")
        return {"ok": True, "users": list(group["users"])}

    # ---- response_url ------------------------------------------------------------------------------

    def respond(self, name: str, body: Any) -> tuple[int, str]:
        """A POST to response_url `name`: Slack's status and text, applying replace/delete/in_channel.

        The URL's target (see `FakeSlack.response_url`) says which channel it answers in, which message
        the interaction came from (`message_ts`, an ephemeral one when `ephemeral`) and for whom (`user`):
        with a user, ephemeral answers are kept as ephemeral messages that person sees.
        """
        if name not in self.response_targets:
            return 404, "no_service"  # a URL the fake never handed out
        self.response_uses[name] = self.response_uses.get(name, 0) + 1
        if self.response_uses[name] > 5:  # Slack allows five uses of one response_url
            return 404, "used_url"
        if not isinstance(body, dict):
            return 400, "invalid_payload"
        target = self.response_targets.get(name, {})
        channel, message_ts = target.get("channel"), target.get("message_ts")
        user, ephemeral = target.get("user"), bool(target.get("ephemeral"))
        in_channel = body.get("response_type") == "in_channel"
        try:
            if truthy(body.get("delete_original")):
                if channel and message_ts:
                    self._delete_original(channel, message_ts, ephemeral=ephemeral)
                return 200, "ok"
            content = self._content(body)
            if body.get("thread_ts"):
                content["thread_ts"] = str(body["thread_ts"])
            if truthy(body.get("replace_original")) and channel and message_ts:
                self._replace_original(channel, message_ts, content, ephemeral=ephemeral)
            elif in_channel and channel:
                self.add_message(self.channel(channel)["id"], self._bot_message(content))
            elif channel and user:
                self.add_ephemeral(self.channel(channel)["id"], user, content)
        except ApiError as error:
            code = error.body["error"]
            return (404 if code == "message_not_found" else 400), code
        self.changed()
        return 200, "ok"

    def _replace_original(self, channel: str, ts: str, content: dict[str, Any], *, ephemeral: bool) -> None:
        channel_id = self.channel(channel)["id"]
        if ephemeral:
            original = self.find_ephemeral(channel_id, ts)
            if original is None:
                raise ApiError("message_not_found")
            for key in ("blocks", "attachments", "text"):
                original.pop(key, None)
            original.update(content)
            return
        message = self.find(channel_id, ts)
        for key in ("blocks", "attachments"):
            message.pop(key, None)
        message.update(content)
        message["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}

    def _delete_original(self, channel: str, ts: str, *, ephemeral: bool) -> None:
        channel_id = self.channel(channel)["id"]
        if ephemeral:
            original = self.find_ephemeral(channel_id, ts)
            if original is not None:
                self.ephemerals[channel_id].remove(original)
            return
        self._delete({"channel": channel_id, "ts": ts})

    def apply_command_ack(self, channel: str, user: str, command: str, text: str, ack: Any) -> str:
        """What Slack shows after a slash command's ack: nothing, an ephemeral reply, or (in_channel)
        the invocation and the reply in the channel; returns "none", "ephemeral" or "in_channel"."""
        if not isinstance(ack, dict) or not (ack.get("text") or ack.get("blocks") or ack.get("attachments")):
            return "none"
        try:
            content = self._content(ack)
        except ApiError:
            return "none"  # Slack shows the person an error and nothing is posted
        channel_id = self.channel(channel)["id"]
        if ack.get("response_type") == "in_channel":
            self.add_message(channel_id, {"user": user, "text": f"{command} {text}".strip()})
            self.add_message(channel_id, self._bot_message(content))
            return "in_channel"
        self.add_ephemeral(channel_id, user, content)
        return "ephemeral"


def _tz_label(local: datetime, tz: str) -> str:
    """Slack's label, e.g. "Central European Time"; spelled out for common zones, else the tz name."""
    abbreviation = local.tzname() or tz
    return TZ_LABELS.get(abbreviation, abbreviation)


TZ_LABELS = {
    "UTC": "Coordinated Universal Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}
