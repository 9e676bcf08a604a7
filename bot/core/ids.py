"""What every feature's action ids share: Slack's length limit, and ids that carry a key.

Each feature keeps its own ids in `bot/<feature>/ids.py` (builders put them on blocks, its listeners
register for them). Slack wants every action_id in one actions block to be unique, so a block with one
button per topic cannot reuse one action_id: those buttons get ``"<prefix>:<key>"`` (`keyed`), and the
listener registers for `keyed_pattern(prefix)`. The suffix only keeps action_ids apart: listeners read the
key from the button's ``value``.
"""

from __future__ import annotations

import re

ACTION_ID_MAX = 255


def keyed(prefix: str, key: str) -> str:
    """The action_id of one of several buttons with the same job, told apart by `key`."""
    return f"{prefix}:{key}"[:ACTION_ID_MAX]


def keyed_pattern(prefix: str, key: str = ".+") -> re.Pattern[str]:
    """What a listener registers for to answer every `keyed(prefix, …)` button (`key`: a regex)."""
    return re.compile(rf"^{re.escape(prefix)}:{key}$")
