"""The log setup of `python -m bot`: format, level, and secrets kept out of every line.

At DEBUG, slack_sdk and Bolt log whole Socket Mode envelopes and the URL of every response_url post. A
response_url lets anyone who holds it post to that channel for 30 minutes, and a token is the app itself,
so `Redact` rewrites each record before any handler writes it:

- the value of any `response_url` field, as JSON, a Python repr, a form body or `key=value`;
- any `hooks.slack.com` URL (response_urls and incoming webhooks);
- every URL in what slack_sdk's webhook client logs (it only ever talks to response_urls);
- Slack tokens (`xoxb-`, `xoxp-`, `xoxe.xoxp-`, `xapp-` …) and the one-time `ticket` of a Socket Mode URL.

The bot's own lines name a person by `pseudonym`, never by their Slack id: someone who asks to be
forgotten is not left behind in the log (DEBUG lines of slack_sdk and Bolt still hold whole requests).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_RESPONSE_URL_FIELD = re.compile(
    r"""(response_url\\*["']?\s*(?:[:=]|%3A)\s*\\*["']?)"""  # the key, its separator, an opening quote
    r"""((?:\\+/|[^\s"'\\,;&}\])])+)""",  # the value: up to a quote, separator or bracket (JSON may escape /)
    re.IGNORECASE,
)
_HOOKS_URL = re.compile(
    r"""(?:https?(?::|%3A)(?:\\*/|%2F){2})?hooks\.slack\.com(?:\\+/|[^\s"'<>\\,;&)\]}])*""", re.IGNORECASE
)
_TOKEN = re.compile(r"\b(xox[a-z]?(?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")
_TICKET = re.compile(r"(ticket=)[^&\s\"'\\]+")
_ANY_URL = re.compile(r"""\b[a-z][a-z0-9+.-]*://[^\s"'<>,]+""", re.IGNORECASE)
_CLUES = ("response_url", "hooks.slack.com", "xox", "xapp-", "ticket=")
_WEBHOOK_LOGGERS = "slack_sdk.webhook"
_PSEUDONYM_KEY = secrets.token_bytes(16)
"""Made at start and never written anywhere: without it, a pseudonym cannot be traced back to an id."""


def pseudonym(user_id: str) -> str:
    """How a log line names a person: a keyed hash of their Slack id, the same for the life of this
    process (lines about one person can be followed), unlinkable to the id after it."""
    digest = hmac.new(_PSEUDONYM_KEY, user_id.encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:12]}"


def redact(text: str, *, every_url: bool = False) -> str:
    """`text` without response_urls, webhook URLs and tokens (and, with `every_url`, without any URL)."""
    if every_url:
        text = _ANY_URL.sub(REDACTED, text)
    lowered = text.lower()
    if not any(clue in lowered for clue in _CLUES):
        return text
    text = _RESPONSE_URL_FIELD.sub(rf"\g<1>{REDACTED}", text)
    text = _HOOKS_URL.sub(REDACTED, text)
    text = _TOKEN.sub(rf"\g<1>-{REDACTED}", text)
    return _TICKET.sub(rf"\g<1>{REDACTED}", text)


class Redact(logging.Filter):
    """A handler filter: every record that reaches the handler, from any logger, leaves it redacted."""

    def __init__(self) -> None:
        super().__init__()
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        every_url = record.name.startswith(_WEBHOOK_LOGGERS)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the handler, which reports it as logging does
            return True
        cleaned = redact(message, every_url=every_url)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, every_url=every_url)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, every_url=every_url)
        return True


def configure(level: str) -> None:
    """Log to stderr at `level`, every line through `Redact`."""
    logging.basicConfig(level=level, format=FORMAT)
    redaction = Redact()
    for handler in logging.getLogger().handlers:
        handler.addFilter(redaction)
