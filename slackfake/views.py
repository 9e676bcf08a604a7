"""Modals and the App Home: views.open / push / update / publish, each user's modal stack, trigger_ids,
and what a submission's ack does to the stack.

Slack's rules kept here: a trigger_id opens one view, within `trigger_ttl` seconds (3 by default) of the
user's action, by the fake's clock; a stack holds at most 3 modals; every stored version of a view gets
a new `hash`, and an update sent with a stale hash is refused with `hash_conflict`; an `external_id` is
unique in the workspace. A submission's ack closes the submitted view (empty ack), shows field errors
(`response_action: errors`), or updates, pushes or clears (`update` / `push` / `clear`).
"""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from slackfake import triggers
from slackfake.constants import APP_ID, BOT_ID, TEAM_ID
from slackfake.limits import view_problems
from slackfake.methods import ApiError, Args, Reply, invalid_arguments, method, required

STACK_MAX = 3
TRIGGERS_KEPT = 10_000


def _option(element: Mapping[str, Any], value: Any) -> dict[str, Any] | None:
    """The option of `element` whose value is `value` (searching option groups too)."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    for option in options:
        if isinstance(option, Mapping) and option.get("value") == value:
            return copy.deepcopy(dict(option))
    return None


def state_entry(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """How Slack reports one input element's value in `view.state.values` (or `state.values` of a message).

    `value` is what the person entered: a string, or a list of strings for multi-selects and checkboxes
    (option values, user IDs or conversation IDs); None when left empty.
    """
    kind = str(element.get("type"))
    entry: dict[str, Any] = {"type": kind}
    many = value if isinstance(value, list) else ([] if value in (None, "") else [value])
    one = many[0] if many else None
    if kind in ("static_select", "external_select", "radio_buttons", "overflow"):
        entry["selected_option"] = _option(element, one) if one is not None else None
    elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        entry["selected_options"] = [o for o in (_option(element, v) for v in many) if o is not None]
    elif kind == "users_select":
        entry["selected_user"] = one
    elif kind == "multi_users_select":
        entry["selected_users"] = list(many)
    elif kind in ("conversations_select", "channels_select"):
        entry["selected_conversation" if kind == "conversations_select" else "selected_channel"] = one
    elif kind in ("multi_conversations_select", "multi_channels_select"):
        key = "selected_conversations" if kind == "multi_conversations_select" else "selected_channels"
        entry[key] = list(many)
    elif kind == "timepicker":
        entry["selected_time"] = one
    elif kind == "datepicker":
        entry["selected_date"] = one
    elif kind == "datetimepicker":
        entry["selected_date_time"] = int(one) if one not in (None, "") else None
    else:  # plain_text_input, number_input, email_text_input, url_text_input, ...
        entry["value"] = one
    return entry


def initial_value(element: Mapping[str, Any]) -> Any:
    """What an element shows before anyone touches it, in the form `state_entry` takes."""
    for key in ("initial_value", "initial_user", "initial_conversation", "initial_channel"):
        if key in element:
            return element[key]
    for key in ("initial_users", "initial_conversations", "initial_channels"):
        if key in element:
            return list(element[key])
    if "initial_option" in element:
        return element["initial_option"].get("value")
    if "initial_options" in element:
        return [o.get("value") for o in element["initial_options"]]
    if "initial_time" in element:
        return element["initial_time"]
    if "initial_date" in element:
        return element["initial_date"]
    return None


def input_elements(blocks: Any) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) of every element that keeps state: input blocks and actions/section menus."""
    found: list[tuple[str, dict[str, Any]]] = []
    for block in blocks or []:
        if not isinstance(block, Mapping):
            continue
        block_id = str(block.get("block_id") or "")
        if block.get("type") == "input" and isinstance(block.get("element"), Mapping):
            found.append((block_id, dict(block["element"])))
        elif block.get("type") == "actions":
            elements = block.get("elements") or []
            found.extend((block_id, dict(e)) for e in elements if e.get("type") not in ("button", "overflow"))
        elif block.get("type") == "section" and isinstance(block.get("accessory"), Mapping):
            accessory = dict(block["accessory"])
            if accessory.get("type") not in ("button", "image", "overflow"):
                found.append((block_id, accessory))
    return found


