"""The in-memory workspace behind the fake Web API: channels, messages, users, views.

`Workspace.call(method, args)` answers one Web API method the way Slack does (same field names, same
error codes) and is plain synchronous code; the HTTP layer in `server.py` handles transport, auth and
faults. Every public method must be called with `Workspace.lock` held — the server does that.
"""

from __future__ import annotations

import base64
import copy
import threading
from bisect import insort
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from slackfake.limits import block_problems

TEAM_ID = "T0TEST"
TEAM_NAME = "Test"
TEAM_DOMAIN = "test"
TEAM_URL = "https://test.slack.com/"
APP_ID = "A0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
"""The fake workspace's app credentials: what a `.env` pointed at it holds."""
BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-1-test-app-token"
MAX_TEXT = 40000
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
VIEW_MAX_BLOCKS = 100

Args = dict[str, Any]
Reply = dict[str, Any]


class ApiError(Exception):
    """A Slack `ok: false` answer; `extra` adds fields such as `errors` or `response_metadata`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: Reply = {"ok": False, "error": error, **extra}


def truthy(value: Any) -> bool:
    """Slack's reading of a boolean argument (slack_sdk sends form booleans as "1"/"0")."""
    return value in (True, 1, "1", "true", "True")


def ts_key(ts: Any) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        raise ApiError("invalid_ts_latest") from None


def _required(args: Args, name: str) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] missing required field: {name}"]}
        )
    return value


def _limit(args: Args) -> int:
    try:
        limit = int(args.get("limit") or HISTORY_DEFAULT_LIMIT)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    return max(1, min(limit, HISTORY_MAX_LIMIT))


_METHODS: dict[str, Callable[[Workspace, Args], Reply]] = {}


def _method(name: str) -> Callable[[Callable[[Workspace, Args], Reply]], Callable[[Workspace, Args], Reply]]:
    def register(fn: Callable[[Workspace, Args], Reply]) -> Callable[[Workspace, Args], Reply]:
        _METHODS[name] = fn
        return fn

    return register


