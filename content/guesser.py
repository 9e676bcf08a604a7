"""A test-taker who knows no MLOps: can the quiz be passed from the look of its choices alone?

Each choice is described by surface features that need no knowledge of the subject: its length and
length rank, the words it shares with the prompt, the hint, the topic's name and aliases and the other
choices, absolute and hedging words, how it opens, its punctuation, and the vocabulary a learner picks up
from the bank itself (how much of it is the cards' jargon, and which of its words right and wrong choices
of other questions tend to use; see vocabulary.py). Two kinds of guesser use them:

* one-rule strategies ("pick the second longest", "pick the one sharing most words with the prompt"),
  scored with ties split evenly, as a learner who noticed one tell would play;
* a logistic regression over all the features, trained on the other questions and scored on each
  held-out question in turn (leave one question out), as a learner who noticed every tell would play.

The bank fails the check when any of them is right more than LIMIT of the time (chance is 25%), on the
whole bank or on its medium and hard questions, where a tell would hurt most.
scikit-learn is imported only when the trained guesser runs, so loading the content never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import mean

from content.fairness import MIN_BANK, stems
from content.model import Content, Question
from content.problems import BANK, Problem
from content.vocabulary import AnswerWords, CardVocabulary

LIMIT = 0.35
TRAINED = "trained guesser (logistic regression, leave one question out)"
ALL, HARDER = "all questions", "medium and hard questions"
GROUPS = (ALL, HARDER)

_ABSOLUTE_WORDS = "always never only all every none nothing no must cannot can't entirely completely any"
_HEDGING_WORDS = "often usually may might can could some typically likely sometimes generally mostly partly"
_NEGATION_WORDS = "not no never nothing none without isn't doesn't don't can't cannot won't"
# One-word verdicts a throwaway choice tends to open with ("Nothing: ...", "Fine: ...").
_VERDICT_WORDS = "nothing none no yes right agreed fine both neither skip never always only"
ABSOLUTE, HEDGING, NEGATION, VERDICTS = (
    frozenset(words.split()) for words in (_ABSOLUTE_WORDS, _HEDGING_WORDS, _NEGATION_WORDS, _VERDICT_WORDS)
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PUNCTUATION = re.compile(r"[,;:()\"'`/\u2013\u2014-]")  # dashes too

Features = dict[str, float]


@dataclass(frozen=True, slots=True)
class Score:
    """How often one guesser picks the correct choice."""

    name: str
    right: float  # expected number of questions right (ties split evenly)
    total: int
    group: str = ALL

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


def question_features(
    question: Question, label: str, vocabulary: CardVocabulary | None = None
) -> list[Features]:
    """The surface features of each choice of ``question``; ``label`` is its topic's name and aliases,
    ``vocabulary`` the bank's cards (no jargon counted without it)."""
    texts = [choice.text for choice in question.choices]
    lengths = [len(text) for text in texts]
    words = [stems(text) for text in texts]
    prompt, hint, topic = stems(question.prompt), stems(question.hint), stems(label)
    openings = [_tokens(text)[:1] for text in texts]
    features = []
    for n, text in enumerate(texts):
        tokens = _tokens(text)
        others = [words[m] for m in range(len(texts)) if m != n]
        opening = openings[n][0] if openings[n] else ""
        jargon = vocabulary.jargon(words[n], question.topic) if vocabulary else 0
        verdict = opening in VERDICTS and text[len(opening) : len(opening) + 1] in (":", ",")
        shared_opening = any(opening and openings[m] == [opening] for m in range(len(texts)) if m != n)
        features.append(
            {
                "length": lengths[n],
                "length_rank": _rank(lengths, n),
                "words": len(tokens),
                "prompt_overlap": len(words[n] & prompt),
                "label_overlap": len(words[n] & topic),
                "hint_overlap": len(words[n] & hint),
                "others_overlap": mean(len(words[n] & other) for other in others) if others else 0.0,
                "unique_words": len(words[n] - set().union(*others)),
                "absolute": sum(token in ABSOLUTE for token in tokens),
                "hedging": sum(token in HEDGING for token in tokens),
                "negation": sum(token in NEGATION or token.endswith("n't") for token in tokens),
                "verdict_opener": float(verdict),
                "opening_shared": float(shared_opening),
                "opening_in_prompt": float(opening in _tokens(question.prompt)),
                "colon": float(":" in text),
                "semicolon": float(";" in text),
                "punctuation": len(_PUNCTUATION.findall(text)),
                "listed_items": text.count(",") + len(re.findall(r"\b(?:and|or)\b", text)),
                "long_words": sum(len(token) >= 9 for token in tokens),
                "capitals": sum(word[:1].isupper() for word in text.split()[1:]),
                "digits": float(any(ch.isdigit() for ch in text)),
                "code": float("`" in text),
                "jargon": jargon,
                "jargon_share": jargon / len(words[n]) if words[n] else 0.0,
            }
        )
    return features


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _rank(values: Sequence[float], n: int) -> float:
    """1 for the largest value; tied values share the mean of their ranks."""
    above = sum(value > values[n] for value in values)
    tied = sum(value == values[n] for value in values)
    return above + (tied + 1) / 2