def state_values(blocks: Any, entered: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """`state.values` for `blocks`: every stateful element, from `entered` or else its initial value.

    `entered` maps an action_id (or "block_id.action_id") to what the person entered; see `state_entry`.
    """
    entered = dict(entered or {})
    values: dict[str, dict[str, Any]] = {}
    for block_id, element in input_elements(blocks):
        action_id = str(element.get("action_id") or "")
        key = f"{block_id}.{action_id}"
        value = entered.get(key, entered.get(action_id, initial_value(element)))
        values.setdefault(block_id, {})[action_id] = state_entry(element, value)
    return values


def _with_block_ids(view: dict[str, Any]) -> dict[str, Any]:
    """Slack gives every block without a block_id a random one, and every element an action_id."""
    for block in view.get("blocks") or []:
        if isinstance(block, dict):
            block.setdefault("block_id", secrets.token_urlsafe(3))
            element = block.get("element")
            if isinstance(element, dict):
                element.setdefault("action_id", secrets.token_urlsafe(3))
    return view


class ViewsMixin:
    """The views part of `Workspace` (which provides these attributes)."""

    users: dict[str, dict[str, Any]]
    now: Callable[[], float]
    views: dict[str, dict[str, Any]]
    home_views: dict[str, dict[str, Any]]
    next_ts: Callable[[], str]
    changed: Callable[[], None]

    def _init_views(self, trigger_ttl: float) -> None:
        self.trigger_ttl = trigger_ttl
        self.triggers: dict[str, triggers.Trigger] = {}
        self.modals: dict[str, list[str]] = {}
        """user -> view ids of the open modals, root first."""
        self.view_errors: dict[str, dict[str, str]] = {}
        self._view_seq = 0

    # ---- trigger_ids -------------------------------------------------------------------------------

    def register_trigger(self, trigger_id: str, user: str) -> None:
        """Slack issued `trigger_id` to `user` now (by the fake's clock)."""
        self.triggers[trigger_id] = triggers.Trigger(user, self.now(), "fake")
        while len(self.triggers) > TRIGGERS_KEPT:
            self.triggers.pop(next(iter(self.triggers)))

    def register_trigger_of(self, payload: Any) -> None:
        """Slack issued the payload's trigger_id just now, to the person who acted."""
        if not isinstance(payload, Mapping):
            return  # odd payloads (fuzz tests) carry no trigger the fake would know
        trigger_id = payload.get("trigger_id")
        user = payload.get("user_id") or payload.get("user")
        if isinstance(user, Mapping):
            user = user.get("id")
        if isinstance(trigger_id, str) and trigger_id and isinstance(user, str) and user:
            self.register_trigger(trigger_id, user)

    def issue_trigger(self, user: str) -> str:
        trigger_id = f"{int(self.now() * 1000)}.6115322735.{secrets.token_hex(16)}"
        self.register_trigger(trigger_id, user)
        return trigger_id

    def take_trigger(self, trigger_id: Any) -> str:
        """Exchange a trigger_id for the user it was issued to; Slack's errors when it cannot be."""
        if not trigger_id:
            raise invalid_arguments("missing required field: trigger_id")
        trigger = self.triggers.get(str(trigger_id)) or triggers.issued(str(trigger_id))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        now = self.now() if trigger.clock == "fake" else time.time()
        if now - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    # ---- storing views -----------------------------------------------------------------------------

    def _checked(self, view: Any, kind: str | None) -> dict[str, Any]:
        if isinstance(view, str):
            raise invalid_arguments("view: expected a JSON object")
        problems = view_problems(view, kind=kind)
        if problems:
            raise invalid_arguments(*problems)
        return _with_block_ids(copy.deepcopy(dict(view)))

    def _store(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        external_id = view.get("external_id") or ""
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != view_id for v in self.views.values()
        ):
            raise ApiError("duplicate_external_id")
        previous = self.views.get(view_id) if view_id else None
        if view_id is None:
            self._view_seq += 1
            view_id = f"V{self._view_seq:08d}"
        values = state_values(view.get("blocks"))
        if previous is not None:  # Slack keeps what was entered in inputs that are still there
            kept = previous.get("state", {}).get("values", {})
            for block_id, actions in values.items():
                for action_id in actions:
                    if action_id in kept.get(block_id, {}):
                        actions[action_id] = kept[block_id][action_id]
        stored = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            **view,
            "state": {"values": values},
            "hash": f"{int(self.now())}.{secrets.token_urlsafe(6)}",
        }
        if stored["type"] == "home":
            stored.pop("previous_view_id")
        self.views[view_id] = stored
        self.view_errors.pop(view_id, None)
        return stored

    def _stack_of(self, view_id: str) -> tuple[str, list[str]] | None:
        for user, stack in self.modals.items():
            if view_id in stack:
                return user, stack
        return None

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(self.views[v]) for v in self.modals.get(user, [])]

    def top_modal(self, user: str) -> dict[str, Any] | None:
        stack = self.modals.get(user)
        return self.views[stack[-1]] if stack else None

    # ---- Web API ----------------------------------------------------------------------------------

    @method("views.open")
    def _views_open(self, args: Args) -> Reply:
        view = self._checked(required(args, "view"), "modal")
        user = self.take_trigger(args.get("trigger_id"))
        for old in self.modals.pop(user, []):
            self.views.pop(old, None)
        stored = self._store(view)
        self.modals[user] = [stored["id"]]
        return {"ok": True, "view": copy.deepcopy(stored)}

    @method("views.push")
    def _views_push(self, args: Args) -> Reply:
        view = self._checked(required(args, "view"), "modal")
        user = self.take_trigger(args.get("trigger_id"))
        stack = self.modals.get(user)
        if not stack:
            raise ApiError("not_found")  # nothing open to push onto
        if len(stack) >= STACK_MAX:
            raise ApiError("push_limit_reached")
        stored = self._store(view, root_view_id=stack[0], previous_view_id=stack[-1])
        stack.append(stored["id"])
        return {"ok": True, "view": copy.deepcopy(stored)}

    @method("views.update")
    def _views_update(self, args: Args) -> Reply:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        if not view_id and not external_id:
            raise invalid_arguments("exactly one of view_id and external_id is required")
        if not view_id:
            matching = (v["id"] for v in self.views.values() if v.get("external_id") == external_id)
            view_id = next(matching, None)
        current = self.views.get(str(view_id)) if view_id else None
        if current is None:
            raise ApiError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        view = self._checked(required(args, "view"), current["type"])
        stored = self._store(
            view,
            view_id=current["id"],
            root_view_id=current.get("root_view_id"),
            previous_view_id=current.get("previous_view_id"),
        )
        return {"ok": True, "view": copy.deepcopy(stored)}

    @method("views.publish")
    def _views_publish(self, args: Args) -> Reply:
        user_id = required(args, "user_id")
        if user_id not in self.users:
            raise ApiError("user_not_found")
        previous = self.home_views.get(user_id)
        if args.get("hash") and previous is not None and args["hash"] != previous["hash"]:
            raise ApiError("hash_conflict")
        view = self._checked(required(args, "view"), "home")
        stored = self._store(view, view_id=previous["id"] if previous else None)
        self.home_views[user_id] = stored
        return {"ok": True, "view": copy.deepcopy(stored)}

    # ---- what the person does with a modal ---------------------------------------------------------

    def enter_values(self, view_id: str, entered: Mapping[str, Any]) -> dict[str, Any]:
        """Fill in a view's inputs (see `state_values`); returns the view as a submission carries it."""
        view = self.views[view_id]
        current = view["state"]["values"]
        for block_id, actions in state_values(view.get("blocks"), entered).items():
            for action_id, entry in actions.items():
                element_keys = (f"{block_id}.{action_id}", action_id)
                if any(k in entered for k in element_keys) or action_id not in current.get(block_id, {}):
                    current.setdefault(block_id, {})[action_id] = entry
        self.changed()
        return copy.deepcopy(view)

    def after_submission(self, user: str, view_id: str, ack: Mapping[str, Any] | None) -> str:
        """Apply the app's ack of a view_submission to the user's stack; returns what happened.

        "closed" (empty ack: the submitted view is closed), "errors", "updated", "pushed", "cleared", or
        "invalid: ..." when the ack breaks a rule (Slack then shows the person a generic error and the
        view stays as it was).
        """
        stack = self.modals.get(user, [])
        if view_id not in stack:
            return "invalid: the submitted view is no longer open"
        ack = dict(ack or {})
        action = ack.get("response_action")
        self.changed()
        if not action:
            self._close_from(user, view_id)
            return "closed"
        if action == "clear":
            self._close_from(user, stack[0])
            return "cleared"
        if action == "errors":
            errors = ack.get("errors")
            if not isinstance(errors, Mapping) or not errors:
                return "invalid: errors must map block_ids to messages"
            input_ids = {
                b.get("block_id") for b in self.views[view_id].get("blocks") or [] if b.get("type") == "input"
            }
            unknown = [block_id for block_id in errors if block_id not in input_ids]
            if unknown:
                return f"invalid: no input block {unknown[0]!r} in the view"
            self.view_errors[view_id] = {str(k): str(v) for k, v in errors.items()}
            return "errors"
        if action in ("update", "push"):
            try:
                view = self._checked(ack.get("view"), "modal")
            except ApiError as error:
                return f"invalid: {error.body.get('response_metadata', {}).get('messages', [''])}"
            if action == "update":
                current = self.views[view_id]
                self._store(
                    view,
                    view_id=view_id,
                    root_view_id=current.get("root_view_id"),
                    previous_view_id=current.get("previous_view_id"),
                )
                return "updated"
            if len(stack) >= STACK_MAX:
                return "invalid: push_limit_reached"
            stored = self._store(view, root_view_id=stack[0], previous_view_id=stack[-1])
            stack.append(stored["id"])
            return "pushed"
        return f"invalid: unknown response_action {action!r}"

    def close_modal(self, user: str, *, all_views: bool = False) -> list[dict[str, Any]]:
        """The person closes the top modal (or every one); returns the closed views, top first."""
        stack = self.modals.get(user, [])
        if not stack:
            return []
        self.changed()
        return self._close_from(user, stack[0] if all_views else stack[-1])

    def _close_from(self, user: str, view_id: str) -> list[dict[str, Any]]:
        stack = self.modals.get(user, [])
        index = stack.index(view_id)
        closed = [self.views.pop(v) for v in reversed(stack[index:])]
        del stack[index:]
        for view in closed:
            self.view_errors.pop(view["id"], None)
        if not stack:
            self.modals.pop(user, None)
        return closed
