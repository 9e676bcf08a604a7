"""Only this machine's own clients: a request must name the fake's own address, and may come from no
other web page.

The fake listens on 127.0.0.1, but a web page the person has open elsewhere can still reach it through
their browser. Two checks, on every request, keep such a page out:

- `Host` must be `127.0.0.1:PORT` or `localhost:PORT`, else 421: a site that rebinds its own name to
  127.0.0.1 (DNS rebinding) sends its own name, and is refused before it can read or do anything.
- An `Origin` header, which browsers send with every cross-site POST and WebSocket handshake, must be the
  fake's own origin (`http://` + that Host), else 403. slack_sdk, Bolt and test clients send none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import hdrs, web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def local_only(port: Callable[[], int]) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """An aiohttp middleware refusing requests for another host (421) or from another origin (403)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get(hdrs.HOST, "").lower()
        if host not in (f"127.0.0.1:{port()}", f"localhost:{port()}"):
            return web.Response(status=421, text="this server answers only for 127.0.0.1 and localhost")
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is not None and origin.lower() != f"http://{host}":
            return web.Response(status=403, text="requests from other web pages are refused")
        return await handler(request)

    return guard
