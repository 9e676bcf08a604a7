"""The action ids and message metadata of the learning path's DMs."""

from __future__ import annotations

from bot.core.ids import keyed_pattern

LEARN_ANSWER = "learn_answer"
"""Prefix of the answer buttons in a learning-path DM: ``learn_answer:<index>:<letter>`` (unique in the
message, which may hold several questions); value ``<delivery_id>:<index>:<letter>``."""
LEARN_ANSWER_PATTERN = keyed_pattern(LEARN_ANSWER, r"\d+:[A-Z]")

LEARN_HINT = "learn_hint"
"""Prefix of the Hint button of one question in a learning-path DM (``learn_hint:<index>``); value
``<delivery_id>:<index>``."""
LEARN_HINT_PATTERN = keyed_pattern(LEARN_HINT, r"\d+")

LEARN_OPT_OUT = "learn_opt_out"
"""The "Not for me" button of a welcome sent to someone enrolled by others (joined the channel, or a
manager's `/learn enroll`): stops their path."""

LEARN_FORGET = "learn_forget"
"""The "Stop and forget me" button offered by `/learn stop`: deletes the learner's path."""

LEARN_UNDO_STOP = "learn_undo_stop"
"""The "Undo" button offered by `/learn stop` and "Not for me": back on the path, progress kept."""

LEARN_SHARE = "learn_share"
"""The "Share" button of the graduation DM: announces the graduation in LEARN_CHANNEL."""

LEARN_DAY_EVENT = "learn_day"
"""Slack message metadata event type of every learning-path DM (payload: ``delivery_id``)."""
