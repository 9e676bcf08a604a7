"""A local fake Slack for tests: Web API, response_url and Socket Mode over real HTTP / WebSocket.

Importing `fake_slack_fixture` into a conftest (or test module) registers the `fake_slack` fixture;
`tests.fakeslack.requests` builds what Slack sends to the app.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeslack.faults import Fault
from tests.fakeslack.recording import Call
from tests.fakeslack.server import FakeSlack
from tests.fakeslack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

__all__ = ["APP_ID", "BOT_ID", "BOT_USER_ID", "TEAM_ID", "Call", "FakeSlack", "Fault", "fake_slack_fixture"]


@pytest.fixture(name="fake_slack")
def fake_slack_fixture() -> Iterator[FakeSlack]:
    """A running FakeSlack, stopped after the test."""
    with FakeSlack() as fake:
        yield fake
