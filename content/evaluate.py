"""`python -m content eval`: how well the lookup routes the routing set, split by split; `--calibrate`
refits the lookup's weights and threshold on the dev split first.

Top-1 counts a phrase when the card the bot shows is one of its topics; top-3 when one of its topics is the
card or one of the buttons offered with it (or, without a card, among the suggestions). A decoy is found
when it gets a card. "First place" is top-1 without abstention: the ranking's first topic, card or not.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from content import lookup
from content.model import Content, Match
from content.routing_set import Counted, Decoy, Phrase, RoutingSet, Split, counted, load_routing_set

if (
    TYPE_CHECKING
):  # numpy, BM25 and the model load only when the command runs, not for every `python -m content`
    from content.calibration import ModeWeights
    from content.embedding import StaticEmbedding
    from content.retrieval import TopicIndex

TARGETS = {"top1": 0.95, "top3": 0.99, "decoys": 0.03}  # on the test split


@dataclass(slots=True)
class Figures:
    split: str
    phrases: int = 0
    top1: int = 0
    top3: int = 0
    first_place: int = 0
    decoys: int = 0
    decoys_found: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # phrases right at top-1, per kind
    kinds: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def share(self, name: str) -> float:
        total = self.decoys if name == "decoys_found" else self.phrases
        return getattr(self, name) / total if total else 0.0


def measure(
    phrases: list[Phrase], decoys: list[Decoy], content: Content, index: TopicIndex, split: str
) -> Figures:
    figures = Figures(split, phrases=len(phrases), decoys=len(decoys))
    for phrase in phrases:
        match = lookup.find(phrase.text, content, index)
        shown = [match.topic.key] if match.topic else []
        shown += [topic.key for topic in match.suggestions]
        right = match.topic is not None and match.topic.key in phrase.topics
        figures.top1 += right
        figures.top3 += any(key in phrase.topics for key in shown[:3])
        figures.first_place += _first_place(phrase.text, content, index, match) in phrase.topics
        figures.kinds[phrase.kind] += 1
        figures.by_kind[phrase.kind] += right
        if not right:
            got = match.topic.key if match.topic else "no card; offered " + (", ".join(shown) or "nothing")
            figures.misses.append(f"{phrase.text!r}: {got} (wanted {' or '.join(phrase.topics)})")
    for decoy in decoys:
        match = lookup.find(decoy.text, content, index)
        if match.topic is not None:
            figures.decoys_found += 1
            figures.misses.append(f"decoy {decoy.text!r}: found {match.topic.key} ({match.how})")
    return figures


def _first_place(text: str, content: Content, index: TopicIndex, match: Match) -> str | None:
    if match.how in ("term", "spelling"):
        return match.topic.key if match.topic else None
    if not lookup.normalise(text):
        return None
    return index.topics[index.rank(text).order[0]].key


# --- calibration --------------------------------------------------------------------------------------


def calibrate(phrases: list[Phrase], decoys: list[Decoy], content: Content, index: TopicIndex) -> ModeWeights:
    """Weights and threshold fitted on ``phrases`` and ``decoys`` (the dev split) for ``index``'s mode."""
    import numpy as np

    from content.calibration import DECOY_RATE, ModeWeights, fit_confidence, fit_rank, pick_threshold
    from content.retrieval import CONFIDENCE_FEATURES

    ranked_phrases = [p for p in phrases if lookup.first_steps(p.text, content) is None]
    ranked_decoys = [d for d in decoys if lookup.first_steps(d.text, content) is None]
    samples = [(index.rank_features(p.text), [index.position(k) for k in p.topics]) for p in ranked_phrases]
    rank = fit_rank(samples)
    width = len(CONFIDENCE_FEATURES)
    trial = index.reweighted(ModeWeights(rank, (0.0,) * width, (1.0,) * width, (0.0,) * width, 0.0, 0.5))
    figures, right = [], []
    for text, topics in [(p.text, p.topics) for p in ranked_phrases] + [(d.text, ()) for d in ranked_decoys]:
        ranked = trial.rank(text)
        figures.append(ranked.features)
        right.append(index.topics[ranked.order[0]].key in topics)
    center, scale, coefficients, intercept = fit_confidence(np.array(figures), np.array(right, dtype=float))
    fitted = ModeWeights(rank, center, scale, coefficients, intercept, 0.5)
    scored = index.reweighted(fitted)
    early_found = sum(lookup.first_steps(d.text, content) not in (None, Match(None)) for d in decoys)
    rate = max(0.0, (math.floor(DECOY_RATE * len(decoys)) - early_found) / max(len(ranked_decoys), 1))
    decoy_ranks = [scored.rank(d.text) for d in ranked_decoys]
    confidences = [ranked.confidence if lookup.says_enough(ranked) else 0.0 for ranked in decoy_ranks]
    threshold = pick_threshold(confidences, rate)
    return ModeWeights(rank, center, scale, coefficients, intercept, threshold)


