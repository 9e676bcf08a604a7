"""Checks that look at a whole question or across entries: answers, duplicates, collisions, references.

Field-level checks (missing, empty, wrong type, too long, unknown) happen while reading, in loader.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from string import ascii_uppercase

from content.lookup import normalise
from content.model import Content, Question, Topic
from content.problems import Problem, entry_label

MIN_CHOICES, MAX_CHOICES = 3, 4
MIN_QUESTIONS = 4  # per topic: enough for a quiz on one topic to vary, and for the learning path to test it


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
    return [Problem(question.file, entry, message) for message in messages]


def content_problems(content: Content) -> list[Problem]:
    """Problems across entries. Empty keys and ids were reported when read, and are skipped here."""
    return [
        *_duplicates("topic", "key", [(c.file, c.key) for c in content.topics]),
        *_term_collisions(content.topics),
        *_see_also(content.topics),
        *_duplicates("question", "id", [(q.file, q.id) for q in content.questions]),
        *_question_references(content),
    ]


def _duplicates(kind: str, field: str, idents: Sequence[tuple[str, str]]) -> Iterator[Problem]:
    """Each (file, ident) whose ident is used more than once: reported at its second use, with the
    positions of every use in the whole bank."""
    uses: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for position, (file, ident) in enumerate(idents, 1):
        if ident:
            uses[ident].append((file, position))
    for ident, where in uses.items():
        if len(where) > 1:
            positions = ", #".join(str(position) for _, position in where)
            yield Problem(where[1][0], ident, f"duplicate {kind} {field} ({kind} #{positions})")


def _term_collisions(topics: Sequence[Topic]) -> Iterator[Problem]:
    """Every key, name and alias must lead `find` to one topic only."""
    owners: dict[str, tuple[Topic, str]] = {}
    for position, topic in enumerate(topics, 1):
        entry = entry_label(topic.key, "topic", position)
        seen_aliases: set[str] = set()
        for alias in topic.aliases:
            plain = " ".join(alias.casefold().split())
            if plain in seen_aliases:
                yield Problem(topic.file, entry, f"duplicate alias {alias!r}")
            seen_aliases.add(plain)
        terms = [("key", topic.key), ("name", topic.name), *(("alias", a) for a in topic.aliases)]
        for kind, term in terms:
            term_key = normalise(term)
            if not term_key:
                if term:
                    yield Problem(topic.file, entry, f"{kind} {term!r} has no letters or digits")
                continue
            owner, owner_term = owners.setdefault(term_key, (topic, f"{kind} {term!r}"))
            if owner is not topic and owner.key != topic.key:  # same key: reported as a duplicate
                message = f"{kind} {term!r} collides with {owner_term} of topic {owner.key!r}"
                yield Problem(topic.file, entry, message)


def _see_also(topics: Sequence[Topic]) -> Iterator[Problem]:
    keys = {topic.key for topic in topics}
    for position, topic in enumerate(topics, 1):
        entry = entry_label(topic.key, "topic", position)
        for key in topic.see_also:
            if key == topic.key:
                yield Problem(topic.file, entry, "see_also: lists the topic itself")
            elif key not in keys:
                yield Problem(topic.file, entry, f"see_also: unknown topic {key!r}")


def card_text(topic: Topic) -> str:
    """Everything a topic's card says, as one text with single spaces: what `answered_by` quotes from."""
    return " ".join(" ".join((topic.mlops, topic.devops, topic.why, topic.example or "")).split())


def _question_references(content: Content) -> Iterator[Problem]:
    topics = {topic.key: topic for topic in content.topics}
    sources: dict[str, str] = {}
    for position, question in enumerate(content.questions, 1):
        entry = entry_label(question.id, "question", position)
        topic = topics.get(question.topic)
        if topics and question.topic and topic is None:  # no topics at all: their file is broken
            yield Problem(question.file, entry, f"topic: unknown topic {question.topic!r}")
        quoted = " ".join(question.answered_by.split())
        if topic is not None and quoted and quoted not in card_text(topic):
            yield Problem(question.file, entry, f"answered_by: not a sentence of the {topic.key!r} card")
        if question.source and question.source != "original":
            first = sources.setdefault(question.source, entry)
            if first != entry:
                yield Problem(question.file, entry, f"source: {question.source!r} is also used by {first!r}")


def thin_topics(content: Content) -> list[Problem]:
    """A problem for each topic with fewer than MIN_QUESTIONS questions."""
    counts = Counter(question.topic for question in content.questions)
    return [
        Problem(topic.file, topic.key, f"has {counts[topic.key]} questions, needs at least {MIN_QUESTIONS}")
        for topic in content.topics
        if topic.key and counts[topic.key] < MIN_QUESTIONS  # a missing key was reported when read
    ]
