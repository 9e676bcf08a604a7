"""The last line of defence: no request ever gets a 500 or a traceback.

A body that is well-formed JSON but not the shape Slack sends (an action without `action_id`, a field of
the wrong type) makes Bolt's own matchers raise before any listener runs; that is the sender's mistake and
gets a 400. Anything else is our bug: it is logged with its traceback for the operator, and the person
gets a polite reply instead of an error.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.core.message import render_error

log = logging.getLogger(__name__)
SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


async def handle_error(error: Exception, body: Any, response: BoltResponse | None) -> BoltResponse | None:
    """`response` is None once the request was acknowledged: then only the log can be told."""
    if isinstance(error, SHAPE_ERRORS):
        log.warning("refused a request Slack would not send (%s: %s)", type(error).__name__, error)
        return None if response is None else BoltResponse(status=400, body="malformed request")
    log.error("unexpected error while handling a request", exc_info=error)
    if response is None:
        return None
    if isinstance(body, dict) and body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral", **render_error().as_kwargs()})
    return BoltResponse(status=200, body="")


def register(app: AsyncApp) -> None:
    app.error(handle_error)
