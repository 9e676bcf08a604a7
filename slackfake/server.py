"""`FakeSlack`: a local Slack (Web API, response_url, Socket Mode) over real HTTP and WebSocket.

The aiohttp server runs on its own event loop in a background thread, so both synchronous tests and
asyncio tests (whose loop also runs the bot) can use it. From an asyncio test, use the `*_async`
waiters: the blocking ones would stop the test's loop, and with it the bot under test.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from aiohttp import web

from slackfake.acting import ACK_TIMEOUT, Acting, awaiting, blocking
from slackfake.bodies import read_body, token_of
from slackfake.faults import Fault, FaultBook, make_fault
from slackfake.ratelimits import RateLimiter, RateLimits, RateLimitStats
from slackfake.recording import Call, Log, summary
from slackfake.sockets import SocketHub, envelope
from slackfake.triggers import DEFAULT_TTL
from slackfake.workspace import APP_ID, BOT_ID, BOT_USER_ID, SIGNING_SECRET, Workspace, ts_key

HOST = "127.0.0.1"
APP_TOKEN_METHODS = frozenset({"apps.connections.open", "auth.test"})
SHUTDOWN_TIMEOUT = 0.25


class _Dropped(Exception):
    """The injected fault says: hang up without answering."""


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
        self.revoked_tokens: set[str] = set(revoked_tokens)
        self.faults = FaultBook()
        self._calls: Log[Call] = Log()
        self._acks: Log[dict[str, Any]] = Log()
        self._delivered: Log[tuple[str, dict[str, Any]]] = Log()
        self._hub = SocketHub(self._calls, self._acks)
        self._port: int | None = port
        self._routes = routes
        self.request_url: str | None = None
        self.request_secret = SIGNING_SECRET
        self.event_subscriptions = frozenset(event_subscriptions) if event_subscriptions is not None else None
        self.ack_timeout = ACK_TIMEOUT
        self.act = Acting(self)
        self.view_outcomes: list[tuple[str, str]] = []
        """(view_id, outcome) of every submission made through `submit_view`, in order."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._counter_lock = threading.Lock()
        self._in_flight = 0
        self._peak_in_flight = 0
        self._api_calls = 0
        self._tickets = 0
        self.socket_url: str | None = None
        """What apps.connections.open hands out instead of `ws_url` when set (an endpoint that never
        answers the WebSocket handshake, say)."""
        self._latency = 0.0
        self._rate_limit: tuple[int, int] | None = None
        self._limiter: RateLimiter | None = None
        self._down = False
        if rate_limits is not None:
            self.enforce_rate_limits(rate_limits)

    # ---- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> FakeSlack:
        """Serve (again); after a `stop()` the same port is reused, so clients keep their URLs."""
        if self._thread is not None:
            raise RuntimeError("FakeSlack is already running")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(
            target=self._serve_forever, args=(loop,), name="fakeslack", daemon=True
        )
        self._thread.start()
        try:
            self._on_loop(self._open_site(), timeout=10)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every connection and stop listening: clients now get "connection refused"."""
        if self._thread is None or self._loop is None:
            return
        try:
            self._on_loop(self._close_site(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None
            self._loop = None

    @staticmethod
    def _serve_forever(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            # Handlers still waiting (a call held by `fail_next(delay=...)`) are cancelled here, not left
            # to be destroyed pending when the loop is collected: asyncio would log that as an ERROR in
            # whichever test happens to run then.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _open_site(self) -> None:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/ws", self._socket)
        if self._routes is not None:
            self._routes(app)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self._port or 0, reuse_address=True)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def _close_site(self) -> None:
        await self._hub.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _on_loop(self, coro: Coroutine[Any, Any, Any], timeout: float = 5.0) -> Any:
        if self._loop is None:
            coro.close()
            raise AssertionError("FakeSlack is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # ---- addresses -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeSlack has not been started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def api_url(self) -> str:
        """Base URL for slack_sdk clients (`base_url=`), with its trailing slash."""
        return f"{self.url}/api/"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/ws"

    def response_url(
        self,
        name: str = "r1",
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        user: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url whose posts are recorded as method "response_url" with `name`.

        With `channel` (and `message_ts` of the message the interaction came from, `ephemeral` when that
        message was ephemeral), posts act like Slack's: `replace_original` / `delete_original` change
        that message, `response_type: in_channel` posts a new one; other (ephemeral) answers become
        ephemeral messages for `user`, or, without a user, are only recorded.
        """
        with self.workspace.lock:
            self.workspace.response_targets[name] = {
                "channel": channel,
                "message_ts": message_ts,
                "user": user,
                "ephemeral": ephemeral,
            }
        return f"{self.url}/response/{name}"

    # ---- recording -------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self._calls.snapshot()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self._calls.snapshot() if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls to `method` (matching `where`) were answered; returns them all."""

        def matching(calls: list[Call]) -> list[Call]:
            return [c for c in calls if c.method == method and (where is None or where(c))]

        def describe() -> str:
            got = len(matching(self._calls.snapshot()))
            return (
                f"waited {timeout}s for {count} call(s) to {method}{' matching where=' if where else ''}, "
                f"got {got}; recorded: {summary(self._calls.snapshot())}"
            )

        return matching(self._calls.wait(lambda calls: len(matching(calls)) >= count, timeout, describe))

    async def wait_for_async(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """`wait_for` without blocking the caller's event loop."""
        return await asyncio.to_thread(self.wait_for, method, count, timeout, where=where)

    def reset(self) -> None:
        """Forget recorded calls and acks and the concurrency peak (workspace state is kept)."""
        self._calls.clear()
        self._acks.clear()
        self._delivered.clear()
        self.view_outcomes.clear()
        with self._counter_lock:
            self._peak_in_flight = self._in_flight
            self._api_calls = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most Web API requests that were being handled at the same moment."""
        return self._peak_in_flight

    # ---- workspace -------------------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Add or replace a user for users.info: `name`, `is_admin`, `is_owner`, `is_bot`, `deleted`, `tz`."""
        with self.workspace.lock:
            return self.workspace.add_user(user_id, **fields)

    def add_channel(self, channel_id: str, **fields: Any) -> dict[str, Any]:
        """Configure a channel: `name`, `is_archived`, `is_member`, `is_private`.

        Channels not configured come into existence on first use as public channels the bot is in.
        """
        with self.workspace.lock:
            return self.workspace.add_channel(channel_id, **fields)

    def remove_channel(self, channel_id: str) -> None:
        """From now on every method answers channel_not_found for this channel."""
        with self.workspace.lock:
            self.workspace.removed_channels.add(channel_id)

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = "U123",
        bot: bool = False,
        ts: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Seed history: a message by `user` (or by the bot when `bot`), e.g. `metadata=`, `thread_ts=`."""
        message: dict[str, Any] = {"text": text, "user": BOT_USER_ID if bot else user, **fields}
        if bot:
            message["bot_id"] = BOT_ID
        if ts is not None:
            message["ts"] = ts
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.add_message(channel, message))

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every stored message of the channel, thread replies included, oldest first."""
        with self.workspace.lock:
            return self.workspace.messages(channel)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        key = ts_key(ts)
        return next((m for m in self.messages(channel) if ts_key(m["ts"]) == key), None)

    def add_usergroup(self, group_id: str, handle: str, users: list[str], **fields: Any) -> dict[str, Any]:
        """A user group (`S…`) for usergroups.users.list / usergroups.list: `name`, `disabled`."""
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.add_usergroup(group_id, handle, users, **fields))

    def ephemerals(self, channel: str, user: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages in the channel (for `user` only, if given): chat.postEphemeral, ephemeral
        acks and response_url answers of people acting through the fake."""
        with self.workspace.lock:
            return self.workspace.ephemeral_messages(self.workspace.channel(channel)["id"], user)

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        """The user's open modals, root first (empty when none is open)."""
        with self.workspace.lock:
            return self.workspace.modal_stack(user)

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self.workspace.lock:
            view = self.workspace.views.get(view_id)
            return copy.deepcopy(view)

    def view_errors(self, view_id: str) -> dict[str, str]:
        """Field errors the app answered a submission of this view with (block_id -> message)."""
        with self.workspace.lock:
            return dict(self.workspace.view_errors.get(view_id, {}))

    def issue_trigger(self, user: str) -> str:
        """A trigger_id issued to `user` now (by the fake's clock), as a click would give the app."""
        with self.workspace.lock:
            return self.workspace.issue_trigger(user)

    @property
    def trigger_ttl(self) -> float:
        return self.workspace.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.workspace.trigger_ttl = seconds

    def set_request_url(self, url: str | None, *, signing_secret: str = SIGNING_SECRET) -> None:
        """Send what people do to the app over HTTP at `url` (signed), instead of over Socket Mode."""
        self.request_url = url
        self.request_secret = signing_secret

    # ---- people acting (see slackfake/acting.py) ----------------------------------------------------

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
        ack, _ = self._on_loop(self.act.submit_view(user, values, view_id=view_id), self.ack_timeout * 3)
        return ack

    async def submit_view_async(
        self, user: str, values: dict[str, Any] | None = None, *, view_id: str | None = None
    ) -> dict[str, Any]:
        if self._loop is None:
            raise AssertionError("FakeSlack is not running")
        future = asyncio.run_coroutine_threadsafe(
            self.act.submit_view(user, values, view_id=view_id), self._loop
        )
        ack, _ = await asyncio.wrap_future(future)
        return ack

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for the user."""
        with self.workspace.lock:
            view = self.workspace.home_views.get(user_id)
            return copy.deepcopy(view)

    def revoke(self, token: str) -> None:
        """Calls with `token` now answer token_revoked."""
        self.revoked_tokens.add(token)

    # ---- faults ----------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        delay: float = 0.0,
        drop: bool = False,
        commit: bool = False,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` ("*" for any, "response_url" too) fail; see `Fault`.

        With no arguments: HTTP 429 with `Retry-After: 1`.
        """
        fault = make_fault(
            status=status, retry_after=retry_after, error=error, delay=delay, drop=drop, commit=commit
        )
        self.faults.queue(method, fault, times)

    def fail_forever(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        delay: float = 0.0,
        drop: bool = False,
        commit: bool = False,
    ) -> None:
        """Like `fail_next` but for every call until `heal(method)` or `clear_faults()`."""
        fault = make_fault(
            status=status, retry_after=retry_after, error=error, delay=delay, drop=drop, commit=commit
        )
        self.faults.forever(method, fault)

    def heal(self, method: str) -> None:
        self.faults.forever(method, None)

    def clear_faults(self) -> None:
        """Lift every injected fault and global knob (latency, rate limit, down)."""
        self.faults.clear()
        self._latency = 0.0
        self._rate_limit = None
        self._limiter = None
        self._down = False

    def set_latency(self, seconds: float) -> None:
        """Add `seconds` to the handling of every Web API call."""
        self._latency = seconds

    def rate_limit_every(self, n: int | None, *, retry_after: int = 1) -> None:
        """Answer every `n`-th Web API call (counted from now) with 429; `None` or 0 turns it off."""
        with self._counter_lock:
            self._rate_limit = (n, retry_after) if n else None
            self._api_calls = 0

    def enforce_rate_limits(
        self, limits: RateLimits | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> RateLimiter:
        """Answer like Slack once an app goes past its rate limits (`RateLimits()`: Slack's documented
        ones): HTTP 429 with Retry-After. `clock` drives the token buckets (monotonic seconds)."""
        limits = limits or RateLimits()
        self._limiter = RateLimiter(limits, clock=clock)
        self._latency = limits.latency
        return self._limiter

    def stop_rate_limits(self) -> None:
        self._limiter = None

    @property
    def rate_limit_stats(self) -> RateLimitStats:
        """429s answered by the enforcing mode, by method and by channel (empty when it is off)."""
        return self._limiter.stats if self._limiter is not None else RateLimitStats()

    def set_down(self, down: bool = True) -> None:
        """While down, every Web API call and Socket Mode connection gets HTTP 503."""
        self._down = down

    # ---- Socket Mode -----------------------------------------------------------------------------

    @property
    def socket_clients(self) -> int:
        return len(self._hub.clients)

    @property
    def delivered(self) -> list[tuple[str, dict[str, Any]]]:
        """(envelope type, payload) of every request people acting through the fake sent the app."""
        return self._delivered.snapshot()

    def wait_for_delivery(
        self, where: Callable[[str, dict[str, Any]], bool], timeout: float = 5.0
    ) -> dict[str, Any]:
        """Block until a request matching `where(kind, payload)` was sent to the app; returns its payload."""

        def find(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
            return next((p for k, p in items if where(k, p)), None)

        found = find(
            self._delivered.wait(
                lambda items: find(items) is not None,
                timeout,
                lambda: f"none sent within {timeout}s; sent: {[k for k, _ in self._delivered.snapshot()]}",
            )
        )
        assert found is not None
        return found

    @property
    def acks(self) -> list[dict[str, Any]]:
        """Every message Socket Mode clients sent (acks), in order."""
        return self._acks.snapshot()

    def wait_for_socket(self, timeout: float = 5.0, *, count: int = 1) -> None:
        """Block until at least `count` Socket Mode clients are connected."""
        deadline = time.monotonic() + timeout
        while len(self._hub.clients) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout}s for {count} Socket Mode connection(s), "
                    f"have {len(self._hub.clients)}; "
                    f"recorded: {summary(self._calls.snapshot())}"
                )
            time.sleep(0.01)

    async def wait_for_socket_async(self, timeout: float = 5.0, *, count: int = 1) -> None:
        await asyncio.to_thread(self.wait_for_socket, timeout, count=count)

    def send_envelope(
        self,
        type: str,
        payload: Any,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Deliver a Slack envelope ("slash_commands" | "interactive" | "events_api"); returns its id.

        `accepts_response_payload` defaults to what Slack sets for that kind of payload.
        """
        message = envelope(
            type,
            payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            accepts_response_payload=accepts_response_payload,
        )
        self.act.stamp(payload)
        self._on_loop(self._hub.send(message))
        return message["envelope_id"]

    def send_socket_message(self, message: dict[str, Any]) -> None:
        """Send any message (e.g. a custom "disconnect") to every connected client."""
        self._on_loop(self._hub.broadcast(message))

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's request to reconnect; clients open a new connection, then drop the old one."""
        self.send_socket_message(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}}
        )

    def disconnect_sockets(self) -> None:
        """Close every Socket Mode connection from the server side (clients should reconnect)."""
        self._on_loop(self._hub.close_all())

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The client's ack of `envelope_id` ({"envelope_id", "payload"?}); AssertionError on timeout."""

        def find(acks: list[dict[str, Any]]) -> dict[str, Any] | None:
            return next((a for a in acks if a.get("envelope_id") == envelope_id), None)

        def describe() -> str:
            seen = [a.get("envelope_id") for a in self._acks.snapshot()]
            return (
                f"no ack for envelope {envelope_id} within {timeout}s; acks seen: {seen}; "
                f"connected clients: {len(self._hub.clients)}"
            )

        ack = find(self._acks.wait(lambda acks: find(acks) is not None, timeout, describe))
        assert ack is not None
        return ack

    async def wait_ack_async(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        return await asyncio.to_thread(self.wait_ack, envelope_id, timeout)

    # ---- HTTP handlers (run on the server loop) ----------------------------------------------------

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        return await self._hub.handle(request, refuse=self._down)

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        arrived = time.time()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self._enter()
        status, reply, extra_headers = 0, None, {}
        body: dict[str, Any] = {}
        try:
            try:
                body = await read_body(request)
            except ValueError:
                status, reply = 200, {"ok": False, "error": "invalid_json"}
            else:
                status, reply, extra_headers = await self._answer(method, body, token_of(headers, body))
            return web.json_response(reply, status=status, headers=extra_headers)
        except _Dropped:
            return _hang_up(request)
        finally:
            self._leave()
            self._calls.append(Call(method, body, headers, arrived, status, reply, path=request.path))

    async def _answer(
        self, method: str, body: dict[str, Any], token: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        if self._latency:
            await asyncio.sleep(self._latency)
        if self._down:
            return 503, {"ok": False, "error": "service_unavailable"}, {}
        retry_after = self._rate_limited()
        if retry_after is None and self._limiter is not None:
            retry_after = self._limiter.check(method, str(body.get("channel") or ""))
        if retry_after is not None:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        fault = await self._take_fault(method)
        if fault is not None and not fault.commit:
            return _failure(fault)
        reply = self._handle(method, body, token)
        return _failure(fault) if fault is not None else (200, reply, {})

    async def _take_fault(self, method: str) -> Fault | None:
        """The failing fault for this call, after its delay (a delay-only fault just slows the call)."""
        fault = self.faults.take(method)
        if fault is None:
            return None
        if fault.delay:
            await asyncio.sleep(fault.delay)
        return fault if fault.fails else None

    def _handle(self, method: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not Workspace.knows(method):
            return {"ok": False, "error": "unknown_method", "req_method": method}
        error = self._auth_error(method, token)
        if error is not None:
            return {"ok": False, "error": error}
        with self.workspace.lock:
            reply = self.workspace.call(method, body)
        if method == "apps.connections.open" and reply["ok"]:
            with self._counter_lock:
                self._tickets += 1
                where = self.socket_url or self.ws_url
                reply["url"] = f"{where}?ticket=fake-{self._tickets}&app_id={APP_ID}"
        return reply

    def _auth_error(self, method: str, token: str | None) -> str | None:
        if not token:
            return "not_authed"
        if token in self.revoked_tokens:
            return "token_revoked"
        if token.startswith("xapp-"):
            return None if method in APP_TOKEN_METHODS else "not_allowed_token_type"
        if token.startswith("xoxb-"):
            return "not_allowed_token_type" if method == "apps.connections.open" else None
        return "invalid_auth"

    def _rate_limited(self) -> int | None:
        with self._counter_lock:
            self._api_calls += 1
            if self._rate_limit and self._api_calls % self._rate_limit[0] == 0:
                return self._rate_limit[1]
        return None

    def _enter(self) -> None:
        with self._counter_lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._counter_lock:
            self._in_flight -= 1

    async def _response_url(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        arrived = time.time()
        headers = {k.lower(): v for k, v in request.headers.items()}
        raw = await request.text()
        try:
            body: Any = json.loads(raw) if raw else {}
        except ValueError:
            body = None  # Slack answers 400 invalid_payload
        status, text = 0, None
        try:
            fault = await self._take_fault("response_url")
            if fault is None or fault.commit:
                with self.workspace.lock:
                    status, text = self.workspace.respond(name, body)
            if fault is not None:
                status, reply, _ = _failure(fault)
                text = reply["error"]
            return web.Response(status=status, text=text, content_type="text/html")
        except _Dropped:
            status, text = 0, None
            return _hang_up(request)
        finally:
            recorded = body if isinstance(body, dict) else {"_raw": raw}
            self._calls.append(
                Call("response_url", recorded, headers, arrived, status, text, name, request.path)
            )


def _failure(fault: Fault) -> tuple[int, Any, dict[str, str]]:
    if fault.drop:
        raise _Dropped
    return fault.reply()


def _hang_up(request: web.Request) -> web.StreamResponse:
    """Abort the TCP connection so the client sees it dropped mid-request."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=204)
