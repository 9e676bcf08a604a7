"""The schedule form (`/quiz schedule` alone, or *Edit* on the Home tab), and reading what was submitted.

Both are pure: the view is a dict for views.open, and `read_schedule_form` turns Slack's `view.state`
into a schedule or into per-field errors for `response_action: errors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.timecodes import is_timezone, parse_time, parse_timezone
from bot.quiz import ids

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHANNEL, TIME, ZONE, DAYS = "channel", "time", "zone", "days"
"""The form's block ids (each input's action id is the same word)."""


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    channel: str
    at: time
    timezone: ZoneInfo
    days: frozenset[int]


def render_schedule_form(channel: str, at: time, zone: str, days: frozenset[int]) -> dict[str, Any]:
    """The modal, filled in with the channel's schedule (or sensible defaults)."""
    day_options = [_option(name, str(day)) for day, name in enumerate(DAY_NAMES)]
    blocks = [
        _input(
            CHANNEL,
            "Channel",
            {
                "type": "conversations_select",
                "action_id": CHANNEL,
                "default_to_current_conversation": True,
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                **({"initial_conversation": channel} if channel.startswith(("C", "G")) else {}),
            },
        ),
        _input(TIME, "Time", {"type": "timepicker", "action_id": TIME, "initial_time": at.strftime("%H:%M")}),
        _input(
            ZONE,
            "Time zone",
            {
                "type": "plain_text_input",
                "action_id": ZONE,
                "initial_value": zone,
                "placeholder": {"type": "plain_text", "text": "e.g. Europe/Berlin, America/New_York or CET"},
            },
            hint="Yours from your Slack profile unless you change it.",
        ),
        _input(
            DAYS,
            "Days",
            {
                "type": "checkboxes",
                "action_id": DAYS,
                "options": day_options,
                **({"initial_options": [day_options[day] for day in sorted(days)]} if days else {}),
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": ids.QUIZ_SCHEDULE_FORM,
        "title": {"type": "plain_text", "text": "Daily quiz"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def read_schedule_form(values: dict[str, Any]) -> ScheduleForm | dict[str, str]:
    """The schedule the form says, or {block id: what to fix} for Slack to show under each field."""
    entered = {block: (values.get(block) or {}).get(block) or {} for block in (CHANNEL, TIME, ZONE, DAYS)}
    errors: dict[str, str] = {}
    channel = str(entered[CHANNEL].get("selected_conversation") or "")
    if not channel.startswith(("C", "G")):
        errors[CHANNEL] = "Pick the channel that gets the quiz (not a direct message)."
    try:
        at = parse_time(str(entered[TIME].get("selected_time") or ""))
    except ValueError:
        errors[TIME] = "Pick a time of day."
    zone = str(entered[ZONE].get("value") or "").strip()
    if not is_timezone(zone):
        errors[ZONE] = "Not a time zone I know: try Europe/Berlin, America/New_York, Asia/Tokyo or UTC."
    picked = entered[DAYS].get("selected_options") or []
    days = frozenset(int(o["value"]) for o in picked if str(o.get("value")) in {str(d) for d in range(7)})
    if not days:
        errors[DAYS] = "Pick at least one day."
    if errors:
        return errors
    return ScheduleForm(channel, at, parse_timezone(zone), days)


def _input(block_id: str, label: str, element: dict[str, Any], hint: str | None = None) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}
