"""Listeners: each parses what Slack sent, calls a pure builder and makes one reply."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.listeners import actions, commands, errors, events, quiz
from bot.services import Services


def register_listeners(app: AsyncApp, services: Services) -> None:
    errors.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
    quiz.register(app, services)
