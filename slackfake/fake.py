"""`FakeSlack`: a local Slack (Web API, response_url, Socket Mode) over real HTTP and WebSocket.

`FakeSlack` puts its parts together and gives tests one object to talk to; each public name it offers is
its part's (see `Part` and the table in the class). The parts:

- `server` (`serving.py`): the fake's own event loop in a thread, serving on 127.0.0.1;
- `api` (`webapi.py`): the Web API, `/api/{method}`;
- `response_urls` (`response_urls.py`): the response_urls it hands out, `/response/{name}`;
- `sockets` (`socket_mode.py`): Socket Mode, `/ws`, envelopes and acks;
- `recorder` (`recording.py`): every request answered, and waits on them;
- `faults` (`faults.py`): injected failures, latency, rate limits, being down;
- `contents` (`contents.py`): what tests put into the workspace and read out of it;
- `delivery` (`delivery.py`) and `act` (`acting.py`): people acting, and how that reaches the app.

Like the playground it serves, it answers only requests addressed to 127.0.0.1 or localhost and coming
from no other web page (`guard.py`); the Web API takes the token from the `Authorization` header only,
`/ws` a ticket from apps.connections.open only.

From an asyncio test, use the `*_async` waiters: the blocking ones would stop the test's loop, and with it
the bot under test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from aiohttp import web

from slackfake.acting import Acting
from slackfake.contents import Contents
from slackfake.delivery import Delivery
from slackfake.faults import Faults
from slackfake.guard import local_only
from slackfake.ratelimits import RateLimits
from slackfake.recording import Recorder
from slackfake.response_urls import ResponseUrls
from slackfake.serving import ServerThread
from slackfake.site import Site
from slackfake.socket_mode import SocketMode
from slackfake.triggers import DEFAULT_TTL
from slackfake.webapi import WebApi
from slackfake.workspace import Workspace


class Part:
    """A name of `FakeSlack` that is the same name of one of its parts (a method, property or field)."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, fake: object, owner: type | None = None) -> Any:
        if fake is None:
            return self
        return getattr(getattr(fake, self.part), self.name)

    def __set__(self, fake: object, value: Any) -> None:
        setattr(getattr(fake, self.part), self.name, value)


def blocking(action: str) -> Callable[..., Any]:
    """`fake.<action>(...)`: a person acts (see `Acting`); this thread waits for the app's ack."""

    def run(fake: FakeSlack, *args: Any, **kwargs: Any) -> Any:
        timeout = fake.delivery.ack_timeout * 3
        return fake.server.run(getattr(fake.act, action)(*args, **kwargs), timeout=timeout)

    run.__doc__ = getattr(Acting, action).__doc__
    return run