# A strategy gives each choice a key; the guesser picks the choice with the largest key.
Strategy = Callable[[list[Features]], list[float]]


def _most(name: str) -> Strategy:
    return lambda features: [f[name] for f in features]


def _fewest(name: str) -> Strategy:
    return lambda features: [-f[name] for f in features]


def _length_rank(rank: int) -> Strategy:
    return lambda features: [-abs(f["length_rank"] - rank) for f in features]


def _without_absolute_then(rank: int) -> Strategy:
    """Drop the choices with absolute words (unless all have them), then the ``rank``-th longest left."""

    def keys(features: list[Features]) -> list[float]:
        fewest = min(f["absolute"] for f in features)
        kept = [n for n, f in enumerate(features) if f["absolute"] == fewest]
        lengths = [features[n]["length"] for n in kept]
        ranks = {n: _rank(lengths, i) for i, n in enumerate(kept)}
        return [-abs(ranks[n] - rank) if n in ranks else float("-inf") for n in range(len(features))]

    return keys


STRATEGIES: dict[str, Strategy] = {
    "longest": _length_rank(1),
    "second longest": _length_rank(2),
    "third longest": _length_rank(3),
    "shortest": _fewest("length"),
    "most words": _most("words"),
    "most words shared with the prompt": _most("prompt_overlap"),
    "fewest words shared with the prompt": _fewest("prompt_overlap"),
    "most words shared with the topic's name and aliases": _most("label_overlap"),
    "most words shared with the hint": _most("hint_overlap"),
    "most words shared with the other choices": _most("others_overlap"),
    "fewest words shared with the other choices": _fewest("others_overlap"),
    "most words no other choice has": _most("unique_words"),
    "fewest absolute words": _fewest("absolute"),
    "most hedging words": _most("hedging"),
    "fewest negations": _fewest("negation"),
    "no one-word verdict opening": _fewest("verdict_opener"),
    "opening word shared with another choice": _most("opening_shared"),
    "opening word taken from the prompt": _most("opening_in_prompt"),
    "has a colon": _most("colon"),
    "has no colon": _fewest("colon"),
    "most punctuation": _most("punctuation"),
    "fewest punctuation": _fewest("punctuation"),
    "most listed items": _most("listed_items"),
    "most long words": _most("long_words"),
    "most capitalised words": _most("capitals"),
    "no absolute words, then the longest": _without_absolute_then(1),
    "no absolute words, then the second longest": _without_absolute_then(2),
    "most words the cards use a lot (jargon)": _most("jargon"),
    "highest share of jargon words": _most("jargon_share"),
    "most words typical of right answers elsewhere": _most("answer_words"),
    "fewest words typical of wrong answers elsewhere": _fewest("wrong_words"),
    "most jargon, fewest words typical of wrong answers": lambda features: [
        f["jargon"] - f["wrong_words"] for f in features
    ],
}


def bank_features(content: Content) -> list[list[Features]]:
    """The features of every choice of every question, question by question; the answer words of each
    are learned from every other question."""
    words = AnswerWords(content.questions)
    return [_merged(surface, words.features(n, (n,))) for n, surface in enumerate(_surface(content))]


def _surface(content: Content) -> list[list[Features]]:
    vocabulary = CardVocabulary(content)
    labels = {topic.key: " ".join((topic.name, *topic.aliases)) for topic in content.topics}
    return [question_features(q, labels.get(q.topic, ""), vocabulary) for q in content.questions]


