"""What every Web API method of the fake shares: Slack's error answer, argument readers, the registry."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

Args = dict[str, Any]
Reply = dict[str, Any]
Handler = Callable[[Any, Args], Reply]

METHODS: dict[str, Handler] = {}
"""Web API method name -> handler(workspace, args); filled by the `@method` decorators."""


class ApiError(Exception):
    """A Slack `ok: false` answer; `extra` adds fields such as `errors` or `response_metadata`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: Reply = {"ok": False, "error": error, **extra}


def invalid_arguments(*messages: str) -> ApiError:
    """Slack's answer to arguments it cannot use: `invalid_arguments` and one `[ERROR]` line each."""
    return ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]})


def method(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        METHODS[name] = fn
        return fn

    return register


def truthy(value: Any) -> bool:
    """Slack's reading of a boolean argument (slack_sdk sends form booleans as "1"/"0")."""
    return value in (True, 1, "1", "true", "True")


def ts_key(ts: Any) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        raise ApiError("invalid_ts_latest") from None


def required(args: Args, name: str) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise invalid_arguments(f"missing required field: {name}")
    return value
