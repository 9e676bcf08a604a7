"""The message shortcut "Explain MLOps vs DevOps" and the buttons and menu inside the card modal it opens."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.compare import ids
from bot.compare.modal import CardModal, example_modal, explain_modal, picked_modal
from bot.compare.thread_reply import reply_in_thread
from bot.core.after_ack import AfterAck
from bot.core.slack.payloads import action_value, channel_of, user_of
from bot.core.views import open_view, update_view


def register(app: AsyncApp, after_ack: AfterAck) -> None:
    async def handle_explain(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = explain_modal(body.get("message"), channel_of(body))
        after_ack(open_view(client, str(body.get("trigger_id") or ""), view))

    async def handle_pick(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        shown = body.get("view") or {}
        update(client, shown, picked_modal(shown.get("private_metadata"), action_value(action)))

    async def handle_example(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        shown = body.get("view") or {}
        update(client, shown, example_modal(shown.get("private_metadata"), action_value(action)))

    def update(client: AsyncWebClient, shown: dict[str, Any], view: dict[str, Any] | None) -> None:
        if view is not None and shown.get("id"):
            after_ack(update_view(client, str(shown["id"]), view, str(shown.get("hash") or "")))

    async def handle_reply(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        shown = body.get("view") or {}
        state = CardModal.from_metadata(shown.get("private_metadata"))
        view_id, key = str(shown.get("id") or ""), action_value(action)
        after_ack(reply_in_thread(client, view_id, state, key, user_of(body)))

    app.shortcut(ids.EXPLAIN_MESSAGE)(handle_explain)
    app.action(ids.MODAL_REPLY_IN_THREAD)(handle_reply)
    app.action(ids.MODAL_PICK_TOPIC)(handle_pick)
    app.action(ids.MODAL_SHOW_EXAMPLE)(handle_example)
    app.action(ids.MODAL_OPEN_TOPIC_PATTERN)(handle_pick)