def awaiting(action: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    """`await fake.<action>_async(...)`: the same from another event loop, without blocking it."""

    async def run(fake: FakeSlack, *args: Any, **kwargs: Any) -> Any:
        return await fake.server.run_async(getattr(fake.act, action)(*args, **kwargs))

    run.__doc__ = getattr(Acting, action).__doc__
    return run


class FakeSlack:
    """A fake Slack workspace served on 127.0.0.1 (port chosen by the OS, kept across stop/start).

    Use as `with FakeSlack() as fake:`; point slack_sdk at `fake.api_url` (and Socket Mode clients get
    `fake.ws_url` from apps.connections.open). `now` supplies the clock for message timestamps and
    trigger_id expiry.

    - `port`: listen there instead of on a port the OS picks.
    - `strict_channels`: unknown channels answer channel_not_found instead of springing into existence.
    - `trigger_ttl`: seconds a trigger_id stays good for views.open / views.push (Slack: 3).
    - `rate_limits`: enforce Slack's rate limits from the start (see `enforce_rate_limits`).
    - `event_subscriptions`: event names the app subscribed to ("app_mention", "message.im", ...); the
      people-acting helpers send no other events. None: every event.
    - `routes`: called with the aiohttp application before it starts, to serve more (the playground).
    - `default_users`: start with alice (U123) and bob (U456) besides the bot.
    """

    def __init__(
        self,
        *,
        now: Callable[[], float] = time.time,
        revoked_tokens: Iterable[str] = (),
        port: int | None = None,
        strict_channels: bool = False,
        trigger_ttl: float = DEFAULT_TTL,
        rate_limits: RateLimits | None = None,
        event_subscriptions: Iterable[str] | None = None,
        routes: Callable[[web.Application], None] | None = None,
        default_users: bool = True,
    ) -> None:
        self.workspace = Workspace(
            now, strict_channels=strict_channels, trigger_ttl=trigger_ttl, default_users=default_users
        )
        """Replaced as a whole by the playground's Reset: the parts always ask for the current one."""
        self._routes = routes
        self.server = ServerThread(self._application, self._closing, port)
        self.recorder = Recorder()
        self.faults = Faults(rate_limits)
        self.contents = Contents(self._current_workspace)
        site = Site(self.server, self._current_workspace, self.recorder, self.faults)
        self.sockets = SocketMode(site)
        self.api = WebApi(site, self.sockets, revoked_tokens)
        self.response_urls = ResponseUrls(site)
        self.delivery = Delivery(self._current_workspace, self.sockets, event_subscriptions)
        self.act = Acting(self._current_workspace, self.delivery, self.response_urls)

    def _current_workspace(self) -> Workspace:
        return self.workspace

    # ---- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> FakeSlack:
        """Serve (again); after a `stop()` the same port is reused, so clients keep their URLs."""
        self.server.start()
        return self

    def _application(self) -> web.Application:
        app = web.Application(
            client_max_size=4 * 1024 * 1024, middlewares=[local_only(lambda: self.server.port)]
        )
        self.api.add_routes(app)
        self.response_urls.add_routes(app)
        self.sockets.add_routes(app)
        if self._routes is not None:
            self._routes(app)
        return app

    async def _closing(self) -> None:  # the server exists before the sockets it has to close
        await self.sockets.hub.close_all()

    def reset(self) -> None:
        """Forget recorded calls and acks and the concurrency peak (workspace state is kept)."""
        self.recorder.log.clear()
        self.sockets.hub.acks.clear()
        self.delivery.log.clear()
        self.act.view_outcomes.clear()
        self.api.forget_peak()

    stop = Part("server")
    running = Part("server")
    port = Part("server")
    url = Part("server")

    # ---- the Web API -----------------------------------------------------------------------------

    api_url = Part("api")
    revoke = Part("api")
    revoked_tokens = Part("api")
    in_flight = Part("api")
    peak_in_flight = Part("api")

    # ---- response_urls ---------------------------------------------------------------------------

    response_url = Part("response_urls")

    # ---- Socket Mode -----------------------------------------------------------------------------

    ws_url = Part("sockets")
    socket_url = Part("sockets")
    ticket_ttl = Part("sockets")
    socket_clients = Part("sockets")
    wait_for_socket = Part("sockets")
    wait_for_socket_async = Part("sockets")
    send_envelope = Part("sockets")
    send_socket_message = Part("sockets")
    send_disconnect = Part("sockets")
    disconnect_sockets = Part("sockets")
    acks = Part("sockets")
    wait_ack = Part("sockets")
    wait_ack_async = Part("sockets")

    # ---- what the fake answered ------------------------------------------------------------------

    calls = Part("recorder")
    calls_to = Part("recorder")
    wait_for = Part("recorder")
    wait_for_async = Part("recorder")

    # ---- faults ----------------------------------------------------------------------------------

    fail_next = Part("faults")
    faults_queued = Part("faults")
    fail_forever = Part("faults")
    heal = Part("faults")
    clear_faults = Part("faults")
    set_latency = Part("faults")
    set_down = Part("faults")
    rate_limit_every = Part("faults")
    enforce_rate_limits = Part("faults")
    stop_rate_limits = Part("faults")
    rate_limit_stats = Part("faults")

    # ---- the workspace's contents ----------------------------------------------------------------

    add_user = Part("contents")
    add_channel = Part("contents")
    remove_channel = Part("contents")
    add_message = Part("contents")
    add_usergroup = Part("contents")
    issue_trigger = Part("contents")
    trigger_ttl = Part("contents")
    messages = Part("contents")
    message = Part("contents")
    ephemerals = Part("contents")
    modal_stack = Part("contents")
    view = Part("contents")
    view_errors = Part("contents")
    home_view = Part("contents")

    # ---- people acting (slackfake/acting.py), and how it reaches the app (slackfake/delivery.py) ---

    set_request_url = Part("delivery")
    request_url = Part("delivery")
    request_secret = Part("delivery")
    event_subscriptions = Part("delivery")
    ack_timeout = Part("delivery")
    delivered = Part("delivery")
    wait_for_delivery = Part("delivery")
    view_outcomes = Part("act")

    command = blocking("command")
    command_async = awaiting("command")
    say = blocking("say")
    say_async = awaiting("say")
    click = blocking("click")
    click_async = awaiting("click")
    click_in_view = blocking("click_in_view")
    click_in_view_async = awaiting("click_in_view")
    close_view = blocking("close_view")
    close_view_async = awaiting("close_view")
    open_home = blocking("open_home")
    open_home_async = awaiting("open_home")
    message_shortcut = blocking("message_shortcut")
    message_shortcut_async = awaiting("message_shortcut")
    global_shortcut = blocking("global_shortcut")
    global_shortcut_async = awaiting("global_shortcut")
    join = blocking("join")
    join_async = awaiting("join")

    def submit_view(
        self, user: str, values: dict[str, Any] | None = None, *, view_id: str | None = None
    ) -> dict[str, Any]:
        """`user` fills in `values` (action_id or "block_id.action_id" -> what they entered) and presses
        Submit on their top modal; returns the ack's payload, already applied to their modal stack (what
        it did: `fake.view_outcomes[-1]`)."""
        submitted = self.act.submit_view(user, values, view_id=view_id)
        ack, _ = self.server.run(submitted, self.delivery.ack_timeout * 3)
        return ack

    async def submit_view_async(
        self, user: str, values: dict[str, Any] | None = None, *, view_id: str | None = None
    ) -> dict[str, Any]:
        ack, _ = await self.server.run_async(self.act.submit_view(user, values, view_id=view_id))
        return ack
