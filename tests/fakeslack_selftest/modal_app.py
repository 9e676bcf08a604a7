"""A small throwaway Bolt app with modals, shortcuts and a Home tab — the flows the bot does not have yet —
run on its own thread and loop, connected to a fake Slack over Socket Mode or serving HTTP.

It answers:
- `/note [text]`: opens the "note" modal with the command's trigger_id (after the ack).
- button `open_note` on any message: opens the same modal with the click's trigger_id.
- submitting "note": the text decides the ack — "bad" -> field error on block "note", "more" -> push a
  second view, "swap" -> update, "all" -> clear, anything else -> close (empty ack); each submission is
  recorded in `submissions`.
- message shortcut `explain_message` and global shortcut `new_note`: recorded; the global one opens the
  modal, the message one answers through the response_url.
- `app_home_opened`: recorded, and publishes a Home view with a button.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from slackfake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack

T = TypeVar("T")


def note_modal(text: str = "") -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "text"}
    if text:
        element["initial_value"] = text
    return {
        "type": "modal",
        "callback_id": "note",
        "title": {"type": "plain_text", "text": "New note"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "notify_on_close": True,
        "private_metadata": "from-test",
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "Note"},
                "element": element,
            },
            {
                "type": "input",
                "block_id": "when",
                "optional": True,
                "label": {"type": "plain_text", "text": "Remind me at"},
                "element": {"type": "timepicker", "action_id": "time", "initial_time": "09:30"},
            },
        ],
    }


def second_view(title: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "second",
        "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}}],
    }


HOME = {
    "type": "home",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "Welcome home"}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "open_note",
                    "text": {"type": "plain_text", "text": "New note"},
                }
            ],
        },
    ],
}


class ModalApp:
    """The Bolt app above on a private loop; `transport` "socket" or "http"."""

    def __init__(self, fake: FakeSlack, transport: str = "socket") -> None:
        self.fake = fake
        self.transport = transport
        self.submissions: list[dict[str, Any]] = []
        self.shortcuts: list[dict[str, Any]] = []
        self.closed: list[dict[str, Any]] = []
        self.homes: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="modal-app", daemon=True)
        self._handler: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None

    def __enter__(self) -> ModalApp:
        self._thread.start()
        self.run(self._start())
        if self.transport == "socket":
            self.fake.wait_for_socket()
        return self

    def __exit__(self, *_: object) -> None:
        self.run(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    async def _start(self) -> None:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=self.fake.api_url)
        app = AsyncApp(
            client=client,
            signing_secret=SIGNING_SECRET,
            process_before_response=True,
        )
        self._register(app)
        if self.transport == "socket":
            self._handler = AsyncSocketModeHandler(app, APP_TOKEN, web_client=client)
            await self._handler.connect_async()
            return

        async def endpoint(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

        server = web.Application()
        server.router.add_post("/slack/events", endpoint)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.fake.set_request_url(f"http://127.0.0.1:{port}/slack/events")

    async def _stop(self) -> None:
        if self._handler is not None:
            await self._handler.close_async()
        if self._runner is not None:
            await self._runner.cleanup()

    def _register(self, app: AsyncApp) -> None:
        async def open_modal(client: AsyncWebClient, trigger_id: str, text: str = "") -> None:
            try:
                await client.views_open(trigger_id=trigger_id, view=note_modal(text))
            except Exception as error:  # recorded for the test to assert on
                self.errors.append(str(error))

        @app.command("/note")
        async def note(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
            await ack()
            await open_modal(client, command["trigger_id"], command.get("text", ""))

        @app.action("open_note")
        async def button(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
            await ack()
            await open_modal(client, body["trigger_id"])

        @app.view_submission("note")
        async def submitted(ack: AsyncAck, view: dict[str, Any], body: dict[str, Any]) -> None:
            self.submissions.append(body)
            text = view["state"]["values"]["note"]["text"]["value"] or ""
            if text == "bad":
                await ack(response_action="errors", errors={"note": "Say something useful"})
            elif text == "more":
                await ack(response_action="push", view=second_view("Pushed"))
            elif text == "swap":
                await ack(response_action="update", view=second_view("Updated"))
            elif text == "all":
                await ack(response_action="clear")
            else:
                await ack()

        @app.view_closed("note")
        async def closed(ack: AsyncAck, body: dict[str, Any]) -> None:
            self.closed.append(body)
            await ack()

        @app.shortcut("explain_message")
        async def explain(ack: AsyncAck, shortcut: dict[str, Any], respond: AsyncRespond) -> None:
            self.shortcuts.append(shortcut)
            await ack()
            await respond(text=f"You asked about: {shortcut['message']['text']}")

        @app.shortcut("new_note")
        async def new_note(ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient) -> None:
            self.shortcuts.append(shortcut)
            await ack()
            await open_modal(client, shortcut["trigger_id"])

        @app.event("app_home_opened")
        async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
            self.homes.append(event)
            await client.views_publish(user_id=event["user"], view=HOME)
