"""Only the playground's own page drives it: a page on another site, or a site that rebinds its own name to
127.0.0.1, can neither read from nor drive the fake Slack, in a real browser and over raw HTTP."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slackfake.playground import Playground
from slackfake.playground.browser import chrome, missing
from tests.fixtures.harness import RunningBot
from tests.fixtures.playground import Page

OTHER_SITE = (Path(__file__).parent / "other_site.html").read_bytes()
REBOUND = "rebound.test"
"""A name its owner pointed at 127.0.0.1 (DNS rebinding); the rebinding browser resolves it there."""
GENERAL = "CGENERAL"


class OtherSite(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(OTHER_SITE)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[str]:
    """The address of a page on another origin (another port of this machine)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def rebinding_browser() -> Iterator[Any]:
    reason = missing()
    if reason is not None:
        pytest.skip(f"browser tests need headless Chromium: {reason}")
    driver = chrome(arguments=[f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1"])
    yield driver
    driver.quit()


def everything_said(pg: Playground) -> str:
    """Every message and ephemeral in every conversation, as one text."""
    with pg.fake.workspace.lock:
        return json.dumps(
            [
                pg.fake.workspace.messages(c) + pg.fake.workspace.ephemeral_messages(c)
                for c in pg.fake.workspace.channels
            ]
        )


def test_another_site_can_neither_drive_nor_read_the_playground_which_still_works(
    page: Page, bot: RunningBot, other_site: str
) -> None:
    pg, driver = page.pg, page.driver
    playground_tab = driver.current_window_handle
    response_url = pg.fake.response_urls.issue(GENERAL, "UADA")  # as if the other site had learnt one
    driver.switch_to.new_window("tab")
    query = {"port": str(pg.port), "token": pg.bot_token, "response_url": response_url}
    driver.get(other_site + "?" + "&".join(f"{k}={urllib.request.quote(v)}" for k, v in query.items()))
    page.until(lambda d: d.execute_script("return window.done"), "the other site's attempts")
    attempts = driver.execute_script("return window.attempts")

    assert not [a for a in attempts if a.startswith("socket open")], attempts
    assert not [a for a in attempts if " read " in a], attempts  # every answer it tried to read: blocked
    assert "pwned" not in everything_said(pg)
    assert "Welcome to the playground" in everything_said(pg)  # no reset either
    assert pg.fake.socket_clients == 1  # the bot, alone

    driver.switch_to.window(playground_tab)  # the other site stays open in its tab meanwhile
    page.type("/compare monitoring")
    card = page.wait_text(".msg-ephemeral", "Monitoring")
    assert "answered by another site" not in card.text
    driver.switch_to.window(driver.window_handles[-1])
    assert not [a for a in driver.execute_script("return window.attempts") if "received" in a]
    driver.close()
    driver.switch_to.window(playground_tab)


def test_a_rebound_name_gets_nothing_from_the_playground(
    rebinding_browser: Any, playground: Playground
) -> None:
    for path in ("/", "/playground/state?user=UGRACE"):
        rebinding_browser.get(f"http://{REBOUND}:{playground.port}{path}")
        text = rebinding_browser.find_element("tag name", "body").text
        assert "answers only for 127.0.0.1 and localhost" in text, text
    rebinding_browser.get(f"http://localhost:{playground.port}/")  # its own names still work
    assert rebinding_browser.title == "Slack playground"


# ---- the same over raw HTTP ----------------------------------------------------------------------------


def status_of(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=5):
            return 200
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/playground/state?user=UGRACE"])
def test_a_rebound_host_is_misdirected(playground: Playground, path: str) -> None:
    host = {"Host": f"{REBOUND}:{playground.port}"}
    assert status_of(f"http://127.0.0.1:{playground.port}{path}", headers=host) == 421


@pytest.mark.parametrize("name", ["send", "reset"])
def test_the_page_api_refuses_another_origin(name: str) -> None:
    resets: list[str] = []
    with Playground(manifest={}, on_reset=lambda: resets.append("reset")) as pg:
        body = json.dumps({"user": "UADA", "channel": GENERAL, "text": "pwned"}).encode()
        headers = {"Content-Type": "application/json", "Origin": "http://elsewhere.example"}
        assert status_of(f"{pg.url}playground/{name}", data=body, headers=headers) == 403
        assert "pwned" not in everything_said(pg) and resets == []
        own = {**headers, "Origin": f"http://127.0.0.1:{pg.port}"}
        assert status_of(f"{pg.url}playground/{name}", data=body, headers=own) == 200
