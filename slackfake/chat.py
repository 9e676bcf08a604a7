"""Messages from the app: chat.* as Slack checks and stores them, and what a response_url post or a slash
command's ack does to a channel. The `Workspace` part that holds them (see workspace.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from slackfake.constants import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, TEAM_URL
from slackfake.limits import block_problems
from slackfake.methods import ApiError, Args, Reply, method, required, truthy

MAX_TEXT = 40000


class ChatMixin:
    """The messages part of `Workspace` (which provides these attributes)."""

    users: dict[str, dict[str, Any]]
    members: dict[str, list[str]]
    history: dict[str, list[tuple[Decimal, dict[str, Any]]]]
    ephemerals: dict[str, list[dict[str, Any]]]
    response_targets: dict[str, dict[str, Any]]
    response_uses: dict[str, int]
    channel: Callable[[Any], dict[str, Any]]
    find: Callable[[str, Any], dict[str, Any]]
    find_ephemeral: Callable[[str, Any], dict[str, Any] | None]
    add_message: Callable[[str, dict[str, Any]], dict[str, Any]]
    add_ephemeral: Callable[[str, str, dict[str, Any]], dict[str, Any]]
    next_ts: Callable[[], str]
    changed: Callable[[], None]

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

    # ---- chat --------------------------------------------------------------------------------------

    @method("chat.postMessage")
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

    @method("chat.postEphemeral")
    def _post_ephemeral(self, args: Args) -> Reply:
        info = self._writable(args.get("channel"))
        user = self.users.get(str(required(args, "user")))
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

    @method("chat.update")
    def _update(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], required(args, "ts"))
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

    @method("chat.delete")
    def _delete(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], required(args, "ts"))
        self.history[info["id"]] = [pair for pair in self.history[info["id"]] if pair[1] is not message]
        return {"ok": True, "channel": info["id"], "ts": message["ts"]}

    @method("chat.getPermalink")
    def _permalink(self, args: Args) -> Reply:
        info = self.channel(args.get("channel"))
        message = self.find(info["id"], required(args, "message_ts"))
        link = f"{TEAM_URL}archives/{info['id']}/p{message['ts'].replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            link += f"?thread_ts={thread_ts}&cid={info['id']}"
        return {"ok": True, "channel": info["id"], "permalink": link}

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