class Workspace:
    """One fake Slack team with a bot user `UBOT`, default users U123 (alice) and U456 (bob)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.lock = threading.RLock()
        self.now = now
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.removed_channels: set[str] = set()
        self.history: dict[str, list[tuple[Decimal, dict[str, Any]]]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.response_targets: dict[str, dict[str, str | None]] = {}
        self.response_uses: dict[str, int] = {}
        self._last_us = 0
        self._view_seq = 0
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
            return handler(self, args)
        except ApiError as error:
            return error.body

    # ---- configuration -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "UTC",
        **extra: Any,
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": deleted,
            "real_name": name.title(),
            "tz": tz,
            "tz_label": tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": is_admin or is_owner,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {"real_name": name.title(), "display_name": name, "team": TEAM_ID},
            **extra,
        }
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_archived: bool = False,
        is_member: bool = True,
        is_private: bool = False,
    ) -> dict[str, Any]:
        self.removed_channels.discard(channel_id)
        is_im = channel_id.startswith("D")
        info = {
            "id": channel_id,
            "name": name or channel_id.lower(),
            "is_channel": not is_im and not is_private,
            "is_group": is_private,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_private or is_im,
            "is_archived": is_archived,
            "is_general": False,
            "is_member": is_member,
            "is_ext_shared": False,
            "is_org_shared": False,
            "created": 1700000000,
            "creator": "U123",
            "context_team_id": TEAM_ID,
        }
        if is_im:
            info["user"] = "U" + channel_id[1:]
        self.channels[channel_id] = info
        self.history.setdefault(channel_id, [])
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
        return message

    def messages(self, channel: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(message) for _, message in self.history.get(channel, [])]

    # ---- lookups -------------------------------------------------------------------------------

    def channel(self, channel_id: Any) -> dict[str, Any]:
        """The channel, created on first use (tests need not declare channels) unless it was removed."""
        if not channel_id or channel_id in self.removed_channels:
            raise ApiError("channel_not_found")
        channel_id = str(channel_id)
        if channel_id[0] in "UW":  # posting to a user ID posts to the DM with that user
            channel_id = "D" + channel_id[1:]
        return self.channels.get(channel_id) or self.add_channel(channel_id)

    def find(self, channel: str, ts: Any) -> dict[str, Any]:
        key = ts_key(ts)
        for stored_key, message in self.history.get(channel, []):
            if stored_key == key:
                return message
        raise ApiError("message_not_found")

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
        if not info["is_member"]:
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
        if args.get("user") not in self.users:
            raise ApiError("user_not_found")
        self._content(args)
        return {"ok": True, "message_ts": self.next_ts(), "channel": info["id"]}

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
        return {"ok": True, "channel": copy.deepcopy(self.channel(args.get("channel")))}

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
        reply["channel"] = copy.deepcopy(info)
        return reply

    @_method("conversations.open")
    def _open(self, args: Args) -> Reply:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise ApiError("users_list_not_supplied" if not users else "not_implemented")
        if users[0] not in self.users:
            raise ApiError("user_not_found")
        return {"ok": True, "channel": {"id": self.channel(users[0])["id"]}}

    # ---- users -------------------------------------------------------------------------------------

    @_method("users.info")
    def _user_info(self, args: Args) -> Reply:
        user = self.users.get(str(args.get("user")))
        if user is None:
            raise ApiError("user_not_found")
        return {"ok": True, "user": copy.deepcopy(user)}

    # ---- views -------------------------------------------------------------------------------------

    def _view(self, args: Args, *, kind: str | None = None, view_id: str | None = None) -> dict[str, Any]:
        view = _required(args, "view")
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] invalid view type"]})
        if kind is not None and view["type"] != kind:
            raise ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] must be {kind}"]})
        errors = block_problems(view.get("blocks", []), max_blocks=VIEW_MAX_BLOCKS)
        if errors:
            raise ApiError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}" for e in errors]}
            )
        if view_id is None:
            self._view_seq += 1
            view_id = f"V{self._view_seq:08d}"
        stored = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "hash": self.next_ts().replace(".", "") + ".fake",
            **copy.deepcopy(view),
        }
        self.views[view_id] = stored
        return stored

    @_method("views.publish")
    def _publish(self, args: Args) -> Reply:
        user_id = _required(args, "user_id")
        if user_id not in self.users:
            raise ApiError("user_not_found")
        previous = self.home_views.get(user_id)
        view = self._view(args, kind="home", view_id=previous["id"] if previous else None)
        self.home_views[user_id] = view
        return {"ok": True, "view": copy.deepcopy(view)}

    @_method("views.open")
    @_method("views.push")
    def _open_view(self, args: Args) -> Reply:
        _required(args, "trigger_id")
        return {"ok": True, "view": copy.deepcopy(self._view(args, kind="modal"))}

    @_method("views.update")
    def _update_view(self, args: Args) -> Reply:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (v["id"] for v in self.views.values() if v.get("external_id") == args["external_id"]), None
            )
        if not view_id or view_id not in self.views:
            raise ApiError("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise ApiError("hash_conflict")
        return {"ok": True, "view": copy.deepcopy(self._view(args, view_id=view_id))}

    # ---- response_url ------------------------------------------------------------------------------

    def respond(self, name: str, body: Any) -> tuple[int, str]:
        """A POST to response_url `name`: Slack's status and text, applying replace/delete/in_channel."""
        self.response_uses[name] = self.response_uses.get(name, 0) + 1
        if self.response_uses[name] > 5:  # Slack allows five uses of one response_url
            return 404, "used_url"
        if not isinstance(body, dict):
            return 400, "invalid_payload"
        target = self.response_targets.get(name, {})
        channel, message_ts = target.get("channel"), target.get("message_ts")
        try:
            if truthy(body.get("delete_original")):
                if channel and message_ts:
                    self._delete({"channel": channel, "ts": message_ts})
                return 200, "ok"
            content = self._content(body)
            if truthy(body.get("replace_original")) and channel and message_ts:
                self.find(self.channel(channel)["id"], message_ts).update(content)
            elif body.get("response_type") == "in_channel" and channel:
                if body.get("thread_ts"):
                    content["thread_ts"] = str(body["thread_ts"])
                self.add_message(self.channel(channel)["id"], self._bot_message(content))
        except ApiError as error:
            code = error.body["error"]
            return (404 if code == "message_not_found" else 400), code
        return 200, "ok"
