"""Words and terms: the normalised form text is compared in, and each topic's terms (key, name, aliases)
found as whole words in a query, the longest first.

Pure Python, so the exact-term step of the lookup answers without loading anything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from content.model import Topic

MAX_INPUT = 200  # characters a one-line query is read to; no term is anywhere near this long
OVERVIEW_KEY = "focus_area"  # names the whole field ("mlops", "devops"): any more specific topic wins
ABBREVIATION_MIN = 3  # "mon" may stand for "monitoring", "ml eng" for "ml engineer"; "ds" stands for nothing

# Words that carry no topic of their own in "what is kubflow?" or "how do we handle montoring", in
# normalised form ("does" is "doe", "what's" is "what").
FILLER = frozenset(
    (
        *("a", "about", "an", "and", "any", "are", "between", "can", "difference", "different", "do"),
        *("doe", "does", "explain", "for", "from", "how", "i", "in", "is", "it", "me", "mean", "meaning"),
        *("ml", "model", "my", "of", "on", "or", "our", "should", "tell", "the", "their", "to", "use"),
        *("using", "v", "versus", "vs", "we", "what", "whats", "when", "where", "which", "who", "why"),
        *("with", "you", "your"),
        *("hello", "hey", "hi", "please", "thank", "thanks"),  # "hello, what is drift?"
    )
)

_DROPPED = {"Cf", "Mn", "Me"}  # zero-width and direction marks, combining accents
_APOSTROPHES = str.maketrans("", "", "'\u2019")
# Slack markup: <@U123> and <#C123|name> say nothing about a topic; a link counts by its label alone.
_SLACK_REFERENCE = re.compile(r"<[@#!][^>]*>")
_SLACK_LINK = re.compile(r"<[a-z][a-z0-9+.-]*:[^>|]*(?:\|([^>]*))?>", re.IGNORECASE)
_BARE_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def normalise(text: str, limit: int = MAX_INPUT) -> str:
    """The form terms are compared in: folded case and compatibility forms, no accents, zero-width
    characters, Slack mentions, URLs or punctuation (so "ci/cd", "focus_area" and "Focus-Area?" become
    words), singular words.
    """
    text = _SLACK_LINK.sub(lambda link: f" {link.group(1) or ''} ", text[: limit * 2])
    text = _BARE_URL.sub(" ", _SLACK_REFERENCE.sub(" ", text))[:limit]
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED)
    folded = unicodedata.normalize("NFKC", kept).casefold().translate(_APOSTROPHES)
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return " ".join(singular(word) for word in words)


def singular(word: str) -> str:
    """A crude singular, good enough because terms and queries go through the same rules."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Terms:
    """Every topic's terms in normalised form."""

    exact: dict[str, Topic]  # normalised key, name or alias -> its topic
    spelling: dict[str, str]  # normalised term -> as the content spells it ("ci cd" -> "CI/CD")
    listed: tuple[str, ...]  # the normalised terms, for fuzzy matching
    longest: int  # words in the longest term
    by_start: dict[tuple[int, str], tuple[tuple[tuple[str, ...], Topic], ...]]  # terms as words, by `_start`


@dataclass(frozen=True, slots=True)
class TermHit:
    """A term found in a query: which topic, the term as the topic spells it, and the query words it took."""

    topic: Topic
    term: str
    words: int


_built: dict[int, tuple[tuple[Topic, ...], Terms]] = {}
CACHED = 8  # contents whose terms are kept (the bot has one; tests and benchmarks a few)


def terms_of(topics: tuple[Topic, ...]) -> Terms:
    """The terms of ``topics``, built once per tuple: kept by identity, as hashing every topic on every
    lookup would cost more than the lookup."""
    entry = _built.get(id(topics))
    if entry is not None and entry[0] is topics:
        return entry[1]
    terms = _terms(topics)
    if len(_built) >= CACHED:
        _built.pop(next(iter(_built)))
    _built[id(topics)] = (topics, terms)
    return terms


def _terms(topics: tuple[Topic, ...]) -> Terms:
    exact: dict[str, Topic] = {}
    spelt: dict[str, str] = {}
    for topic in topics:
        for term in (topic.name, *topic.aliases, topic.key):  # the name's spelling over the key's
            if normalised := normalise(term):
                exact.setdefault(normalised, topic)
                spelt.setdefault(normalised, term)
    by_start: dict[tuple[int, str], list[tuple[tuple[str, ...], Topic]]] = {}
    for term, topic in exact.items():
        words = tuple(term.split())
        by_start.setdefault(_start(words), []).append((words, topic))
    return Terms(
        exact,
        spelt,
        tuple(exact),
        max((size for size, _ in by_start), default=1),
        {start: tuple(entries) for start, entries in by_start.items()},
    )


def _start(words: Sequence[str]) -> tuple[int, str]:
    """Where a term or its shorthand is filed: its word count and the first ABBREVIATION_MIN letters of its
    first word (all of it when shorter, as such a word must be typed in full)."""
    return len(words), words[0][:ABBREVIATION_MIN]


def term_hits(words: list[str], terms: Terms, known: frozenset[str] = frozenset()) -> list[TermHit]:
    """The terms in ``words``, scanning from the left: the longest term starting at a word wins and its
    words are used up, so "data scientists" names the teams, not data management, and "a/b testing" names
    online evaluation, not testing. With ``known`` (the bank's words), a run of words of which one is not
    known may abbreviate a term word for word: "model mon", "exp tracking".
    """
    hits: list[TermHit] = []
    start = 0
    while start < len(words):
        for size in range(min(terms.longest, len(words) - start), 0, -1):
            run = words[start : start + size]
            term = " ".join(run)
            topic = terms.exact.get(term)
            if topic is None and known and not all(word in known for word in run):
                term, topic = abbreviated(run, terms)
            if topic is not None:
                hits.append(TermHit(topic, terms.spelling.get(term, term), size))
                start += size
                break
        else:
            start += 1
    return hits


def abbreviated(run: list[str], terms: Terms) -> tuple[str, Topic | None]:
    """The term ``run`` abbreviates, when all the terms it could stand for belong to one topic."""
    matches = [
        (term_words, topic)
        for term_words, topic in terms.by_start.get(_start(run), ())
        if all(_abbreviates(word, full) for word, full in zip(run, term_words, strict=True))
    ]
    if not matches or len({topic.key for _, topic in matches}) > 1:
        return "", None
    return " ".join(matches[0][0]), matches[0][1]


def _abbreviates(word: str, full: str) -> bool:
    return word == full or (len(word) >= ABBREVIATION_MIN and full.startswith(word))


def named_topics(words: list[str], terms: Terms) -> list[Topic]:
    """The topics whose terms appear in ``words``, in order, each once; the overview topic only when no
    more specific one is named."""
    found: dict[str, Topic] = {}
    for hit in term_hits(words, terms):
        found.setdefault(hit.topic.key, hit.topic)
    named = list(found.values())
    if len(named) > 1:
        return [topic for topic in named if topic.key != OVERVIEW_KEY]
    return named
