"""The lookup's learned figures: how to weigh its signals, how sure a first place is, and the threshold below
which the bot shows no card. `python -m content eval --calibrate` fits them on the routing set's dev split
and writes content/lookup_weights.json; the lookup reads that file.

Both fits are plain maximum likelihood by gradient descent on a few hundred rows, in numpy:
- ranking: a softmax over the topics of a linear score, so the topics a phrase names get the most belief;
- confidence: a logistic regression of "this text is about a topic of the bank" on the query's figures,
  the dev phrases being about one and the decoys not. Which topic is the ranking's business: a card whose
  topic is uncertain still offers the runners-up.
The threshold is the lowest confidence at which the dev decoys find a card at most `DECOY_RATE` of the time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("lookup_weights.json")
DECOY_RATE = 0.02  # the dev decoys' share that may find a card; the test split's bound is 3%
STEPS = 2000
LEARNING_RATE = 0.5
PENALTY = 0.01  # L2, keeps the weights small and the fit stable with few rows


@dataclass(frozen=True, slots=True)
class ModeWeights:
    """The figures for one way of ranking (with the embedding model, or words and terms alone)."""

    rank: tuple[float, ...]  # one weight per retrieval.RANK_FEATURES
    center: tuple[float, ...]  # per retrieval.CONFIDENCE_FEATURES: subtracted, then divided by scale
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float

    def confidence(self, figures: Sequence[float]) -> float:
        """The fitted probability that a first place with these figures is the right topic."""
        z = self.intercept + sum(
            c * (f - m) / s
            for c, f, m, s in zip(self.coefficients, figures, self.center, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass(frozen=True, slots=True)
class Weights:
    semantic: ModeWeights
    lexical: ModeWeights


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    data = json.loads(path.read_text())
    return Weights(**{mode: _mode(data[mode]) for mode in ("semantic", "lexical")})


def save_weights(weights: Weights, path: Path = WEIGHTS_FILE) -> None:
    path.write_text(json.dumps(asdict(weights), indent=2) + "\n")


def _mode(data: dict[str, object]) -> ModeWeights:
    return ModeWeights(
        **{k: tuple(map(float, v)) if isinstance(v, list) else float(v) for k, v in data.items()}  # type: ignore[arg-type]
    )


# --- fitting ------------------------------------------------------------------------------------------


def fit_rank(samples: Sequence[tuple[np.ndarray, Sequence[int]]]) -> tuple[float, ...]:
    """Weights that make a softmax over ``features @ weights`` put its mass on the right topics; each sample
    is (topics x features, the indexes of the topics that are right)."""
    features = np.stack([topics for topics, _ in samples]).astype(np.float64)  # samples x topics x features
    right = np.zeros(features.shape[:2])
    for n, (_, indexes) in enumerate(samples):
        right[n, list(indexes)] = 1.0
    weights = np.zeros(features.shape[2])
    for _ in range(STEPS):
        scores = features @ weights
        belief = np.exp(scores - scores.max(axis=1, keepdims=True))
        belief /= belief.sum(axis=1, keepdims=True)
        wanted = belief * right
        wanted /= wanted.sum(axis=1, keepdims=True)
        gradient = PENALTY * weights - np.einsum("st,stf->f", wanted - belief, features) / len(samples)
        weights -= LEARNING_RATE * gradient
    return tuple(round(float(w), 4) for w in weights)


def fit_confidence(
    figures: np.ndarray, right: np.ndarray
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], float]:
    """(center, scale, coefficients, intercept) of a logistic regression of ``right`` on ``figures``."""
    center = figures.mean(axis=0)
    scale = np.where(figures.std(axis=0) > 1e-6, figures.std(axis=0), 1.0)
    x = (figures - center) / scale
    coefficients, intercept = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ coefficients + intercept)))
        coefficients -= LEARNING_RATE * (x.T @ (p - right) / len(right) + PENALTY * coefficients)
        intercept -= LEARNING_RATE * float(np.mean(p - right))
    as_tuple = lambda values: tuple(round(float(v), 4) for v in values)  # noqa: E731
    return as_tuple(center), as_tuple(scale), as_tuple(coefficients), round(float(intercept), 4)


def pick_threshold(decoy_confidences: Sequence[float], allowed: int) -> float:
    """The lowest threshold at most ``allowed`` of the decoys reach (a card needs more than it)."""
    ranked = sorted(decoy_confidences, reverse=True)
    return round(ranked[allowed] if allowed < len(ranked) else 0.0, 4) if ranked else 0.5
