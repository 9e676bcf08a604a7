"""Catch-alls for interactions no feature handles: registered last, they only see what nothing else took.

A button on a message posted by an older version of the bot (or one whose action id was renamed), a
form or a shortcut this version does not know: over HTTP, Bolt answers such a request with a 404 and
Slack shows the person "didn't respond"; over Socket Mode it was acked and nothing more. Now each is
acknowledged (a form with no errors, so the modal closes) and the person is told privately that it is
out of date and what to do, through the response_url or the Web API (`Responder`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.core.after_ack import AfterAck
from bot.core.log_throttle import LogThrottle
from bot.core.message import render_error
from bot.core.slack.calls import safe
from bot.core.slack.respond import Responder

log = logging.getLogger(__name__)
ANY = re.compile(r".*", re.DOTALL)

STALE_BUTTON = (
    "That button is out of date: it comes from an older version of this app. "
    "Run the command again to get a fresh message."
)
STALE_FORM = (
    "That form is out of date: it comes from an older version of this app. Open it again and resubmit."
)
STALE_SHORTCUT = (
    "That shortcut is out of date: this version of the app no longer has it. "
    "Look for it again in the shortcuts menu, or use the app's slash commands."
)


def register(app: AsyncApp, after_ack: AfterAck, responder: Responder) -> None:
    """Call after every feature registered its listeners: Bolt runs the first listener that matches."""
    seen = LogThrottle(log)

    def note(kind: str, body: dict[str, Any]) -> None:
        seen.log(logging.INFO, kind, "acknowledged a %s this version does not know (%s)", kind, _id_of(body))

    async def stale_action(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        note("button", body)
        after_ack(responder.respond_with(respond, body, render_error(STALE_BUTTON)))

    async def stale_form(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()  # no errors: the modal closes
        note("form", body)
        after_ack(responder.respond_with(respond, body, render_error(STALE_FORM)))

    async def closed_form(ack: AsyncAck) -> None:
        await ack()

    async def stale_shortcut(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        note("shortcut", body)
        after_ack(responder.respond_with(respond, body, render_error(STALE_SHORTCUT)))

    app.action(ANY)(stale_action)
    app.view({"type": "view_submission", "callback_id": ANY})(stale_form)
    app.view({"type": "view_closed", "callback_id": ANY})(closed_form)
    app.shortcut(ANY)(stale_shortcut)


def _id_of(body: dict[str, Any]) -> str:
    """The action id or callback id that was not found, safe to log."""
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        found = actions[0].get("action_id") or actions[0].get("callback_id")
    else:
        view = body.get("view")
        found = (view.get("callback_id") if isinstance(view, dict) else None) or body.get("callback_id")
    return safe(found) if isinstance(found, str) else "?"
