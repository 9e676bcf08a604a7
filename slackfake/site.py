"""What each endpoint of the fake works with: its server, the current workspace, the record, the faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slackfake.faults import Faults
from slackfake.recording import Recorder
from slackfake.serving import ServerThread
from slackfake.workspace import Workspace


@dataclass(frozen=True)
class Site:
    """Shared by the Web API, the response URLs and Socket Mode.

    `workspace` is asked for each time: the playground's Reset replaces the workspace as a whole.
    """

    server: ServerThread
    workspace: Callable[[], Workspace]
    recorder: Recorder
    faults: Faults
