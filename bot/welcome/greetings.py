"""Whether a DM or a mention is a greeting or a request for help ("hi", "hello!", "what can you do?")
rather than a topic: then the bot introduces itself instead of saying it has no topic "hello"."""

from __future__ import annotations

import re
import unicodedata

_MARKUP = re.compile(r"<[^<>]*>")  # mentions, channel links, URLs: <@U123>, <#C1|x>, <https://…>
_EMOJI = re.compile(r":[a-z0-9_+\-]+:")
_APOSTROPHES = str.maketrans("", "", "'\u2019")
MAX_LENGTH = 80
"""Longer messages are questions, not greetings."""

_HELLO = r"(?:hi|hello|hey|heya|hiya|hallo|howdy|yo|greetings|good (?:morning|afternoon|evening|day))"
_TO = r"(?: (?:there|all|everyone|team|folks|bot|again|you|friend|world))*"
_HELP = (
    r"(?:(?:please )?help(?: me)?(?: please)?"
    r"|what can (?:you|i) do(?: here)?|what do you do|what can i ask(?: you)?"
    r"|how does (?:this|it) work|how do you work|how do i use (?:this|you|it)"
    r"|who are you|what are you|what is this|commands|get started|getting started|start|usage|menu)"
)
GREETING = re.compile(rf"^(?:{_HELLO}{_TO}(?: {_HELP})?|{_HELP})$")


def words_of(text: str) -> str:
    """What someone wrote, as compared here: no mentions, links or :emoji:, folded case, no punctuation."""
    text = _EMOJI.sub(" ", _MARKUP.sub(" ", text[: MAX_LENGTH * 4]))
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def is_greeting(text: str) -> bool:
    """A greeting, a call for help, both ("hi, what can you do?"), or nothing but a mention of the bot."""
    if len(text) > MAX_LENGTH * 4:
        return False
    words = words_of(text)
    return len(words) <= MAX_LENGTH and (not words or GREETING.match(words) is not None)