# --- the command --------------------------------------------------------------------------------------


def run(
    content: Content, embedding: StaticEmbedding | None, *, lexical: bool = False, refit: bool = False
) -> str:
    """The report of `python -m content eval`; with ``refit``, new weights are fitted on dev and saved."""
    from content.calibration import Weights, load_weights, save_weights
    from content.retrieval import TopicIndex

    routing = load_routing_set()
    weights = load_weights()
    semantic = None if lexical or embedding is None else TopicIndex(content, embedding, weights)
    plain = TopicIndex(content, None, weights)
    sorted_out = counted(routing, content, (semantic or plain).uses_a_word_of)
    if refit:
        dev = RoutingSet(sorted_out.phrases, routing.decoys).in_split("dev")
        new_lexical = calibrate(list(dev.phrases), list(dev.decoys), content, plain)
        new_semantic = (
            calibrate(list(dev.phrases), list(dev.decoys), content, semantic)
            if semantic
            else weights.semantic
        )
        weights = Weights(new_semantic, new_lexical)
        save_weights(weights)
        semantic = semantic.reweighted(new_semantic) if semantic else None
        plain = plain.reweighted(new_lexical)
    index = semantic or plain
    lines = _header(routing, content, sorted_out, index)
    results = []
    for split in ("dev", "test"):
        chosen: RoutingSet = RoutingSet(sorted_out.phrases, routing.decoys).in_split(split)
        results.append(measure(list(chosen.phrases), list(chosen.decoys), content, index, split))
    lines += _table(results)
    lines.append(
        f"Threshold {index.weights.threshold:.3f} (calibrated on dev: its decoys find a card at most 2%)."
    )
    for figures in results:
        lines.append(f"\nMisses, {figures.split} split ({len(figures.misses)}):")
        lines += [f"  {miss}" for miss in figures.misses]
    return "\n".join(lines)


def _header(routing: RoutingSet, content: Content, sorted_out: Counted, index: TopicIndex) -> list[str]:
    waiting = Counter(key for phrase in sorted_out.new_topics for key in phrase.topics[:1])
    mode = "the wordllama embedding model, BM25 and terms" if index.embedding else "BM25 and terms (no model)"
    return [
        f"Routing set: {len(routing.phrases)} phrases, {len(routing.decoys)} decoys; bank: "
        f"{len(content.topics)} topics; ranking with {mode}.",
        f"Skipped {len(sorted_out.new_topics)} phrases whose topics the bank does not have yet: "
        + (", ".join(f"{key} {n}" for key, n in sorted(waiting.items())) or "none"),
        f"Skipped {len(sorted_out.unknown_words)} phrases the bank has no word of (aliases wanted): "
        + (", ".join(p.text for p in sorted_out.unknown_words) or "none"),
        "",
    ]


def _table(results: list[Figures]) -> list[str]:
    lines = [
        f"{'split':<6} {'phrases':>7} {'top-1':>7} {'top-3':>7} {'first place':>11} {'decoys':>6} "
        f"{'found':>6}"
    ]
    for f in results:
        lines.append(
            f"{f.split:<6} {f.phrases:>7} {f.share('top1'):>7.1%} {f.share('top3'):>7.1%} "
            f"{f.share('first_place'):>11.1%} {f.decoys:>6} {f.share('decoys_found'):>6.1%}"
        )
        kinds = ", ".join(f"{kind} {f.by_kind[kind]}/{n}" for kind, n in sorted(f.kinds.items()))
        lines.append(f"{'':<6} top-1 by kind: {kinds}")
    lines.append(
        f"Targets on the test split: top-1 >= {TARGETS['top1']:.0%}, top-3 >= {TARGETS['top3']:.0%}, "
        f"decoys found <= {TARGETS['decoys']:.0%}."
    )
    return lines


def split_figures(
    content: Content, index: TopicIndex, split: Split, routing_file: Path | None = None
) -> Figures:
    """The figures of one split, for the tests."""
    routing = load_routing_set(routing_file) if routing_file else load_routing_set()
    chosen = RoutingSet(counted(routing, content, index.uses_a_word_of).phrases, routing.decoys).in_split(
        split
    )
    return measure(list(chosen.phrases), list(chosen.decoys), content, index, split)


def add_command(commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """`python -m content eval [--lexical] [--calibrate]`."""
    parser = commands.add_parser("eval", parents=parents, help="measure the lookup on the routing set")
    parser.add_argument("--lexical", action="store_true", help="rank without the embedding model")
    parser.add_argument("--calibrate", action="store_true", help="refit weights and threshold on dev first")
    parser.set_defaults(run=command)


def command(data: Content, args: argparse.Namespace) -> int:
    from content.embedding import load

    print(run(data, None if args.lexical else load(), lexical=args.lexical, refit=args.calibrate))
    return 0
