"""Find the topics a user means from free text: whole terms first, the longest one winning, then a close
spelling of one.

Terms (each topic's key, name and aliases) only ever match whole words, so "inference" never finds the
"ference" of "difference" and "ct" is not the end of "act".
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from content.model import Content, Match, Topic

MAX_INPUT = 200  # characters `find` looks at; no topic is anywhere near this long, and fuzzing stays fast
MAX_TEXT = 4000  # characters `find_all` looks at: a long Slack message
MATCH_SCORE = 80  # fuzz.ratio at or above this is a typo of the term ("montoring", "versions")
SUGGEST_SCORE = 60  # ... and at or above this is worth offering as "did you mean"
FUZZY_MIN_LENGTH = 4  # shorter words only match exactly: "cat" is not a typo of "ct", nor "a" of "qa"
MAX_SUGGESTIONS = 3
OVERVIEW_KEY = "focus_area"  # names the whole field ("mlops", "devops"): any more specific topic wins

# Words that carry no topic of their own in a question such as "what is kubflow?" or "how do we handle
# montoring". They are dropped before a typo is looked for, so the typo is compared on its own.
FILLER = frozenset(
    (
        *("a", "about", "an", "and", "any", "are", "between", "can", "difference", "different", "do"),
        *("doe", "does", "explain", "for", "from", "how", "i", "in", "is", "it", "me", "mean", "meaning"),
        *("ml", "model", "my", "of", "on", "or", "our", "should", "tell", "the", "their", "to", "use"),
        *("using", "v", "versus", "vs", "we", "what", "whats", "when", "where", "which", "who", "why"),
        *("with", "you", "your"),
    )
)  # in normalised form: "does" is "doe", "what's" is "what"

_DROPPED = {"Cf", "Mn", "Me"}  # zero-width and direction marks, combining accents
_APOSTROPHES = str.maketrans("", "", "'\u2019")


def normalise(text: str, limit: int = MAX_INPUT) -> str:
    """The form terms are compared in: folded case and compatibility forms, no accents, zero-width
    characters or punctuation (so "ci/cd", "focus_area" and "Focus-Area?" become words), singular words.
    """
    decomposed = unicodedata.normalize("NFKD", text[:limit])
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED)
    folded = unicodedata.normalize("NFKC", kept).casefold().translate(_APOSTROPHES)
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    """A crude singular, good enough because terms and queries go through the same rules."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class _Index:
    exact: dict[str, Topic]  # normalised key, name or alias -> its topic
    longest: int  # words in the longest term
    terms: list[str]  # those long enough to be matched fuzzily
    owners: list[Topic]  # owners[i] is the topic of terms[i]


@functools.lru_cache(maxsize=8)
def _index(topics: tuple[Topic, ...]) -> _Index:
    exact: dict[str, Topic] = {}
    for topic in topics:
        for term in (topic.key, topic.name, *topic.aliases):
            exact.setdefault(normalise(term), topic)
    exact.pop("", None)
    longest = max((len(term.split()) for term in exact), default=1)
    fuzzy = [(term, topic) for term, topic in exact.items() if len(term) >= FUZZY_MIN_LENGTH]
    return _Index(exact, longest, [term for term, _ in fuzzy], [topic for _, topic in fuzzy])


def find(text: str, content: Content) -> Match:
    """The topic ``text`` names, or Match(None, up to three close topics)."""
    query = normalise(text)
    if not query:
        return Match(None)
    index = _index(content.topics)
    if exact := index.exact.get(query):
        return Match(exact)
    named = _specific(_named(query.split(), index))
    if len(named) == 1:
        return Match(named[0])  # "model monitoring", "what is ct", "how do we do versioning"
    if named:
        return Match(None, tuple(named[:MAX_SUGGESTIONS]))  # "monitoring and retraining"
    target = " ".join(word for word in query.split() if word not in FILLER) or query
    if len(target) < FUZZY_MIN_LENGTH:
        return Match(None)
    ranked = _close_spellings(target, index)
    if ranked and ranked[0][0] >= MATCH_SCORE and (len(ranked) == 1 or ranked[1][0] < ranked[0][0]):
        return Match(ranked[0][1])
    return Match(None, tuple(topic for _, topic in ranked)[:MAX_SUGGESTIONS])


def find_all(text: str, content: Content) -> tuple[Topic, ...]:
    """Every topic a longer text names by one of its terms, in order of first mention, each once.

    Only whole terms count (no typos: in a long message a near-spelling is more often another word).
    The overview topic is left out when the text also names a more specific one.
    """
    words = normalise(text, MAX_TEXT).split()
    return tuple(_specific(_named(words, _index(content.topics))))


def _named(words: list[str], index: _Index) -> list[Topic]:
    """The topics whose terms appear in ``words``, in order, each once. Scanning from the left,
    the longest term starting at a word wins and its words are used up: "data scientists" names the
    teams, not data management, and "a/b testing" names online evaluation, not testing.
    """
    found: dict[str, Topic] = {}
    start = 0
    while start < len(words):
        for size in range(min(index.longest, len(words) - start), 0, -1):
            if topic := index.exact.get(" ".join(words[start : start + size])):
                found.setdefault(topic.key, topic)
                start += size
                break
        else:
            start += 1
    return list(found.values())


def _specific(topics: list[Topic]) -> list[Topic]:
    if len(topics) > 1:
        return [topic for topic in topics if topic.key != OVERVIEW_KEY]
    return topics


def _close_spellings(target: str, index: _Index) -> list[tuple[float, Topic]]:
    """Topics with a term spelt like ``target``, best first, one score per topic.

    A typo rarely changes the first letter, and requiring it keeps "inference" away from "difference".
    """
    from rapidfuzz import fuzz, process  # only typos need it: an exact term answers without loading it

    scored = process.extract(target, index.terms, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE, limit=None)
    best: dict[str, tuple[float, Topic]] = {}
    for term, score, position in scored:
        if term[0] == target[0]:
            owner = index.owners[position]
            best.setdefault(owner.key, (score, owner))
    return list(best.values())
