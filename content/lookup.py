"""Find the category a user means from free text: an exact term first, then a close spelling."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from content.model import Category, Content, Match

MAX_INPUT = 200  # characters looked at; no topic is anywhere near this long, and fuzzing stays fast
MATCH_SCORE = 80  # fuzz.ratio at or above this is a typo of the term ("montoring", "versions")
SUGGEST_SCORE = 60  # ... and at or above this is worth offering as "did you mean"
FUZZY_MIN_LENGTH = 4  # shorter words only match exactly: "cat" is not a typo of "ct", nor "a" of "qa"
MAX_SUGGESTIONS = 3

_DROPPED = {"Cf", "Mn", "Me"}  # zero-width and direction marks, combining accents
_APOSTROPHES = str.maketrans("", "", "'\u2019")


def normalise(text: str) -> str:
    """The form terms are compared in: folded case and compatibility forms, no accents, zero-width
    characters or punctuation (so "ci/cd", "focus_area" and "Focus-Area?" become words), singular words.
    """
    decomposed = unicodedata.normalize("NFKD", text[:MAX_INPUT])
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
    exact: dict[str, Category]  # normalised key, name or alias -> its category
    terms: list[str]  # those long enough to be matched fuzzily
    owners: list[Category]  # owners[i] is the category of terms[i]


@functools.lru_cache(maxsize=8)
def _index(categories: tuple[Category, ...]) -> _Index:
    exact: dict[str, Category] = {}
    for category in categories:
        for term in (category.key, category.name, *category.aliases):
            exact.setdefault(normalise(term), category)
    exact.pop("", None)
    fuzzy = [(term, category) for term, category in exact.items() if len(term) >= FUZZY_MIN_LENGTH]
    return _Index(exact, [term for term, _ in fuzzy], [category for _, category in fuzzy])


def find(text: str, content: Content) -> Match:
    """The category ``text`` names, or Match(None, up to three close categories)."""
    query = normalise(text)
    if not query:
        return Match(None)
    index = _index(content.categories)
    if exact := index.exact.get(query):
        return Match(exact)
    named = _named_within(query, index)
    if len(named) == 1:
        return Match(named[0])  # "model monitoring", "how do we do versioning"
    if len(query) < FUZZY_MIN_LENGTH:
        return Match(None, tuple(named[:MAX_SUGGESTIONS]))
    best: dict[str, tuple[float, Category]] = {}  # category key -> its best score, best first
    from rapidfuzz import fuzz, process  # only typos need it: an exact term answers without loading it

    scored = process.extract(query, index.terms, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE, limit=None)
    for _term, score, position in scored:
        owner = index.owners[position]
        best.setdefault(owner.key, (score, owner))
    ranked = list(best.values())
    if (
        not named
        and ranked
        and ranked[0][0] >= MATCH_SCORE
        and (len(ranked) == 1 or ranked[1][0] < ranked[0][0])
    ):
        return Match(ranked[0][1])
    suggestions = {category.key: category for category in [*named, *(category for _, category in ranked)]}
    return Match(None, tuple(suggestions.values())[:MAX_SUGGESTIONS])


def _named_within(query: str, index: _Index) -> list[Category]:
    """Categories whose term is one or two whole words of a longer query, in order of appearance."""
    words = query.split()
    found: dict[str, Category] = {}
    for start in range(len(words)):
        for size in (2, 1):
            if category := index.exact.get(" ".join(words[start : start + size])):
                found.setdefault(category.key, category)
    return list(found.values())
