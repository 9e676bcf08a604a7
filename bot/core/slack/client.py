"""The one Web API client the bot uses, pointed at `SLACK_API_URL`, with safe retries.

Only retries that cannot duplicate a message are automatic: a 429 (Slack did not take the call; we wait
for `Retry-After`) and a refused connection (the call never reached Slack). A 5xx or a dropped connection
may hide a message Slack did post, so the quiz poster handles those itself and checks before resending.
"""

from __future__ import annotations

from aiohttp import ClientConnectorError, ClientSession, TCPConnector
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.settings import Settings

RATE_LIMIT_RETRIES = 5
CONNECT_RETRIES = 3
CALL_TIMEOUT_SECONDS = 10


def build_client(settings: Settings) -> AsyncWebClient:
    # Replaces slack_sdk's default handlers, which also retry dropped connections.
    return AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=CALL_TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
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
    """
    session = ClientSession(connector=TCPConnector(limit=limit))
    client.session = session
    return session
