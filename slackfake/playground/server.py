"""The playground page's HTTP side, served by the fake Slack's own aiohttp app.

GET  /                          the page (static/index.html; static/app.css, static/app.js)
GET  /playground/state          ?user=U…&since=N: what that person sees, once the workspace's version
                                passes N (long poll, up to 20 s)
POST /playground/send           {user, channel, text, thread_ts?}: a message, or a slash command
POST /playground/action         {user, channel, ts, action_id, value?}: a button or menu in a message
POST /playground/view_action    {user, view_id, action_id, value?}: a button or menu in a modal or Home
POST /playground/submit         {user, view_id, values}: Submit on the top modal
POST /playground/close          {user, all?}: close the top modal (or, with all, every one: a page load)
POST /playground/home           {user, tab}: open the App Home ("home" or "messages")
POST /playground/shortcut       {user, channel, ts, callback_id}: a message shortcut from the "…" menu
POST /playground/quiz           {channel, what}: "/quiz now" or "/quiz reveal" by the workspace admin
POST /playground/reset          clear everything, then the launcher's on_reset

Only the page itself can use these: every request must name 127.0.0.1:PORT or localhost:PORT as its
Host and come from no other origin (`slackfake/guard.py`), and POST bodies must be JSON
(Content-Type: application/json), which a page on another site cannot send without a CORS preflight,
which this server never allows.
"""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from slackfake.constants import BOT_USER_ID, TEAM_NAME
from slackfake.delivery import NoApp
from slackfake.methods import ApiError
from slackfake.playground.guide import Progress

if TYPE_CHECKING:
    from slackfake.playground.launcher import Playground

