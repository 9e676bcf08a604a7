"""What the playground needs from a Slack app manifest: the app's name, slash commands, shortcuts and the
bot events it subscribes to.

Reads the block-style YAML subset that manifests are written in (nested mappings, lists, plain and quoted
scalars, comments) without a YAML library; a manifest already parsed (e.g. by the caller's YAML library)
can be passed as a mapping instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_COMMENT = re.compile(r"""\s+#.*$""")


@dataclass(frozen=True)
class Command:
    command: str
    description: str = ""
    usage_hint: str = ""
    should_escape: bool = False
    """Slack turns a typed @person and #channel into <@U…|name> and <#C…|name> in the text it sends."""


@dataclass(frozen=True)
class Shortcut:
    name: str
    callback_id: str
    type: str = "message"
    description: str = ""


@dataclass(frozen=True)
class AppManifest:
    name: str = "App"
    bot_name: str = "app"
    commands: tuple[Command, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    bot_events: tuple[str, ...] = field(default=())
    home_tab: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "bot_name": self.bot_name,
            "commands": [vars(c) for c in self.commands],
            "shortcuts": [vars(s) for s in self.shortcuts],
            "bot_events": list(self.bot_events),
            "home_tab": self.home_tab,
        }


def load_manifest(source: Path | str | Mapping[str, Any] | None) -> AppManifest:
    """An `AppManifest` from a manifest file path, a parsed manifest, or nothing (an app with no commands)."""
    if source is None:
        return AppManifest()
    data = source if isinstance(source, Mapping) else parse_yaml(Path(source).read_text(encoding="utf-8"))
    features = _map(data.get("features"))
    bot_user = _map(features.get("bot_user"))
    events = _map(_map(data.get("settings")).get("event_subscriptions"))
    return AppManifest(
        name=str(_map(data.get("display_information")).get("name") or "App"),
        bot_name=str(bot_user.get("display_name") or "app"),
        commands=tuple(
            Command(
                str(c.get("command")),
                str(c.get("description") or ""),
                str(c.get("usage_hint") or ""),
                c.get("should_escape") is True,
            )
            for c in _list(features.get("slash_commands"))
            if isinstance(c, Mapping) and c.get("command")
        ),
        shortcuts=tuple(
            Shortcut(
                str(s.get("name") or s.get("callback_id")),
                str(s.get("callback_id")),
                str(s.get("type") or "message"),
                str(s.get("description") or ""),
            )
            for s in _list(features.get("shortcuts"))
            if isinstance(s, Mapping) and s.get("callback_id")
        ),
        bot_events=tuple(str(e) for e in _list(events.get("bot_events"))),
        home_tab=_map(features.get("app_home")).get("home_tab_enabled") is True,
    )


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _scalar(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        inner = text[1:-1]
        return inner.replace('\\"', '"') if text[0] == '"' else inner.replace("''", "'")
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    quote = None
    for i, char in enumerate(line):
        if char in "\"'" and quote is None:
            quote = char
        elif char == quote:
            quote = None
        elif char == "#" and quote is None and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def parse_yaml(text: str) -> dict[str, Any]:
    """Block-style YAML (mappings, lists, scalars) as manifests use it; flow collections are not read."""
    lines = [(len(raw) - len(raw.lstrip(" ")), raw.strip()) for raw in map(_strip_comment, text.splitlines())]
    lines = [(indent, content) for indent, content in lines if content and content != "---"]
    value, _ = _block(lines, 0, lines[0][0] if lines else 0)
    return value if isinstance(value, dict) else {}


def _block(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[Any, int]:
    if i < len(lines) and lines[i][1].startswith("- "):
        items: list[Any] = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
            rest = lines[i][1][1:].strip()
            if not rest:
                value, i = _block(lines, i + 1, lines[i + 1][0]) if i + 1 < len(lines) else (None, i + 1)
            elif re.match(r"^[^\"'][^:]*:(\s|$)", rest):
                # "- key: value" starts a mapping whose keys line up with `key`
                lines[i] = (indent + 2, rest)
                value, i = _block(lines, i, indent + 2)
            else:
                value, i = _scalar(rest), i + 1
            items.append(value)
        return items, i
    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        key = str(_scalar(key))
        if rest.strip():
            mapping[key], i = _scalar(rest), i + 1
        elif i + 1 < len(lines) and lines[i + 1][0] > indent:
            mapping[key], i = _block(lines, i + 1, lines[i + 1][0])
        elif i + 1 < len(lines) and lines[i + 1][0] == indent and lines[i + 1][1].startswith("- "):
            mapping[key], i = _block(lines, i + 1, indent)
        else:
            mapping[key], i = None, i + 1
    return mapping, i
