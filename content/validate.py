"""Checks that look at a whole question or across entries: answers, duplicates, collisions, references.

Field-level checks (missing, empty, wrong type, too long, unknown) happen while reading, in loader.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from string import ascii_uppercase

from content.lookup import normalise
from content.model import Category, Content, Question
from content.problems import CATEGORIES_FILE, QUESTIONS_FILE, Problem, entry_label

MIN_CHOICES, MAX_CHOICES = 3, 4


def question_problems(question: Question, entry: str) -> list[Problem]:
    """Choices and answer must imply exactly one correct choice: the answer, the one without why_wrong."""
    messages = []
    letters = [choice.letter for choice in question.choices]
    listed = ", ".join(letters)
    if not MIN_CHOICES <= len(letters) <= MAX_CHOICES:
        messages.append(f"has {len(letters)} choices, needs {MIN_CHOICES} or {MAX_CHOICES}")
    repeated = sorted({letter for letter in letters if letters.count(letter) > 1})
    messages += [f"choice letter {letter!r} is used more than once" for letter in repeated]
    expected = list(ascii_uppercase[: len(letters)])
    if not repeated and letters != expected:
        messages.append(f"choice letters {listed} are not {', '.join(expected)} in order")
    texts = [choice.text.casefold() for choice in question.choices]
    messages += [
        f"choice {choice.letter} has the same text as an earlier choice"
        for n, choice in enumerate(question.choices)
        if texts[n] in texts[:n]
    ]
    if question.answer not in letters:
        messages.append(f"answer {question.answer!r} is not one of the choices ({listed})")
    elif not repeated:  # with a letter twice, which choice is the answer is unclear
        for choice in question.choices:
            if choice.letter == question.answer and choice.why_wrong:
                messages.append(f"choice {choice.letter} is the answer but has a why_wrong")
            elif choice.letter != question.answer and not choice.why_wrong:
                messages.append(f"choice {choice.letter} is wrong but has no why_wrong")
    return [Problem(QUESTIONS_FILE, entry, message) for message in messages]


def content_problems(content: Content) -> list[Problem]:
    """Problems across entries. Empty keys and ids were reported when read, and are skipped here."""
    return [
        *_duplicates(CATEGORIES_FILE, "category", "key", [c.key for c in content.categories]),
        *_term_collisions(content.categories),
        *_see_also(content.categories),
        *_duplicates(QUESTIONS_FILE, "question", "id", [q.id for q in content.questions]),
        *_question_references(content),
    ]


def _duplicates(file: str, kind: str, field: str, idents: Sequence[str]) -> Iterator[Problem]:
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for position, ident in enumerate(idents, 1):
        if ident:
            positions[ident].append(position)
    for ident, where in positions.items():
        if len(where) > 1:
            yield Problem(file, ident, f"duplicate {kind} {field} ({kind} #{', #'.join(map(str, where))})")


def _term_collisions(categories: Sequence[Category]) -> Iterator[Problem]:
    """Every key, name and alias must lead `find` to one category only."""
    owners: dict[str, tuple[Category, str]] = {}
    for position, category in enumerate(categories, 1):
        entry = entry_label(category.key, "category", position)
        seen_aliases: set[str] = set()
        for alias in category.aliases:
            plain = " ".join(alias.casefold().split())
            if plain in seen_aliases:
                yield Problem(CATEGORIES_FILE, entry, f"duplicate alias {alias!r}")
            seen_aliases.add(plain)
        terms = [("key", category.key), ("name", category.name), *(("alias", a) for a in category.aliases)]
        for kind, term in terms:
            term_key = normalise(term)
            if not term_key:
                if term:
                    yield Problem(CATEGORIES_FILE, entry, f"{kind} {term!r} has no letters or digits")
                continue
            owner, owner_term = owners.setdefault(term_key, (category, f"{kind} {term!r}"))
            if owner is not category and owner.key != category.key:  # same key: reported as a duplicate
                message = f"{kind} {term!r} collides with {owner_term} of category {owner.key!r}"
                yield Problem(CATEGORIES_FILE, entry, message)


def _see_also(categories: Sequence[Category]) -> Iterator[Problem]:
    keys = {category.key for category in categories}
    for position, category in enumerate(categories, 1):
        entry = entry_label(category.key, "category", position)
        for key in category.see_also:
            if key == category.key:
                yield Problem(CATEGORIES_FILE, entry, "see_also: lists the category itself")
            elif key not in keys:
                yield Problem(CATEGORIES_FILE, entry, f"see_also: unknown category {key!r}")


def _question_references(content: Content) -> Iterator[Problem]:
    keys = {category.key for category in content.categories}
    sources: dict[str, str] = {}
    for position, question in enumerate(content.questions, 1):
        entry = entry_label(question.id, "question", position)
        if keys and question.category and question.category not in keys:  # no keys: categories.toml is broken
            yield Problem(QUESTIONS_FILE, entry, f"category: unknown category {question.category!r}")
        if question.source and question.source != "original":
            first = sources.setdefault(question.source, entry)
            if first != entry:
                yield Problem(QUESTIONS_FILE, entry, f"source: {question.source!r} is also used by {first!r}")