LONG_POLL_SECONDS = 20.0
_NAMED = re.compile(r"(^|\s)([@#])([\w-]+(?:\.[\w-]+)*)")
"""A typed @person or #channel in a command's text."""
STATIC = resources.files("slackfake.playground") / "static"
STATIC_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class PlaygroundSite:
    def __init__(self, playground: Playground) -> None:
        self.pg = playground
        self.progress = Progress(playground.guide)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.page)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/favicon.ico", self.favicon)
        app.router.add_get("/playground/state", self.state)
        posts: dict[str, Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]] = {
            "send": self.send,
            "action": self.action,
            "view_action": self.view_action,
            "submit": self.submit,
            "close": self.close,
            "home": self.home,
            "shortcut": self.shortcut,
            "quiz": self.quiz,
            "reset": self.reset,
        }
        for name, handler in posts.items():
            app.router.add_post(f"/playground/{name}", self._json(handler))

    # ---- static ------------------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.StreamResponse:
        return self._file("index.html")

    async def favicon(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/static/favicon.svg")

    async def static(self, request: web.Request) -> web.StreamResponse:
        return self._file(request.match_info["name"])

    def _file(self, name: str) -> web.StreamResponse:
        suffix = name[name.rfind(".") :] if "." in name else ""
        resource = STATIC / name
        if "/" in name or suffix not in STATIC_TYPES or not resource.is_file():
            raise web.HTTPNotFound()
        return web.Response(
            body=resource.read_bytes(),
            content_type=STATIC_TYPES[suffix],
            charset="utf-8",
            headers=SECURITY_HEADERS,
        )

    # ---- state -------------------------------------------------------------------------------------

    async def state(self, request: web.Request) -> web.StreamResponse:
        fake = self.pg.fake
        user = request.query.get("user") or self.pg.admin
        try:
            since = int(request.query.get("since", "-1"))
        except ValueError:
            since = -1
        connected = fake.socket_clients > 0
        deadline = asyncio.get_running_loop().time() + LONG_POLL_SECONDS
        while (
            fake.workspace.version <= since
            and (fake.socket_clients > 0) == connected
            and asyncio.get_running_loop().time() < deadline
        ):
            await asyncio.sleep(0.05)
        with fake.workspace.lock:
            body = self.snapshot(user)
        return web.json_response(body, headers=SECURITY_HEADERS)

    def snapshot(self, user: str) -> dict[str, Any]:
        """What `user` sees: people, conversations with messages (and ephemerals), modals, Home."""
        ws = self.pg.fake.workspace
        if user not in ws.users or ws.users[user].get("is_bot"):
            user = self.pg.admin
        people = [
            {
                "id": u["id"],
                "name": u["name"],
                "real_name": u["real_name"],
                "title": u["profile"].get("title", ""),
                "tz": u["tz"],
                "tz_label": u["tz_label"],
                "is_admin": u["is_admin"],
                "is_bot": u["is_bot"],
            }
            for u in ws.users.values()
            if not u.get("deleted")
        ]
        conversations = []
        for channel in ws.channels.values():
            if channel["is_im"] and channel["user"] != user:
                continue
            if not channel["is_im"] and user not in ws.members.get(channel["id"], [user]):
                continue
            messages = ws.messages(channel["id"]) + ws.ephemeral_messages(channel["id"], user)
            messages.sort(key=lambda m: float(m["ts"]))
            conversations.append(
                {
                    "id": channel["id"],
                    "name": channel.get("name") or "",
                    "is_im": channel["is_im"],
                    "is_private": channel["is_private"],
                    "purpose": (channel.get("purpose") or {}).get("value", ""),
                    "messages": messages,
                }
            )
        modals = []
        for view in ws.modal_stack(user):
            view["errors"] = dict(ws.view_errors.get(view["id"], {}))
            modals.append(view)
        return {
            "version": ws.version,
            "team": TEAM_NAME if TEAM_NAME != "Test" else "Playground",
            "me": user,
            "admin": self.pg.admin,
            "bot": {"id": BOT_USER_ID, "name": self.pg.manifest.bot_name, "app_name": self.pg.manifest.name},
            "app": self.pg.manifest.as_json(),
            "connected": self.pg.fake.socket_clients > 0,
            "people": people,
            "conversations": conversations,
            "modals": modals,
            "home": copy.deepcopy(ws.home_views.get(user)),
            "guide": self.progress.as_json(),
        }

    # ---- actions -----------------------------------------------------------------------------------

    def _json(
        self, handler: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def run(request: web.Request) -> web.StreamResponse:
            if request.content_type != "application/json":
                raise web.HTTPUnsupportedMediaType(text="JSON only")
            try:
                body = await request.json()
            except ValueError:
                raise web.HTTPBadRequest(text="invalid JSON") from None
            if not isinstance(body, dict):
                raise web.HTTPBadRequest(text="expected a JSON object")
            try:
                reply = {"ok": True, **(await handler(body))}
            except NoApp:
                reply = {"ok": False, "error": "The app isn't connected. Start it, then try again."}
            except TimeoutError:
                reply = {"ok": False, "error": "The app didn't respond in time (operation_timeout)."}
            except ApiError as error:
                reply = {"ok": False, "error": str(error.body.get("error"))}
            except (LookupError, ValueError) as error:
                reply = {"ok": False, "error": str(error)}
            return web.json_response(reply, headers=SECURITY_HEADERS)

        return run

    def _user(self, body: dict[str, Any]) -> str:
        user = str(body.get("user") or "")
        with self.pg.fake.workspace.lock:
            known = self.pg.fake.workspace.users.get(user)
        if known is None or known.get("is_bot"):
            raise LookupError(f"unknown person {user!r}")
        return user

    async def send(self, body: dict[str, Any]) -> dict[str, Any]:
        user, channel = self._user(body), str(body.get("channel") or "")
        text = str(body.get("text") or "").strip()
        if not text:
            raise ValueError("nothing to send")
        if text.startswith("/") and not body.get("thread_ts"):
            command, _, rest = text.partition(" ")
            known = {c.command: c for c in self.pg.manifest.commands}
            if known and command not in known:
                raise ValueError(
                    f"{command} is not a valid command. In Slack, all messages that start with "
                    f'"/" are interpreted as commands.'
                )
            rest = rest.strip()
            if command in known and known[command].should_escape:
                rest = self.escaped(rest)
            ack = await self.pg.fake.act.command(user, channel, command, rest)
            self.done("command", f"{command} {rest}".strip(), user)
            return {"ack": ack}
        thread_ts = body.get("thread_ts")
        message = await self.pg.fake.act.say(
            user,
            channel,
            text,
            thread_ts=str(thread_ts) if thread_ts else None,
            broadcast=bool(body.get("broadcast")),
        )
        return {"ts": message["ts"]}

    def escaped(self, text: str) -> str:
        """*text* as Slack sends it for a command with should_escape: each @person and #channel it knows
        as <@U…|name> and <#C…|name>."""
        ws = self.pg.fake.workspace
        with ws.lock:
            people = {u["name"].casefold(): u["id"] for u in ws.users.values() if not u.get("deleted")}
            channels = {c["name"].casefold(): c["id"] for c in ws.channels.values() if c.get("name")}

        def linked(match: re.Match[str]) -> str:
            sign, name = match.group(2), match.group(3)
            found = (people if sign == "@" else channels).get(name.casefold())
            if found is None:
                return match.group(0)
            return f"{match.group(1)}<{sign}{found}|{name}>"

        return _NAMED.sub(linked, text)

    async def action(self, body: dict[str, Any]) -> dict[str, Any]:
        user, action_id = self._user(body), str(body.get("action_id"))
        ack = await self.pg.fake.act.click(
            user, str(body.get("channel")), str(body.get("ts")), action_id, body.get("value")
        )
        self.done("action", action_id, user)
        return {"ack": ack}

    async def view_action(self, body: dict[str, Any]) -> dict[str, Any]:
        ack = await self.pg.fake.act.click_in_view(
            self._user(body), str(body.get("view_id")), str(body.get("action_id")), body.get("value")
        )
        return {"ack": ack}

    async def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        values = body.get("values") if isinstance(body.get("values"), dict) else {}
        ack, outcome = await self.pg.fake.act.submit_view(
            self._user(body), values, view_id=str(body.get("view_id")) if body.get("view_id") else None
        )
        return {"ack": ack, "outcome": outcome}

    async def close(self, body: dict[str, Any]) -> dict[str, Any]:
        await self.pg.fake.act.close_view(self._user(body), all_views=body.get("all") is True)
        return {}

    async def home(self, body: dict[str, Any]) -> dict[str, Any]:
        user, tab = self._user(body), "messages" if body.get("tab") == "messages" else "home"
        await self.pg.fake.act.open_home(user, tab)
        self.done("home", tab, user)
        return {}

    async def shortcut(self, body: dict[str, Any]) -> dict[str, Any]:
        user, callback_id = self._user(body), str(body.get("callback_id"))
        ack = await self.pg.fake.act.message_shortcut(
            user, str(body.get("channel")), str(body.get("ts")), callback_id
        )
        self.done("shortcut", callback_id, user)
        return {"ack": ack}

    async def quiz(self, body: dict[str, Any]) -> dict[str, Any]:
        what = str(body.get("what"))
        if what not in ("now", "reveal"):
            raise ValueError("what must be now or reveal")
        ack = await self.pg.fake.act.command(self.pg.admin, str(body.get("channel")), "/quiz", what)
        self.done("control", what, self.pg.admin)
        return {"ack": ack}

    async def reset(self, body: dict[str, Any]) -> dict[str, Any]:
        self.progress.clear()
        await self.pg.reset()
        return {}

    def done(self, kind: str, target: str, user: str) -> None:
        """Record a step someone took for the checklist, and show it on every page."""
        self.progress.record(kind, target, user)
        with self.pg.fake.workspace.lock:
            self.pg.fake.workspace.changed()
