"""/compare: the MLOps and DevOps sides of one topic, by command, mention, DM or button.

Other features show a topic's card through `topic_button` (a button /compare answers), `topic_menu` and
`topic_modal` (the card in a modal); `finds_nothing` says whether a DM would get "I don't have a topic".
"""

from bot.compare.blocks import topic_button, topic_menu
from bot.compare.commands import COMPARE
from bot.compare.listeners import register, warm_up
from bot.compare.modal import topic_modal
from bot.compare.replies import finds_nothing

__all__ = ["COMPARE", "finds_nothing", "register", "topic_button", "topic_menu", "topic_modal", "warm_up"]
