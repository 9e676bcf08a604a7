"""Reading conversations: conversations.* as Slack answers them (history and threads paged by cursor,
channel info, members, joining, opening a DM). The `Workspace` part that holds them (see workspace.py).
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from slackfake.constants import BOT_USER_ID
from slackfake.methods import ApiError, Args, Reply, method, required, truthy, ts_key

HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999


def _limit(args: Args) -> int:
    try:
        limit = int(args.get("limit") or HISTORY_DEFAULT_LIMIT)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    return max(1, min(limit, HISTORY_MAX_LIMIT))


class ConversationsMixin:
    """The conversations part of `Workspace` (which provides these attributes)."""

    channels: dict[str, dict[str, Any]]
    members: dict[str, list[str]]
    history: dict[str, list[tuple[Decimal, dict[str, Any]]]]
    channel: Callable[[Any], dict[str, Any]]
    dm_channel: Callable[[str], dict[str, Any]]
    find: Callable[[str, Any], dict[str, Any]]

    @method("conversations.history")
    def _history(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        top_level = [
            message
            for _, message in self.history[info["id"]]
            if message.get("thread_ts") in (None, message["ts"])
            or message.get("subtype") == "thread_broadcast"
        ]
        return self._page(top_level, args, newest_first=True)

    @method("conversations.replies")
    def _replies(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        parent = self.find(info["id"], required(args, "ts"))
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

    @method("conversations.info")
    def _info(self, args: Args) -> Reply:
        info = copy.deepcopy(self.channel(args.get("channel")))
        if truthy(args.get("include_num_members")) and info["id"] in self.members:
            info["num_members"] = len(self.members[info["id"]])
        return {"ok": True, "channel": info}

    @method("conversations.members")
    def _members(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        members = self.members.get(info["id"], [])
        return {"ok": True, "members": list(members), "response_metadata": {"next_cursor": ""}}

    @method("conversations.join")
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

    @method("conversations.open")
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
