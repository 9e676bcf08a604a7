"""`Playground`: a seeded fake Slack plus the page, for `python -m bot playground` and browser tests."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slackfake.constants import APP_TOKEN, BOT_TOKEN, BOT_USER_ID
from slackfake.fake import FakeSlack
from slackfake.playground.guide import GuideStep
from slackfake.playground.manifest import AppManifest, load_manifest
from slackfake.playground.server import PlaygroundSite
from slackfake.workspace import Workspace

ResetHook = Callable[[], Awaitable[None] | None]


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    tz: str
    title: str = ""
    is_admin: bool = False


PEOPLE = (
    Person("UADA", "ada", "Ada Lovelace", "Europe/London", "Engineering manager", is_admin=True),
    Person("UGRACE", "grace", "Grace Hopper", "America/New_York", "Platform engineer"),
    Person("ULINUS", "linus", "Linus Berg", "Europe/Helsinki", "New hire, ML engineer"),
    Person("UMAYA", "maya", "Maya Patel", "Asia/Kolkata", "New hire, data scientist"),
)
"""The pretend team: Ada is the workspace admin (she may post and reveal the quiz); each has a time zone."""
GENERAL = "CGENERAL"
NEW_HIRES = "CNEWHIRES"
ADMIN = PEOPLE[0].id
EVENTS_ALWAYS = ("app_home_opened",)
"""Sent even when the manifest does not subscribe to them: the page's App Home tab needs it."""


def seed(workspace: Workspace, manifest: AppManifest) -> None:
    """The playground's small workspace: #general, #new-hires, the people above and a DM each with the bot."""
    for person in PEOPLE:
        workspace.add_user(
            person.id,
            name=person.name,
            real_name=person.real_name,
            tz=person.tz,
            is_admin=person.is_admin,
        )
        workspace.users[person.id]["profile"]["title"] = person.title
    bot = workspace.users[BOT_USER_ID]
    bot["name"] = bot["profile"]["display_name"] = manifest.bot_name
    bot["real_name"] = bot["profile"]["real_name"] = manifest.name
    everyone = [p.id for p in PEOPLE] + [BOT_USER_ID]
    workspace.add_channel(
        GENERAL,
        name="general",
        creator=ADMIN,
        members=everyone,
        is_general=True,
        purpose="Company-wide announcements and work-based matters",
    )
    workspace.add_channel(
        NEW_HIRES,
        name="new-hires",
        creator=ADMIN,
        members=everyone,
        purpose="Welcome! Ask anything — the daily MLOps vs DevOps quiz lands here",
    )
    for person in PEOPLE:
        workspace.dm_channel(person.id)
    workspace.add_message(
        GENERAL,
        {
            "user": ADMIN,
            "text": f"Welcome to the playground! Try `/compare monitoring` or mention <@{BOT_USER_ID}>.",
        },
    )
    workspace.add_message(
        NEW_HIRES,
        {
            "user": "UGRACE",
            "text": "Hi <@ULINUS> and <@UMAYA> :wave: — the quiz bot posts here every morning.",
        },
    )


class Playground:
    """A fake Slack seeded with a small team, serving the playground page, on 127.0.0.1:`port`.

    - `port`: 0 lets the OS pick one (read `url` after starting).
    - `manifest`: the app's manifest.yml path, or a parsed manifest mapping: the page offers its slash
      commands (with usage hints) and message shortcuts; its bot_events decide which events are sent.
    - `on_reset`: called when the page's Reset button is pressed, after the fake's state is cleared — a
      plain function (run in a worker thread) or a coroutine function (run on the event loop that entered
      `async with`, or in a fresh loop when started with `with` / `start()`).
    - `now`: the fake's clock (message timestamps, trigger_id expiry).
    - `guide`: the *Start here* checklist the page shows, ticked as people do each step (none: no list).

    Runs on the fake's own thread and event loop; `async with` starts it without blocking the caller's loop.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        manifest: Path | str | Mapping[str, Any] | None = None,
        on_reset: ResetHook | None = None,
        now: Callable[[], float] = time.time,
        guide: Iterable[GuideStep] = (),
    ) -> None:
        self.manifest = load_manifest(manifest)
        self.guide = tuple(guide)
        self.on_reset = on_reset
        self._caller_loop: asyncio.AbstractEventLoop | None = None
        self.site = PlaygroundSite(self)
        subscriptions = (
            set(self.manifest.bot_events) | set(EVENTS_ALWAYS) if self.manifest.bot_events else None
        )
        self.fake = FakeSlack(
            now=now,
            port=port or None,
            strict_channels=True,
            event_subscriptions=subscriptions,
            routes=self.site.add_routes,
            default_users=False,
        )
        seed(self.fake.workspace, self.manifest)

    # ---- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> Playground:
        self.fake.start()
        return self

    def stop(self) -> None:
        self.fake.stop()

    def __enter__(self) -> Playground:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    async def __aenter__(self) -> Playground:
        self._caller_loop = asyncio.get_running_loop()
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *_: object) -> None:
        await asyncio.to_thread(self.stop)

    # ---- what the app needs ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The page: http://127.0.0.1:<port>/"""
        return f"{self.fake.url}/"

    @property
    def api_url(self) -> str:
        """SLACK_API_URL for the app (with its trailing slash)."""
        return self.fake.api_url

    @property
    def bot_token(self) -> str:
        return BOT_TOKEN

    @property
    def app_token(self) -> str:
        """SLACK_APP_TOKEN: the app connects over Socket Mode through `api_url`."""
        return APP_TOKEN

    @property
    def port(self) -> int:
        return self.fake.port

    @property
    def people(self) -> tuple[Person, ...]:
        return PEOPLE

    @property
    def admin(self) -> str:
        return ADMIN

    @property
    def connected(self) -> bool:
        """Whether an app is connected over Socket Mode."""
        return self.fake.socket_clients > 0

    # ---- reset -------------------------------------------------------------------------------------

    async def reset(self) -> None:
        """Clear the fake's state (messages, views, ...), seed it again, then call `on_reset`.

        Runs on the fake's loop (the page's Reset button).
        """
        fake = self.fake
        with fake.workspace.lock:
            old = fake.workspace
            fresh = Workspace(old.now, strict_channels=True, trigger_ttl=old.trigger_ttl, default_users=False)
            seed(fresh, self.manifest)
            fresh.version = old.version + 1
            fake.workspace = fresh
            old.version += 1  # wake anyone still waiting on the old state
        fake.reset()
        hook = self.on_reset
        if hook is None:
            return
        if inspect.iscoroutinefunction(hook):
            loop = self._caller_loop
            if loop is not None and loop.is_running():
                await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(hook(), loop))
            else:
                await asyncio.to_thread(asyncio.run, hook())
            return
        result = await asyncio.to_thread(hook)
        if inspect.isawaitable(result):
            await result
