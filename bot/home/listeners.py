"""The App Home: publish it when someone opens the tab, and answer its buttons and menu."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.core import ids
from bot.core.actions import action_value
from bot.core.after_ack import AfterAck
from bot.home.service import Home


def register(app: AsyncApp, home: Home, later: AfterAck) -> None:
    """Register before the quiz: *Practice this* on the Home tab is the Home's to answer (the quiz answers
    the same button on messages, through their response_url)."""

    async def handle_opened(event: dict[str, Any]) -> None:
        later(home.publish(str(event.get("user") or "")))

    async def handle_practice(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        later(home.practice(_user(body), action_value(action)))

    async def handle_pick(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        later(home.open_topic(str(body.get("trigger_id") or ""), action_value(action)))

    async def handle_stop(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        later(home.stop(_user(body), action_value(action)))

    app.event("app_home_opened", matchers=[_home_tab])(handle_opened)
    app.action(ids.PRACTICE_TOPIC, matchers=[_on_home])(handle_practice)
    app.action(ids.HOME_PICK_TOPIC)(handle_pick)
    app.action(ids.HOME_STOP_SCHEDULE)(handle_stop)


def register_fallbacks(app: AsyncApp, home: Home, later: AfterAck) -> None:
    """Register after every feature: answers the Home's buttons that another feature answers once it can
    (*Edit* belongs to the quiz's schedule form; until it has one, a modal explains `/quiz schedule`)."""

    async def handle_edit(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        later(home.explain_editing(str(body.get("trigger_id") or ""), action_value(action)))

    app.action(ids.QUIZ_SCHEDULE_EDIT)(handle_edit)


async def _home_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "home" and bool(event.get("user"))


async def _on_home(body: dict[str, Any]) -> bool:
    """The click came from the Home tab (a view of type home), not from a message."""
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "home"


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")
