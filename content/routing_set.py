"""The routing set (content/routing.toml): phrases people type with the topics that answer them, and decoys
that must find none; each in the dev or the test split by a hash of its text. The lookup ranks with the dev
phrases (`examples`); the test split is only ever measured."""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from content.model import Content

ROUTING_FILE = Path(__file__).with_name("routing.toml")
KINDS = ("questions", "tools", "typos")
Split = Literal["dev", "test"]


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    kind: str  # one of KINDS
    topics: tuple[str, ...]  # the keys of the topics that answer it, its own topic first
    split: Split


@dataclass(frozen=True, slots=True)
class Decoy:
    text: str
    kind: str  # the [decoys] list it is in
    split: Split


@dataclass(frozen=True, slots=True)
class RoutingSet:
    phrases: tuple[Phrase, ...]
    decoys: tuple[Decoy, ...]

    def in_split(self, split: Split) -> RoutingSet:
        return RoutingSet(
            tuple(p for p in self.phrases if p.split == split),
            tuple(d for d in self.decoys if d.split == split),
        )


@dataclass(frozen=True, slots=True)
class Counted:
    """The phrases a bank can be measured on, and those it cannot yet."""

    phrases: tuple[Phrase, ...]  # their topics narrowed to those the bank has
    new_topics: tuple[Phrase, ...]  # none of their topics is in the bank yet
    unknown_words: tuple[Phrase, ...]  # the bank uses none of their words: content to add, not to rank


def split_of(text: str) -> Split:
    """A phrase's split: fixed by its text, so adding phrases never moves another one."""
    return "dev" if zlib.crc32(text.encode()) % 2 == 0 else "test"


def load_routing_set(path: Path = ROUTING_FILE) -> RoutingSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    phrases = [
        Phrase(text, kind, (entry["key"], *entry.get("also", {}).get(text, ())), split_of(text))
        for entry in data.get("topic", [])
        for kind in KINDS
        for text in entry.get(kind, [])
    ]
    decoys = [
        Decoy(text, kind, split_of(text)) for kind, texts in data.get("decoys", {}).items() for text in texts
    ]
    return RoutingSet(tuple(phrases), tuple(decoys))


def examples(phrases: Iterable[Phrase]) -> dict[str, tuple[str, ...]]:
    """The phrases by the key of their own topic: how people asked for it, for the lookup to rank with."""
    found: dict[str, list[str]] = {}
    for phrase in phrases:
        found.setdefault(phrase.topics[0], []).append(phrase.text)
    return {key: tuple(texts) for key, texts in found.items()}


def counted(routing: RoutingSet, content: Content, uses_a_word_of: Callable[[str], bool]) -> Counted:
    """Sort the phrases: those to measure (topics narrowed to the bank's), those waiting for a topic, and
    those none of whose words the bank uses (``uses_a_word_of`` says)."""
    keys = {topic.key for topic in content.topics}
    measured: list[Phrase] = []
    waiting: list[Phrase] = []
    unknown: list[Phrase] = []
    for phrase in routing.phrases:
        present = tuple(key for key in phrase.topics if key in keys)
        if not present:
            waiting.append(phrase)
        elif not uses_a_word_of(phrase.text):
            unknown.append(phrase)
        else:
            measured.append(replace(phrase, topics=present))
    return Counted(tuple(measured), tuple(waiting), tuple(unknown))
