"""What tests put into the fake workspace and read back out of it, each under the workspace's lock."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from slackfake.constants import BOT_ID, BOT_USER_ID
from slackfake.methods import ts_key
from slackfake.workspace import Workspace


class Contents:
    """People, channels, messages, modals and Home tabs of the current workspace; copies, never the
    workspace's own objects."""

    def __init__(self, workspace: Callable[[], Workspace]) -> None:
        self._workspace = workspace

    # ---- setting the scene -------------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Add or replace a user for users.info: `name`, `is_admin`, `is_owner`, `is_bot`, `deleted`, `tz`."""
        ws = self._workspace()
        with ws.lock:
            return ws.add_user(user_id, **fields)

    def add_channel(self, channel_id: str, **fields: Any) -> dict[str, Any]:
        """Configure a channel: `name`, `is_archived`, `is_member`, `is_private`.

        Channels not configured come into existence on first use as public channels the bot is in.
        """
        ws = self._workspace()
        with ws.lock:
            return ws.add_channel(channel_id, **fields)

    def remove_channel(self, channel_id: str) -> None:
        """From now on every method answers channel_not_found for this channel."""
        ws = self._workspace()
        with ws.lock:
            ws.removed_channels.add(channel_id)

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = "U123",
        bot: bool = False,
        ts: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Seed history: a message by `user` (or by the bot when `bot`), e.g. `metadata=`, `thread_ts=`."""
        message: dict[str, Any] = {"text": text, "user": BOT_USER_ID if bot else user, **fields}
        if bot:
            message["bot_id"] = BOT_ID
        if ts is not None:
            message["ts"] = ts
        ws = self._workspace()
        with ws.lock:
            return copy.deepcopy(ws.add_message(channel, message))

    def add_usergroup(self, group_id: str, handle: str, users: list[str], **fields: Any) -> dict[str, Any]:
        """A user group (`S…`) for usergroups.users.list / usergroups.list: `name`, `disabled`."""
        ws = self._workspace()
        with ws.lock:
            return copy.deepcopy(ws.add_usergroup(group_id, handle, users, **fields))

    def issue_trigger(self, user: str) -> str:
        """A trigger_id issued to `user` now (by the fake's clock), as a click would give the app."""
        ws = self._workspace()
        with ws.lock:
            return ws.issue_trigger(user)

    @property
    def trigger_ttl(self) -> float:
        return self._workspace().trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self._workspace().trigger_ttl = seconds

    # ---- reading it back ---------------------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every stored message of the channel, thread replies included, oldest first."""
        ws = self._workspace()
        with ws.lock:
            return ws.messages(channel)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        key = ts_key(ts)
        return next((m for m in self.messages(channel) if ts_key(m["ts"]) == key), None)

    def ephemerals(self, channel: str, user: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages in the channel (for `user` only, if given): chat.postEphemeral, ephemeral
        acks and response_url answers of people acting through the fake."""
        ws = self._workspace()
        with ws.lock:
            return ws.ephemeral_messages(ws.channel(channel)["id"], user)

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        """The user's open modals, root first (empty when none is open)."""
        ws = self._workspace()
        with ws.lock:
            return ws.modal_stack(user)

    def view(self, view_id: str) -> dict[str, Any] | None:
        ws = self._workspace()
        with ws.lock:
            return copy.deepcopy(ws.views.get(view_id))

    def view_errors(self, view_id: str) -> dict[str, str]:
        """Field errors the app answered a submission of this view with (block_id -> message)."""
        ws = self._workspace()
        with ws.lock:
            return dict(ws.view_errors.get(view_id, {}))

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for the user."""
        ws = self._workspace()
        with ws.lock:
            return copy.deepcopy(ws.home_views.get(user_id))
