"""People acting in the fake workspace: what Slack sends the app when someone types, clicks or submits, and
what Slack then does with the app's acknowledgement.

Each action exists three ways on `FakeSlack`: `fake.command(...)` blocks the calling thread (synchronous
tests), `await fake.command_async(...)` waits without blocking the caller's event loop (asyncio tests whose
loop runs the app), and the coroutine `fake.act.command(...)` runs on the fake's own loop (its HTTP handlers,
such as the playground's). Requests reach the app over Socket Mode, or over HTTP when
`fake.set_request_url(...)` names the app's request URL, and carry trigger_ids and response_urls the fake
knows: a modal opened with the trigger_id lands on that person's modal stack, a response_url answer lands in
that channel (ephemeral answers as messages only that person sees).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from slackfake import requests as build
from slackfake.constants import BOT_USER_ID
from slackfake.delivery import Delivery
from slackfake.response_urls import ResponseUrls
from slackfake.views import state_entry, state_values
from slackfake.workspace import Workspace

STATELESS = frozenset({"button", "overflow", "image", "workflow_button"})


def find_element(blocks: Any, action_id: str) -> tuple[str, dict[str, Any]] | None:
    """(block_id, element) of the interactive element with `action_id` in `blocks`."""
    for block in blocks or []:
        if not isinstance(block, Mapping):
            continue
        candidates: list[Any] = []
        if block.get("type") == "actions":
            candidates = list(block.get("elements") or [])
        elif block.get("type") == "section" and isinstance(block.get("accessory"), Mapping):
            candidates = [block["accessory"]]
        elif block.get("type") == "input" and isinstance(block.get("element"), Mapping):
            candidates = [block["element"]]
        for element in candidates:
            if isinstance(element, Mapping) and element.get("action_id") == action_id:
                return str(block.get("block_id") or ""), dict(element)
    return None


def action_of(block_id: str, element: Mapping[str, Any], value: Any = None) -> dict[str, Any]:
    """The `actions[0]` Slack reports when a person uses `element` (choosing `value` in a menu)."""
    kind = element.get("type")
    action: dict[str, Any] = {"action_id": element.get("action_id"), "block_id": block_id, "type": kind}
    if kind == "button":
        action["text"] = copy.deepcopy(element.get("text"))
        if "value" in element:
            action["value"] = element["value"]
        if "style" in element:
            action["style"] = element["style"]
        return action
    action.update(state_entry(element, value))
    if "placeholder" in element:
        action["placeholder"] = copy.deepcopy(element["placeholder"])
    return action


class Acting:
    """The coroutines behind the actions; they run on the fake's loop (see the module docstring)."""

    def __init__(
        self, workspace: Callable[[], Workspace], delivery: Delivery, response_urls: ResponseUrls
    ) -> None:
        self._workspace = workspace
        self._delivery = delivery
        self._response_urls = response_urls
        self.view_outcomes: list[tuple[str, str]] = []
        """(view_id, outcome) of every submission made through `submit_view`, in order."""

    @property
    def ws(self) -> Workspace:
        return self._workspace()

    def _user_name(self, user: str) -> str:
        with self.ws.lock:
            known = self.ws.users.get(user)
        return str(known["name"]) if known else user.lower()

    def _channel(self, channel: str) -> dict[str, Any]:
        with self.ws.lock:
            return copy.deepcopy(self.ws.channel(channel))

    def _trigger(self, user: str) -> str:
        with self.ws.lock:
            return str(self.ws.issue_trigger(user))

    # ---- actions -----------------------------------------------------------------------------------

    async def command(self, user: str, channel: str, command: str, text: str = "") -> dict[str, Any]:
        """`user` runs `command text` in `channel`; returns the ack's payload, which Slack then shows
        (ephemeral by default, or in_channel with the invocation) — later answers use the response_url."""
        info = self._channel(channel)
        fields = build.slash_command(
            command,
            text,
            user_id=user,
            user_name=self._user_name(user),
            channel_id=info["id"],
            channel_name=info.get("name", "directmessage"),
            response_url=self._response_urls.issue(info["id"], user),
            trigger_id=self._trigger(user),
        )
        ack = await self._delivery.deliver("slash_commands", fields)
        with self.ws.lock:
            self.ws.apply_command_ack(info["id"], user, command, text, ack)
        return ack

    async def say(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None, broadcast: bool = False
    ) -> dict[str, Any]:
        """`user` writes `text` in `channel` (or a thread): stored, then the events Slack sends for it —
        `message.im` in a DM, `app_mention` when it mentions the bot, `message.channels` / `.groups`.
        `broadcast`: a thread reply also sent to the channel."""
        info = self._channel(channel)
        message: dict[str, Any] = {
            "user": user,
            "text": text,
            "client_msg_id": str(uuid.uuid4()),
            "blocks": build._rich_text(text),
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
            if broadcast:
                message["subtype"] = "thread_broadcast"
        with self.ws.lock:
            stored = copy.deepcopy(self.ws.add_message(info["id"], message))
        ts = stored["ts"]
        channel_type = "im" if info["is_im"] else "group" if info["is_private"] else "channel"
        event = build.message_event(
            text, user=user, channel=info["id"], channel_type=channel_type, ts=ts, thread_ts=thread_ts
        )
        await self._delivery.deliver("events_api", event)
        if not info["is_im"] and f"<@{BOT_USER_ID}>" in text:
            mention = build.app_mention_event(text, user=user, channel=info["id"], ts=ts, thread_ts=thread_ts)
            await self._delivery.deliver("events_api", mention)
        return stored

    def _message(self, channel_id: str, ts: str, user: str) -> tuple[dict[str, Any], bool]:
        with self.ws.lock:
            ephemeral = self.ws.find_ephemeral(channel_id, ts)
            if ephemeral is not None and ephemeral["visible_to"] == user:
                return copy.deepcopy(ephemeral), True
            return copy.deepcopy(self.ws.find(channel_id, ts)), False

    async def click(
        self, user: str, channel: str, ts: str, action_id: str, value: Any = None
    ) -> dict[str, Any]:
        """`user` uses the element `action_id` of message `ts` (a button, or a menu choosing `value`)."""
        info = self._channel(channel)
        message, ephemeral = self._message(info["id"], ts, user)
        found = find_element(message.get("blocks"), action_id)
        if found is None:
            raise LookupError(f"no element {action_id!r} in message {ts}")
        block_id, element = found
        state = None
        if element.get("type") not in STATELESS:
            with self.ws.lock:
                state = self._message_state(message, {f"{block_id}.{action_id}": value})
        payload = build.block_action(
            action_id,
            "",
            user_id=user,
            user_name=self._user_name(user),
            channel_id=info["id"],
            message_ts=ts,
            message=None if ephemeral else message,
            container="ephemeral" if ephemeral else "message",
            response_url=self._response_urls.issue(info["id"], user, message_ts=ts, ephemeral=ephemeral),
            action=action_of(block_id, element, value),
            state=state,
            trigger_id=self._trigger(user),
        )
        payload["channel"]["name"] = info.get("name", "directmessage")
        return await self._delivery.deliver("interactive", payload)

    @staticmethod
    def _message_state(message: Mapping[str, Any], entered: Mapping[str, Any]) -> dict[str, Any]:
        return state_values(message.get("blocks"), entered)

    async def click_in_view(
        self, user: str, view_id: str, action_id: str, value: Any = None
    ) -> dict[str, Any]:
        """`user` uses an element of a modal or of their Home tab (`view_id`)."""
        with self.ws.lock:
            view = self.ws.views.get(view_id)
            if view is None:
                raise LookupError(f"no view {view_id}")
            found = find_element(view.get("blocks"), action_id)
            if found is None:
                raise LookupError(f"no element {action_id!r} in view {view_id}")
            block_id, element = found
            if element.get("type") not in STATELESS:
                view = self.ws.enter_values(view_id, {f"{block_id}.{action_id}": value})
            view = copy.deepcopy(view)
        payload = build.block_action(
            action_id,
            "",
            user_id=user,
            user_name=self._user_name(user),
            container="view",
            view=view,
            action=action_of(block_id, element, value),
            state=view["state"]["values"],
            trigger_id=self._trigger(user),
        )
        return await self._delivery.deliver("interactive", payload)

    async def submit_view(
        self, user: str, values: Mapping[str, Any] | None = None, *, view_id: str | None = None
    ) -> tuple[dict[str, Any], str]:
        """`user` fills in `values` (action_id or "block_id.action_id" -> value) and presses Submit on
        their top modal; returns the ack's payload and what it did to the stack (`after_submission`)."""
        with self.ws.lock:
            top = self.ws.top_modal(user) if view_id is None else self.ws.views.get(view_id)
            if top is None:
                raise LookupError(f"{user} has no modal open")
            view = self.ws.enter_values(top["id"], values or {})
        payload = build.view_submission(
            view, view["state"]["values"], user_id=user, user_name=self._user_name(user)
        )
        payload["trigger_id"] = self._trigger(user)
        ack = await self._delivery.deliver("interactive", payload)
        with self.ws.lock:
            outcome = self.ws.after_submission(user, view["id"], ack)
        self.view_outcomes.append((view["id"], outcome))
        return ack, outcome

    async def close_view(self, user: str, *, all_views: bool = False) -> dict[str, Any] | None:
        """`user` closes their top modal (or all); the app hears of it when the view asked
        (`notify_on_close`). Returns that ack's payload, or None when nothing was sent."""
        with self.ws.lock:
            closed = self.ws.close_modal(user, all_views=all_views)
        notify = next((v for v in closed if v.get("notify_on_close")), None)
        if notify is None:
            return None
        payload = build.view_closed(notify, user_id=user, is_cleared=len(closed) > 1)
        return await self._delivery.deliver("interactive", payload)

    async def open_home(self, user: str, tab: str = "home") -> None:
        """`user` opens the app's Home (tab "home") or Messages tab: `app_home_opened`."""
        with self.ws.lock:
            dm = self.ws.dm_channel(user)["id"]
            view = copy.deepcopy(self.ws.home_views.get(user)) if tab == "home" else None
        await self._delivery.deliver(
            "events_api", build.app_home_opened_event(user, channel=dm, tab=tab, view=view)
        )

    async def message_shortcut(self, user: str, channel: str, ts: str, callback_id: str) -> dict[str, Any]:
        """`user` picks the app's message shortcut `callback_id` from the "…" menu of message `ts`."""
        info = self._channel(channel)
        message, _ = self._message(info["id"], ts, user)
        payload = build.message_action(
            callback_id,
            message,
            user_id=user,
            channel_id=info["id"],
            channel_name=info.get("name", "directmessage"),
            response_url=self._response_urls.issue(info["id"], user),
            trigger_id=self._trigger(user),
        )
        payload["user"]["name"] = self._user_name(user)
        return await self._delivery.deliver("interactive", payload)

    async def global_shortcut(self, user: str, callback_id: str) -> dict[str, Any]:
        """`user` runs the app's global shortcut `callback_id`."""
        payload = build.global_shortcut(callback_id, user_id=user, trigger_id=self._trigger(user))
        return await self._delivery.deliver("interactive", payload)

    async def join(self, user: str, channel: str, *, inviter: str | None = None) -> None:
        """`user` joins `channel`: a join message, then `member_joined_channel`."""
        with self.ws.lock:
            info = self.ws.channel(channel)
            members = self.ws.members.setdefault(info["id"], [])
            if user not in members:
                members.append(user)
            self.ws.add_message(
                info["id"],
                {"user": user, "subtype": "channel_join", "text": f"<@{user}> has joined the channel"},
            )
            channel_type = "G" if info["is_private"] else "C"
        event = build.member_joined_channel_event(
            user, channel=info["id"], channel_type=channel_type, inviter=inviter
        )
        await self._delivery.deliver("events_api", event)
