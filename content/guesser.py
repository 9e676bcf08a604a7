"""A test-taker who knows no MLOps: can the quiz be passed from the look of its choices alone?

Each choice is described by surface features that need no knowledge of the subject: its length and
length rank, the words it shares with the prompt, the hint, the topic's name and aliases and the other
choices, absolute and hedging words, how it opens, its punctuation. Two kinds of guesser use them:

* one-rule strategies ("pick the second longest", "pick the one sharing most words with the prompt"),
  scored with ties split evenly, as a learner who noticed one tell would play;
* a logistic regression over all the features, trained on the other questions and scored on each
  held-out question in turn (leave one question out), as a learner who noticed every tell would play.

The bank fails the check when any of them is right more than LIMIT of the time (chance is 25%).
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

LIMIT = 0.35
TRAINED = "trained guesser (logistic regression, leave one question out)"

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

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


def question_features(question: Question, label: str) -> list[Features]:
    """The surface features of each choice of ``question``; ``label`` is its topic's name and aliases."""
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
}


def bank_features(content: Content) -> list[list[Features]]:
    """The features of every choice of every question, question by question."""
    labels = {topic.key: " ".join((topic.name, *topic.aliases)) for topic in content.topics}
    return [question_features(question, labels.get(question.topic, "")) for question in content.questions]


def _answers(content: Content) -> list[int]:
    return [[c.letter for c in q.choices].index(q.answer) for q in content.questions]


def _expected(keys: Sequence[float], answer: int) -> float:
    """1/k when the answer is among the k choices with the largest key, else 0."""
    best = max(keys)
    picked = [n for n, key in enumerate(keys) if key == best]
    return 1 / len(picked) if answer in picked else 0.0


def strategy_scores(content: Content) -> list[Score]:
    features, answers = bank_features(content), _answers(content)
    return [
        Score(name, sum(_expected(rule(f), a) for f, a in zip(features, answers, strict=True)), len(answers))
        for name, rule in STRATEGIES.items()
    ]


def classifier_rows(features: list[Features]) -> list[list[float]]:
    """Each choice as the classifier sees it: every feature, and how far it is from the question's mean,
    so that "longer than the others" counts as much as "long"."""
    names = sorted(features[0])
    means = {name: mean(f[name] for f in features) for name in names}
    return [[f[name] for name in names] + [f[name] - means[name] for name in names] for f in features]


def trained_score(content: Content) -> Score:
    """Leave-one-question-out accuracy of a logistic regression over the choices' features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = [classifier_rows(f) for f in bank_features(content)]
    answers = _answers(content)
    labels = [[float(n == answer) for n in range(len(r))] for r, answer in zip(rows, answers, strict=True)]
    right = 0.0
    for held_out in range(len(rows)):
        x = [row for q, question_rows in enumerate(rows) if q != held_out for row in question_rows]
        y = [label for q, question_labels in enumerate(labels) if q != held_out for label in question_labels]
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000, random_state=0))
        model.fit(x, y)
        right += _expected(list(model.predict_proba(rows[held_out])[:, 1]), answers[held_out])
    return Score(TRAINED, right, len(rows))


def scores(content: Content) -> list[Score]:
    """Every strategy's score and the trained guesser's, best first; none for a bank too small for shares
    to mean anything (fewer than MIN_BANK questions)."""
    if len(content.questions) < MIN_BANK:
        return []
    return sorted([*strategy_scores(content), trained_score(content)], key=lambda s: -s.right)


def problems(content: Content, results: Sequence[Score] | None = None) -> list[Problem]:
    """A problem for each guesser that beats LIMIT."""
    return [
        Problem(
            BANK,
            None,
            f"a guesser who knows no MLOps scores {score.share:.0%} by '{score.name}' "
            f"({score.right:.1f} of {score.total} questions, at most {LIMIT:.0%} allowed)",
        )
        for score in (scores(content) if results is None else results)
        if score.share > LIMIT
    ]
