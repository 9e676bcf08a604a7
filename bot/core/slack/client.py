"""The one Web API client the bot uses, pointed at `SLACK_API_URL`, with safe retries and a bound on
every call.

Only retries that cannot duplicate a message are automatic: a 429 (Slack did not take the call; we wait
for `Retry-After`) and a refused connection (the call never reached Slack). A 5xx or a dropped connection
may hide a message Slack did post, so the quiz poster handles those itself and checks before resending.

Bounds: each HTTP attempt gets `CALL_TIMEOUT_SECONDS` (10 s) in all, connecting included, also on the
shared keep-alive pool (`share_connections`), which slack_sdk would otherwise use with aiohttp's own
default of 300 s. A 429 is waited out for at most `RATE_LIMIT_BUDGET_SECONDS` per call in all; a
`Retry-After` beyond that (or not a number) ends the call with the 429, which callers treat as
transient. A call therefore takes at most (1 + `RATE_LIMIT_RETRIES`) attempts and the waits between.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from aiohttp import ClientConnectorError, ClientSession, ClientTimeout, TCPConnector
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.settings import Settings

RATE_LIMIT_RETRIES = 5
RATE_LIMIT_BUDGET_SECONDS = 30.0
"""The most one call waits in all on Slack's Retry-After before it gives up."""
CONNECT_RETRIES = 3
CALL_TIMEOUT_SECONDS = 10.0
"""Each HTTP attempt at a Web API call or a response_url, from connecting to the last byte."""
_WAITED = "rate_limit_waited"


class BoundedRateLimitRetryHandler(AsyncRetryHandler):
    """Waits out a 429's `Retry-After` while the waits of one call add up to at most `budget` seconds."""

    def __init__(
        self, *, max_retry_count: int = RATE_LIMIT_RETRIES, budget: float = RATE_LIMIT_BUDGET_SECONDS
    ):
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response)
        return wait is not None and _waited(state) + wait <= self.budget

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = (retry_after(response) if response is not None else None) or 1
        note_wait(state, wait)
        state.next_attempt_requested = True
        await self.wait_before_retry(request, wait)
        state.increment_current_attempt()

    async def wait_before_retry(self, request: HttpRequest, wait: float) -> None:
        """Wait out Slack's Retry-After before the call is sent again."""
        await asyncio.sleep(wait + random.uniform(0, 0.25))  # apart, not all at once


def retry_after(response: HttpResponse) -> float | None:
    """Slack's `Retry-After` in seconds (1 when absent, as slack_sdk assumes); None when not a number."""
    values: Any = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    if not values:
        return 1.0
    raw = str(values[0] if isinstance(values, list) else values).strip()
    return float(raw) if raw.isdigit() and len(raw) <= 6 else None


def note_wait(state: RetryState, wait: float) -> None:
    """Count `wait` seconds against the call's Retry-After budget."""
    state.custom_values = {**(state.custom_values or {}), _WAITED: _waited(state) + wait}


def _waited(state: RetryState) -> float:
    return float((state.custom_values or {}).get(_WAITED, 0.0))


def build_client(settings: Settings, *, timeout: float = CALL_TIMEOUT_SECONDS) -> AsyncWebClient:
    # Replaces slack_sdk's default handlers, which also retry dropped connections.
    return AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,  # type: ignore[arg-type]  # slack_sdk says int; aiohttp takes any number
        retry_handlers=[
            BoundedRateLimitRetryHandler(),
            AsyncConnectionErrorRetryHandler(
                max_retry_count=CONNECT_RETRIES,
                interval_calculator=BackoffRetryIntervalCalculator(backoff_factor=0.5),
                error_types=[ClientConnectorError],
            ),
        ],
    )


def share_connections(client: AsyncWebClient, *, limit: int = 50) -> ClientSession:
    """Give `client` one pool of keep-alive connections (call inside the event loop; close it at stop).

    Without one, slack_sdk opens a new connection, and against Slack a new TLS handshake, for every call.
    slack_sdk uses a session it is given as is, timeout included, so the pool carries the client's.
    """
    session = ClientSession(
        connector=TCPConnector(limit=limit), timeout=ClientTimeout(total=float(client.timeout))
    )
    client.session = session
    return session
