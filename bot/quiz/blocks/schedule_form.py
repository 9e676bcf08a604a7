"""The schedule form (`/quiz schedule` alone, or *Edit* and *Start a daily quiz* on the Home tab), and reading
what was submitted.

Both are pure: the view is a dict for views.open, and `read_schedule_form` turns Slack's `view.state`
into a schedule or into per-field errors for `response_action: errors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.timecodes import parse_time
from bot.core.zones import COMMON_ZONES, zone_key
from bot.quiz import ids
from bot.quiz.records import NO_OPTIONS, ScheduleOptions
from bot.quiz.reveal_after import CHOICES, RevealAfter

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHANNEL, TIME, ZONE, DAYS = "channel", "time", "zone", "days"
REVEAL, OPTIONS, FIRST = "reveal", "options", "first"
"""The form's block ids (each input's action id is the same word)."""
ANSWER_AT_REVEAL, WEEKLY_LEADERBOARD, POST_NOW = "answer_at_reveal", "weekly_leaderboard", "post_now"
"""The values of the checkboxes."""
OPTION_TEXT_MAX = 75


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    channel: str
    at: time
    timezone: ZoneInfo
    days: frozenset[int]
    options: ScheduleOptions
    post_now: bool = False


def render_schedule_form(
    channel: str,
    at: time,
    zone: str,
    days: frozenset[int],
    *,
    reveal: RevealAfter,
    options: ScheduleOptions = NO_OPTIONS,
) -> dict[str, Any]:
    """The modal, filled in with the channel's schedule (or sensible defaults); *channel* may be empty
    (from the Home tab), and the person then picks one."""
    day_options = [_option(name, str(day)) for day, name in enumerate(DAY_NAMES)]
    zones, picked = _zone_menu(zone)
    reveals = [_option(choice.label(), choice.encode(), choice.description()) for choice in CHOICES]
    if reveal not in CHOICES:
        reveals.insert(0, _option(reveal.label(), reveal.encode()))
    settings = [
        _option(
            "Keep the right answer secret until the reveal",
            ANSWER_AT_REVEAL,
            "People who pick wrong still see right away why.",
        ),
        _option(
            "Post a weekly leaderboard in the channel",
            WEEKLY_LEADERBOARD,
            "Once a week, once the answer to its last question is out.",
        ),
    ]
    chosen = [settings[0]] * options.answer_at_reveal + [settings[1]] * options.weekly_leaderboard
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
            {"type": "static_select", "action_id": ZONE, "option_groups": zones, "initial_option": picked},
            hint="The quiz's days and time follow this zone; everyone sees the time in their own.",
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
        _input(
            REVEAL,
            "Reveal the answer",
            {
                "type": "static_select",
                "action_id": REVEAL,
                "options": reveals,
                "initial_option": next(o for o in reveals if o["value"] == reveal.encode()),
            },
            hint="In the quiz's time zone, between 8 AM and 7 PM, when people still read it.",
        ),
        _input(
            OPTIONS,
            "Options",
            {
                "type": "checkboxes",
                "action_id": OPTIONS,
                "options": settings,
                **({"initial_options": chosen} if chosen else {}),
            },
            optional=True,
        ),
        _input(
            FIRST,
            "First question",
            {
                "type": "checkboxes",
                "action_id": FIRST,
                "options": [
                    _option(
                        "Post the first question now",
                        POST_NOW,
                        "Otherwise the first one comes at the next quiz time.",
                    )
                ],
            },
            optional=True,
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
    blocks = (CHANNEL, TIME, ZONE, DAYS, REVEAL, OPTIONS, FIRST)
    entered = {block: (values.get(block) or {}).get(block) or {} for block in blocks}
    errors: dict[str, str] = {}
    channel = str(entered[CHANNEL].get("selected_conversation") or "")
    if not channel.startswith(("C", "G")):
        errors[CHANNEL] = "Pick the channel that gets the quiz (not a direct message)."
    try:
        at = parse_time(str(entered[TIME].get("selected_time") or ""))
    except ValueError:
        errors[TIME] = "Pick a time of day."
    zone = zone_key(_picked(entered[ZONE]))
    if zone is None:
        errors[ZONE] = "Pick the time zone the quiz follows."
    days = frozenset(int(v) for v in _checked(entered[DAYS]) if v in {str(d) for d in range(7)})
    if not days:
        errors[DAYS] = "Pick at least one day."
    try:
        reveal = RevealAfter.parse(_picked(entered[REVEAL]))
    except ValueError:
        errors[REVEAL] = "Pick when the answer is revealed."
    if not errors and (late := reveal.too_late(at)):
        errors[REVEAL] = late
    if errors:
        return errors
    settings = _checked(entered[OPTIONS])
    options = ScheduleOptions(reveal.encode(), ANSWER_AT_REVEAL in settings, WEEKLY_LEADERBOARD in settings)
    post_now = POST_NOW in _checked(entered[FIRST])
    return ScheduleForm(channel, at, ZoneInfo(str(zone)), days, options, post_now)


def _zone_menu(zone: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The common zones by region, with *zone* added to the last group when it is none of them, and the
    option of *zone* (the menu starts there)."""
    groups = [(label, [_option(text, key) for key, text in zones]) for label, zones in COMMON_ZONES]
    picked = next((o for _, options in groups for o in options if o["value"] == zone), None)
    if picked is None:
        picked = _option(zone.replace("_", " "), zone)
        groups[-1][1].insert(0, picked)
    menu = [{"label": {"type": "plain_text", "text": label}, "options": options} for label, options in groups]
    return menu, picked


def _picked(entry: dict[str, Any]) -> str:
    return str((entry.get("selected_option") or {}).get("value") or "")


def _checked(entry: dict[str, Any]) -> set[str]:
    return {str(option.get("value")) for option in entry.get("selected_options") or []}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, hint: str | None = None, optional: bool = False
) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    if optional:
        block["optional"] = True
    return block


def _option(text: str, value: str, description: str = "") -> dict[str, Any]:
    option: dict[str, Any] = {"text": {"type": "plain_text", "text": text[:OPTION_TEXT_MAX]}, "value": value}
    if description:
        option["description"] = {"type": "plain_text", "text": description[:OPTION_TEXT_MAX]}
    return option