def _merged(surface: list[Features], learned: list[Features]) -> list[Features]:
    return [first | second for first, second in zip(surface, learned, strict=True)]


def _answers(content: Content) -> list[int]:
    return [[c.letter for c in q.choices].index(q.answer) for q in content.questions]


def _expected(keys: Sequence[float], answer: int) -> float:
    """1/k when the answer is among the k choices with the largest key, else 0."""
    best = max(keys)
    picked = [n for n, key in enumerate(keys) if key == best]
    return 1 / len(picked) if answer in picked else 0.0


def _groups(content: Content) -> dict[str, list[int]]:
    """The indexes of the questions each group of GROUPS holds."""
    harder = [n for n, question in enumerate(content.questions) if question.difficulty != "easy"]
    return {ALL: list(range(len(content.questions))), HARDER: harder}


def _group_scores(name: str, right: Sequence[float], content: Content) -> list[Score]:
    """``right[n]``: how often the guesser gets question n right; one Score per group big enough."""
    return [
        Score(name, sum(right[n] for n in indexes), len(indexes), group)
        for group, indexes in _groups(content).items()
        if len(indexes) >= MIN_BANK
    ]


def strategy_scores(content: Content) -> list[Score]:
    features, answers = bank_features(content), _answers(content)
    return [
        score
        for name, rule in STRATEGIES.items()
        for score in _group_scores(
            name, [_expected(rule(f), a) for f, a in zip(features, answers, strict=True)], content
        )
    ]


def classifier_rows(features: list[Features]) -> list[list[float]]:
    """Each choice as the classifier sees it: every feature, and how far it is from the question's mean,
    so that "longer than the others" counts as much as "long"."""
    names = sorted(features[0])
    means = {name: sum(f[name] for f in features) / len(features) for name in names}
    return [[f[name] for name in names] + [f[name] - means[name] for name in names] for f in features]


def trained_score(content: Content) -> list[Score]:
    """Leave-one-question-out accuracy of a logistic regression over the choices' features, on each group.
    The answer words of the questions it trains on are learned without the held-out question too."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    questions, words = content.questions, AnswerWords(content.questions)
    surface = [classifier_rows(features) for features in _surface(content)]  # the same for every fit
    answers = _answers(content)
    labels = [[float(n == a) for n in range(len(q.choices))] for q, a in zip(questions, answers, strict=True)]

    def rows(n: int, left_out: tuple[int, ...]) -> list[list[float]]:
        learned = classifier_rows(words.features(n, left_out))
        return [first + second for first, second in zip(surface[n], learned, strict=True)]

    # Each fit starts from the last one's weights: the training sets differ by two questions, so this
    # converges in far fewer steps, and the order of the fits is fixed, so the result is repeatable.
    model = LogisticRegression(C=1.0, max_iter=2000, warm_start=True)
    right = []
    for held_out in range(len(questions)):
        x = [row for n in range(len(questions)) if n != held_out for row in rows(n, (held_out, n))]
        y = [label for n in range(len(questions)) if n != held_out for label in labels[n]]
        scaler = StandardScaler().fit(x)
        model.fit(scaler.transform(x), y)
        probabilities = model.predict_proba(scaler.transform(rows(held_out, (held_out,))))[:, 1]
        right.append(_expected(list(probabilities), answers[held_out]))
    return _group_scores(TRAINED, right, content)


def scores(content: Content) -> list[Score]:
    """Every strategy's score and the trained guesser's on each group of GROUPS, best first; none for a
    bank too small for shares to mean anything (fewer than MIN_BANK questions)."""
    if len(content.questions) < MIN_BANK:
        return []
    return sorted([*strategy_scores(content), *trained_score(content)], key=lambda s: -s.share)


def problems(content: Content, results: Sequence[Score] | None = None) -> list[Problem]:
    """A problem for each guesser that beats LIMIT on a group of questions."""
    return [
        Problem(
            BANK,
            None,
            f"a guesser who knows no MLOps scores {score.share:.0%} on {score.group} "
            f"by '{score.name}' ({score.right:.1f} of {score.total}, at most {LIMIT:.0%} allowed)",
        )
        for score in (scores(content) if results is None else results)
        if score.share > LIMIT
    ]
