"""The action and callback ids of /compare's cards, menus and modal."""

from __future__ import annotations

from bot.core.ids import keyed, keyed_pattern

SHARE_COMPARISON = "compare.share"
"""The "Share in channel" button of a card; value = the topic key."""

SHOW_EXAMPLE = "compare.example"
"""The "Example" button of a card whose example is folded away; value = the topic key."""

OPEN_TOPIC = "compare.open"
"""Prefix of every "show this topic" button (`topic_button`, any feature may show one); value = the key."""
OPEN_TOPIC_PATTERN = keyed_pattern(OPEN_TOPIC)

PICK_TOPIC = "compare.pick"
"""The "Open a topic…" menu under `/compare all`; the selected option's value = the topic key."""

EXPLAIN_MESSAGE = "compare.explain_message"
"""callback_id of the message shortcut "Explain MLOps vs DevOps" (manifest.yml names it too)."""

CARD_MODAL = "compare.card_modal"
"""callback_id of the modal that shows topic cards; its private_metadata says which topics its menu offers."""

MODAL_PICK_TOPIC = "compare.modal_pick"
"""The topic menu inside the card modal; picking one updates the modal (views.update)."""

MODAL_REPLY_IN_THREAD = "compare.modal_reply"
"""The "Reply in thread with this card" button under a card in the shortcut's modal; value = the topic key."""

MODAL_SHOW_EXAMPLE = "compare.modal_example"
"""The "Example" button under a card in the modal: the modal again, with that example; value = the key."""

MODAL_OPEN_TOPIC = "compare.modal_open"
"""Prefix of the related-topic buttons on a card inside the modal; value = the topic key."""
MODAL_OPEN_TOPIC_PATTERN = keyed_pattern(MODAL_OPEN_TOPIC)


def open_topic(key: str) -> str:
    """The action_id of the button that opens topic *key* (unique per key within a block)."""
    return keyed(OPEN_TOPIC, key)


def modal_open_topic(key: str) -> str:
    """The action_id of the button in the card modal that shows topic *key* instead."""
    return keyed(MODAL_OPEN_TOPIC, key)
