"""Reading Web API requests: the fields wherever Slack takes them from, the token from one place only."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from aiohttp import web

# Fields Slack accepts as JSON strings inside form bodies; decoded so recorded bodies are plain data.
JSON_FIELDS = frozenset({"attachments", "blocks", "metadata", "unfurls", "user_auth_blocks", "view"})


def token_of(headers: dict[str, str]) -> str | None:
    """The bearer token of the `Authorization` header, where slack_sdk sends it.

    Slack also takes a `token` field, but the fake does not: a web page elsewhere can put a field in a
    link or a form, and cannot set this header on a request to another site without its consent.
    """
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return None


async def read_body(request: web.Request) -> dict[str, Any]:
    """Query string, form (urlencoded or multipart) and JSON fields of a Web API request, merged.

    Raises ValueError for a body that claims to be JSON and is not.
    """
    fields: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.text()
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("JSON body is not an object")
        fields.update(data)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                fields[key] = {"filename": value.filename, "size": len(value.file.read())}
            else:
                fields[key] = value
    for key in JSON_FIELDS & fields.keys():
        if isinstance(fields[key], str):
            # Left as sent when it is not JSON; the method then rejects it as Slack would.
            with contextlib.suppress(ValueError):
                fields[key] = json.loads(fields[key])
    return fields
